from django.urls import path

from linli.shops import views

app_name = "shops"
urlpatterns = [
    path("merchant/", views.home, name="home"),
    path("shops/<int:outlet_id>/", views.outlet_public, name="outlet_public"),
    path("resident/", views.home_resident, name="home_resident"),
    path("courier/", views.home_courier, name="home_courier"),
]
