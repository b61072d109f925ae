from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "linli.payments"
    label = "payments"
    verbose_name = "支付 Payments"
