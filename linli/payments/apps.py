from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "linli.payments"
    label = "payments"
    verbose_name = "支付 Payments"

    def ready(self) -> None:
        from linli.core import collection, events
        from linli.payments.collect import PaymentsCollector, on_payment_captured
        from linli.payments.events import PaymentCaptured

        collection.register_collector(PaymentsCollector())
        events.subscribe(PaymentCaptured, on_payment_captured)
