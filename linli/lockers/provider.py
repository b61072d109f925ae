"""LockerPickup: the fulfilment provider checkout sees (registered in LockersConfig.ready()).

Choosing it is the resident's consent for this order. The compartment is claimed inside the
checkout transaction and lapses with the unpaid timeout; payment makes it permanent
(`on_paid`); the shop cannot mark the order ready before the goods are in it (`on_ready`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count

from linli.accounts.models import User
from linli.core.fulfilment import Option, Parcel
from linli.lockers import conf
from linli.lockers.errors import LockersError, LockersErrorCode
from linli.lockers.models import Booking, Compartment
from linli.lockers.selectors import sites_near
from linli.lockers.services.claims import (
    ZONE_NAMES,
    booking_claim,
    booking_confirm,
    booking_release,
)


class LockerPickup:
    method = "locker"
    claims = True

    def options(self, *, resident_id: int, parcel: Parcel) -> list[Option]:
        resident = User.objects.filter(pk=resident_id).first()
        near = sites_near(resident=resident) if resident is not None else []
        if not near:
            return []
        fits = conf.sizes_that_fit(volume_ml=parcel.volume_ml, weight_g=parcel.weight_g)
        free = dict(
            Compartment.objects.filter(
                cabinet__site__in=[s for s, _ in near],
                cabinet__active=True,
                zone=parcel.storage,
                size__in=fits,
                state=Compartment.State.FREE,
            )
            .values_list("cabinet__site_id")
            .annotate(n=Count("pk"))
        )
        for site, minutes in near:
            if free.get(site.pk):
                walk = f" · {minutes:.0f} 分钟" if minutes is not None else ""
                walk_en = f" · {minutes:.0f} min" if minutes is not None else ""
                return [
                    Option(
                        self.method,
                        f"智能柜自提（{site.name}{walk}）",
                        f"Locker pickup ({site.name}{walk_en})",
                        data={"site_id": site.pk},
                    )
                ]
        zone = ZONE_NAMES.get(parcel.storage, parcel.storage)
        err = LockersError(LockersErrorCode.NO_COMPARTMENT, zone=zone)
        return [
            Option(
                self.method,
                "智能柜自提",
                "Locker pickup",
                available=False,
                reason_zh=err.message("zh-hans"),
                reason_en=err.message("en"),
            )
        ]

    def claim(
        self,
        *,
        order_id: int,
        resident_id: int,
        parcel: Parcel,
        data: dict[str, Any],
        expires_at: datetime,
    ) -> dict[str, Any]:
        resident = User.objects.get(pk=resident_id)
        site_ids = [s.pk for s, _ in sites_near(resident=resident)]
        wanted = data.get("site_id")
        if isinstance(wanted, int) and wanted in site_ids:
            site_ids = [wanted]
        booking = booking_claim(
            resident=resident,
            site_ids=site_ids,
            storage=parcel.storage,
            volume_ml=parcel.volume_ml,
            weight_g=parcel.weight_g,
            order_id=order_id,
            outlet_id=parcel.outlet_id,
            expires_at=expires_at,
            consent=Booking.Consent.ORDER,
        )
        comp = booking.compartment
        return {
            "booking_id": booking.pk,
            "site_id": comp.cabinet.site_id,
            "site": comp.cabinet.site.name,
            "cabinet": comp.cabinet.serial,
            "compartment": comp.label,
            "zone": comp.zone,
        }

    def release(self, *, order_id: int) -> None:
        booking_release(order_id=order_id)

    def on_paid(self, *, order_id: int) -> None:
        booking_confirm(order_id=order_id)

    def on_ready(self, *, order_id: int) -> None:
        b = (
            Booking.objects.filter(order_id=order_id, status__in=Booking.ACTIVE)
            .select_related("compartment")
            .first()
        )
        if b is not None and b.status != Booking.Status.DEPOSITED:
            raise LockersError(LockersErrorCode.NOT_DEPOSITED, label=b.compartment.label)
