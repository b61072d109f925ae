from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "linli.delivery"
    label = "delivery"
    verbose_name = "共同配送 Common delivery"

    def ready(self) -> None:
        from linli.core import fulfilment
        from linli.delivery.provider import DeliverySlotProvider, GroupBuyProvider

        fulfilment.register(DeliverySlotProvider())
        fulfilment.register(GroupBuyProvider())
