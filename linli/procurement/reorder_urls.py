from django.urls import path

from linli.procurement import views_reorder

app_name = "procurement_reorder"
urlpatterns = [
    path("merchant/reorder/", views_reorder.reorder_index, name="reorder_index"),
    path("merchant/reorder/<int:outlet_id>/", views_reorder.reorder, name="reorder"),
]
