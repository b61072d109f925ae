from django.urls import path

from linli.reports import views

app_name = "reports"
urlpatterns = [
    path("merchant/reports/", views.sales, name="sales"),
]
