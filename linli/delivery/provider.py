"""The fulfilment providers checkout sees (registered in DeliveryConfig.ready()).

`delivery_slot`: home delivery in a 1-hour slot through the community hub. `group_buy`: 社区团购,
order until the daily cut-off and collect the next day at the community's pickup point. Both
claim one place in a slot inside the checkout transaction, give it back on cancel/expiry, make
it permanent on payment (`on_paid`, which also turns the order into a delivery with parcels).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from linli.community.models import Community, Household
from linli.core.fulfilment import Option, Parcel
from linli.delivery.errors import DeliveryError, DeliveryErrorCode
from linli.delivery.models import Delivery, Slot
from linli.delivery.services import slots as slot_services

SHOWN_SLOTS = 8


def resident_home(resident_id: int) -> Household | None:
    """The resident's household (primary first): where a home delivery goes."""
    return (
        Household.objects.select_related("building__community")
        .filter(householdmember__user_id=resident_id)
        .order_by("-householdmember__is_primary", "pk")
        .first()
    )


def _unavailable(method: str, zh: str, en: str, err: DeliveryError) -> Option:
    return Option(
        method,
        zh,
        en,
        available=False,
        reason_zh=err.message("zh-hans"),
        reason_en=err.message("en"),
    )


def _slot_label(slot: Slot, now: datetime) -> tuple[str, str]:
    today = timezone.localtime(now).date()
    day_zh = {0: "今天", 1: "明天", 2: "后天"}.get((slot.date - today).days, f"{slot.date:%m-%d}")
    day_en = {0: "today", 1: "tomorrow"}.get((slot.date - today).days, f"{slot.date:%m-%d}")
    hours = f"{slot.starts:%H:%M}–{slot.ends:%H:%M}"
    return f"送货上门 · {day_zh} {hours}", f"Home delivery · {day_en} {hours}"


def home_slots(community: Community, now: datetime) -> list[Slot]:
    """Today's slots not yet started and tomorrow's (generated on first look)."""
    today = timezone.localtime(now).date()
    for day in (today, today + timedelta(days=1)):
        if not Slot.objects.filter(community=community, kind=Slot.Kind.HOME, date=day).exists():
            slot_services.slots_ensure(community=community, day=day)
    local = timezone.localtime(now)
    return [
        s
        for s in Slot.objects.filter(
            community=community, kind=Slot.Kind.HOME, date__in=[today, today + timedelta(days=1)]
        ).order_by("date", "starts")
        if s.date > today or s.starts > local.time()
    ]


class DeliverySlotProvider:
    method = "delivery_slot"

    def options(self, *, resident_id: int, parcel: Parcel) -> list[Option]:
        home = resident_home(resident_id)
        if home is None:
            err = DeliveryError(DeliveryErrorCode.NO_ADDRESS)
            return [_unavailable(self.method, "送货上门", "Home delivery", err)]
        now = timezone.now()
        out: list[Option] = []
        for slot in home_slots(home.building.community, now):
            zh, en = _slot_label(slot, now)
            why = slot_services.slot_unavailable(slot, now)
            if why is not None:
                out.append(_unavailable(self.method, zh, en, why))
            else:
                out.append(Option(self.method, zh, en, data={"slot_id": slot.pk}))
            if sum(o.available for o in out) >= SHOWN_SLOTS:
                break
        return out

    def claim(
        self,
        *,
        order_id: int,
        resident_id: int,
        parcel: Parcel,
        data: dict[str, Any],
        expires_at: datetime,
    ) -> dict[str, Any]:
        home = resident_home(resident_id)
        if home is None:
            raise DeliveryError(DeliveryErrorCode.NO_ADDRESS)
        now = timezone.now()
        wanted = data.get("slot_id")
        if isinstance(wanted, int) and not isinstance(wanted, bool):
            slot = Slot.objects.filter(
                pk=wanted, community=home.building.community, kind=Slot.Kind.HOME
            ).first()
            if slot is None:
                raise DeliveryError(DeliveryErrorCode.NO_SLOT)
        else:  # the cart page sends the method only: the earliest slot with room
            slot = next(
                (
                    s
                    for s in home_slots(home.building.community, now)
                    if slot_services.slot_unavailable(s, now) is None
                ),
                None,
            )
            if slot is None:
                raise DeliveryError(DeliveryErrorCode.NO_SLOT)
        slot_services.slot_claim(slot_id=slot.pk, order_id=order_id, expires_at=expires_at, now=now)
        return {
            "slot_id": slot.pk,
            "date": slot.date.isoformat(),
            "window": f"{slot.starts:%H:%M}–{slot.ends:%H:%M}",
            "household_id": home.pk,
        }

    def release(self, *, order_id: int) -> None:
        slot_services.slot_release(order_id=order_id)
        Delivery.objects.filter(order_id=order_id, status__in=Delivery.OPEN).update(
            status=Delivery.Status.CANCELLED
        )

    def on_paid(self, *, order_id: int) -> None:
        from linli.delivery.services.consolidation import delivery_open

        slot_services.slot_confirm(order_id=order_id)
        delivery_open(order_id=order_id)


class GroupBuyProvider:
    method = "group_buy"

    def _slot(self, resident_id: int) -> Slot | DeliveryError:
        home = resident_home(resident_id)
        if home is None:
            return DeliveryError(DeliveryErrorCode.NO_ADDRESS)
        slot = slot_services.group_buy_slot_ensure(community=home.building.community)
        if slot is None:
            return DeliveryError(DeliveryErrorCode.NO_PICKUP_POINT)
        return slot

    def options(self, *, resident_id: int, parcel: Parcel) -> list[Option]:
        slot = self._slot(resident_id)
        if isinstance(slot, DeliveryError):
            if slot.code == DeliveryErrorCode.NO_PICKUP_POINT:
                return []  # no group buying here: not worth a disabled line
            return [_unavailable(self.method, "社区团购自提", "Group-buy pickup", slot)]
        site = slot.pickup_site.name if slot.pickup_site else ""
        cut = timezone.localtime(slot.cutoff_at)
        zh = f"社区团购 · {slot.date:%m-%d} 到 {site} 自提（{cut:%H:%M} 截单）"
        en = f"Group buy · collect {slot.date:%m-%d} at {site} (order by {cut:%H:%M})"
        why = slot_services.slot_unavailable(slot, timezone.now())
        if why is not None:
            return [_unavailable(self.method, zh, en, why)]
        return [Option(self.method, zh, en, data={"slot_id": slot.pk})]

    def claim(
        self,
        *,
        order_id: int,
        resident_id: int,
        parcel: Parcel,
        data: dict[str, Any],
        expires_at: datetime,
    ) -> dict[str, Any]:
        slot = self._slot(resident_id)
        if isinstance(slot, DeliveryError):
            raise slot
        slot_services.slot_claim(slot_id=slot.pk, order_id=order_id, expires_at=expires_at)
        site = slot.pickup_site
        return {
            "slot_id": slot.pk,
            "date": slot.date.isoformat(),
            "pickup_site_id": site.pk if site else None,
            "pickup_site": site.name if site else "",
        }

    def release(self, *, order_id: int) -> None:
        slot_services.slot_release(order_id=order_id)
        Delivery.objects.filter(order_id=order_id, status__in=Delivery.OPEN).update(
            status=Delivery.Status.CANCELLED
        )

    @transaction.atomic
    def on_paid(self, *, order_id: int) -> None:
        from linli.delivery.services.consolidation import delivery_open

        slot_services.slot_confirm(order_id=order_id)
        delivery_open(order_id=order_id)
