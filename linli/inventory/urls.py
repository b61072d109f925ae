from django.urls import path

from linli.inventory import views

app_name = "inventory"
urlpatterns = [
    path("merchant/stock/", views.stock_index, name="stock_index"),
    path("merchant/stock/<int:outlet_id>/", views.stock, name="stock"),
]
