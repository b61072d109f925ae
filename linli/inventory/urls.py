from django.urls import path

from linli.inventory import views

app_name = "inventory"
urlpatterns = [
    path("merchant/stock/", views.stock_index, name="stock_index"),
    path("merchant/stock/<int:outlet_id>/", views.stock, name="stock"),
    path(
        "merchant/stock/<int:outlet_id>/export.<str:fmt>", views.stock_export, name="stock_export"
    ),
    path(
        "merchant/stock/receive-template.<str:fmt>", views.receive_template, name="receive_template"
    ),
]
