from django.apps import AppConfig


class LockersConfig(AppConfig):
    name = "linli.lockers"
    label = "lockers"
    verbose_name = "智能柜与代收点 Lockers and parcel station"

    def ready(self) -> None:
        from linli.core import collection, fulfilment
        from linli.lockers.models import Charge
        from linli.lockers.provider import LockerPickup
        from linli.lockers.services.charges import on_charge_paid

        fulfilment.register(LockerPickup())
        collection.on_paid(Charge.REFERENCE_PREFIX, on_charge_paid)
