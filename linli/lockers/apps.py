from django.apps import AppConfig


class LockersConfig(AppConfig):
    name = "linli.lockers"
    label = "lockers"
    verbose_name = "智能柜与代收点 Lockers and parcel station"

    def ready(self) -> None:
        from linli.core import fulfilment
        from linli.lockers.provider import LockerPickup

        fulfilment.register(LockerPickup())
