from django.urls import path

from linli.community import views

app_name = "community"
urlpatterns = [
    path("property/", views.home_property, name="home_property"),
]
