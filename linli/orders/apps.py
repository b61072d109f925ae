from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "linli.orders"
    label = "orders"
    verbose_name = "订单 Orders"

    def ready(self) -> None:
        from linli.core import events, fulfilment
        from linli.inventory.trace import sale_resolver_register
        from linli.orders.services import on_payment_captured, on_refund_succeeded
        from linli.orders.services.fulfilment_stage import on_fulfilment_stage
        from linli.orders.trace import sale_owners
        from linli.payments.events import PaymentCaptured, RefundSucceeded

        events.subscribe(PaymentCaptured, on_payment_captured)
        events.subscribe(RefundSucceeded, on_refund_succeeded)
        fulfilment.on_stage(on_fulfilment_stage)
        sale_resolver_register(sale_owners)
