from django.urls import path

from linli.community import views

app_name = "community"
urlpatterns = [
    path("property/", views.home_property, name="home_property"),
    path("resident/me/", views.resident_me, name="resident_me"),
    path("resident/me/consent/", views.resident_consent, name="resident_consent"),
]
