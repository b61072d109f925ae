"""Delivery slots: generated per community and day, claimed at checkout like stock.

A claim is one conditional UPDATE (`claimed < capacity` and the cut-off not passed); the
CheckConstraint `claimed <= capacity` is the backstop should any other path write the column.
Releasing is idempotent: only a live claim gives its place back, once.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from linli.community.models import Community, OutletSite
from linli.delivery.errors import DeliveryError, DeliveryErrorCode
from linli.delivery.models import Slot, SlotClaim

LIVE = (SlotClaim.Status.CLAIMED, SlotClaim.Status.CONFIRMED)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def slot_hours() -> tuple[int, int]:
    """First slot start and last slot end (hours): 08:00–21:00 unless configured."""
    return _setting("LINLI_DELIVERY_FIRST_HOUR", 8), _setting("LINLI_DELIVERY_LAST_HOUR", 21)


def cutoff_minutes() -> int:
    return _setting("LINLI_DELIVERY_CUTOFF_MINUTES", 60)


def slot_capacity() -> int:
    return _setting("LINLI_DELIVERY_SLOT_CAPACITY", 40)


def group_buy_cutoff_hour() -> int:
    return _setting("LINLI_GROUP_BUY_CUTOFF_HOUR", 23)


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


@transaction.atomic
def slots_ensure(
    *, community: Community, day: date, capacity: int | None = None, hours: int = 1
) -> list[Slot]:
    """Home-delivery slots of `hours` each between the configured first and last hour, with a
    cut-off `cutoff_minutes()` before each start. Existing slots are kept as they are."""
    first, last = slot_hours()
    cap = slot_capacity() if capacity is None else capacity
    out = []
    for h in range(first, last, hours):
        starts, ends = time(h), time(min(h + hours, 23))
        slot, _ = Slot.objects.get_or_create(
            community=community,
            kind=Slot.Kind.HOME,
            date=day,
            starts=starts,
            defaults={
                "ends": ends,
                "capacity": cap,
                "cutoff_at": _aware(day, starts) - timedelta(minutes=cutoff_minutes()),
            },
        )
        out.append(slot)
    return out


def pickup_point(community: Community) -> OutletSite | None:
    return (
        OutletSite.objects.filter(community=community, kind=OutletSite.Kind.PICKUP_POINT)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def group_buy_slot_ensure(
    *, community: Community, now: datetime | None = None, capacity: int = 500
) -> Slot | None:
    """社区团购: order until the daily cut-off (23:00), collect the next day at the pickup point.

    After the cut-off the next open slot is the day after tomorrow's."""
    site = pickup_point(community)
    if site is None:
        return None
    now = timezone.localtime(now or timezone.now())
    cutoff = now.replace(hour=group_buy_cutoff_hour(), minute=0, second=0, microsecond=0)
    if now >= cutoff:
        cutoff += timedelta(days=1)
    day = (cutoff + timedelta(days=1)).date()
    slot, _ = Slot.objects.get_or_create(
        community=community,
        kind=Slot.Kind.GROUP_BUY,
        date=day,
        starts=time(10),
        defaults={
            "ends": time(20),
            "capacity": capacity,
            "cutoff_at": cutoff,
            "pickup_site": site,
        },
    )
    return slot


def slot_unavailable(slot: Slot, now: datetime) -> DeliveryError | None:
    """Why a slot cannot be booked now, or None."""
    if slot.cutoff_at <= now:
        return DeliveryError(DeliveryErrorCode.SLOT_CLOSED, slot=str(slot))
    if slot.claimed >= slot.capacity:
        return DeliveryError(DeliveryErrorCode.SLOT_FULL, slot=str(slot))
    return None


def slot_claim(
    *, slot_id: int, order_id: int, expires_at: datetime | None, now: datetime | None = None
) -> SlotClaim:
    """Take one place in the slot, inside the caller's (checkout) transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        won = Slot.objects.filter(pk=slot_id, claimed__lt=F("capacity"), cutoff_at__gt=now).update(
            claimed=F("claimed") + 1
        )
        if not won:
            slot = Slot.objects.filter(pk=slot_id).first()
            if slot is None:
                raise DeliveryError(DeliveryErrorCode.NO_SLOT)
            raise slot_unavailable(slot, now) or DeliveryError(
                DeliveryErrorCode.SLOT_FULL, slot=str(slot)
            )
        return SlotClaim.objects.create(slot_id=slot_id, order_id=order_id, expires_at=expires_at)


@transaction.atomic
def slot_release(*, order_id: int) -> bool:
    """Give the order's place back (unpaid, cancelled). Idempotent."""
    claim = SlotClaim.objects.select_for_update().filter(order_id=order_id, status__in=LIVE).first()
    if claim is None:
        return False
    if SlotClaim.objects.filter(pk=claim.pk, status__in=LIVE).update(
        status=SlotClaim.Status.RELEASED
    ):
        Slot.objects.filter(pk=claim.slot_id, claimed__gt=0).update(claimed=F("claimed") - 1)
        return True
    return False


@transaction.atomic
def slot_confirm(*, order_id: int) -> SlotClaim | None:
    """Payment captured: the place is the order's for good (no expiry)."""
    SlotClaim.objects.filter(order_id=order_id, status=SlotClaim.Status.CLAIMED).update(
        status=SlotClaim.Status.CONFIRMED, expires_at=None
    )
    return (
        SlotClaim.objects.select_related("slot").filter(order_id=order_id, status__in=LIVE).first()
    )


@transaction.atomic
def slot_move(*, order_id: int, slot_id: int, now: datetime | None = None) -> Slot:
    """Reschedule after a failed attempt: a confirmed place in another slot. The old place
    stays used (the attempt happened); capacity is claimed with the same conditional UPDATE."""
    SlotClaim.objects.filter(order_id=order_id, status__in=LIVE).update(
        status=SlotClaim.Status.RELEASED
    )
    claim = slot_claim(slot_id=slot_id, order_id=order_id, expires_at=None, now=now)
    SlotClaim.objects.filter(pk=claim.pk).update(status=SlotClaim.Status.CONFIRMED)
    return Slot.objects.get(pk=slot_id)
