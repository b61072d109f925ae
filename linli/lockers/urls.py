from django.urls import path

from linli.lockers import views

app_name = "lockers"
urlpatterns = [
    path("lockers/", views.mine, name="mine"),
    path("lockers/<slug:action>/", views.mine_action, name="mine_action"),
    path("lockers/<slug:action>/<int:pk>/", views.mine_action, name="mine_action_pk"),
    path("merchant/lockers/", views.shop, name="shop"),
    path("merchant/lockers/<int:pk>/<slug:action>/", views.shop_action, name="shop_action"),
    path("lockers-operator/", views.operator, name="operator"),
    path("lockers-operator/readings.csv", views.readings_export, name="readings_csv"),
    path("lockers-operator/<int:pk>/collect/", views.operator_collect, name="operator_collect"),
    path("property/parcels/", views.station, name="station"),
    path("kiosk/<str:serial>/", views.kiosk, name="kiosk"),
]
