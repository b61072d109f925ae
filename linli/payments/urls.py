from django.urls import path

from linli.payments import views

app_name = "payments"
urlpatterns = [
    path("sandbox/<str:out_trade_no>/", views.sandbox_cashier, name="sandbox_cashier"),
    path("sandbox/<str:out_trade_no>/done/", views.sandbox_result, name="sandbox_result"),
]
