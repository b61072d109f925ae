"""Claiming a compartment like stock: the smallest free one of the right zone that fits, taken
with one conditional UPDATE (rows locked with SKIP LOCKED on PostgreSQL so racing checkouts
take different compartments instead of queueing), backed by a partial unique constraint."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from linli.accounts.models import User
from linli.core.storage import StorageClass
from linli.lockers import conf
from linli.lockers.errors import LockersError, LockersErrorCode
from linli.lockers.models import Booking, Compartment

FREE, HELD = Compartment.State.FREE, Compartment.State.HELD
ZONE_NAMES = {"ambient": "常温", "chilled": "冷藏", "frozen": "冷冻"}


def _size_rank() -> Case:
    return Case(
        *[When(size=s, then=Value(i)) for i, s in enumerate(conf.SIZE_ORDER)],
        output_field=IntegerField(),
    )


def free_compartments(
    *, cabinet_filter: dict[str, object], storage: str, volume_ml: int, weight_g: int
) -> QuerySet[Compartment]:
    fits = conf.sizes_that_fit(volume_ml=volume_ml, weight_g=weight_g)
    return (
        Compartment.objects.filter(
            **cabinet_filter, cabinet__active=True, zone=storage, size__in=fits, state=FREE
        )
        .annotate(rank=_size_rank())
        .order_by("rank", "cabinet_id", "pk")
    )


def compartment_take(
    *, cabinet_filter: dict[str, object], storage: str, volume_ml: int, weight_g: int
) -> Compartment | None:
    """Take the smallest free fitting compartment of exactly this zone, or None."""
    if storage not in StorageClass.values:
        raise LockersError(LockersErrorCode.WRONG_ZONE, storage=storage, zone="?")
    qs = free_compartments(
        cabinet_filter=cabinet_filter, storage=storage, volume_ml=volume_ml, weight_g=weight_g
    )
    skip_locked = connection.features.has_select_for_update_skip_locked
    for _attempt in range(10):
        # Lock exactly one row: locking a batch would hide the rest of it from racing
        # checkouts (SKIP LOCKED) until we commit, and they would answer "full" too early.
        batch = qs.select_for_update(skip_locked=True, of=("self",)) if skip_locked else qs
        ids = list(batch.values_list("pk", flat=True)[: 1 if skip_locked else 8])
        if not ids:
            return None
        for pk in ids:
            # The conditional UPDATE decides; on SQLite (serialised writers) it is the guard.
            if Compartment.objects.filter(pk=pk, state=FREE).update(state=HELD):
                return Compartment.objects.select_related("cabinet__site").get(pk=pk)
    return None


@transaction.atomic
def booking_claim(
    *,
    resident: User,
    site_ids: list[int],
    storage: str,
    volume_ml: int,
    weight_g: int,
    order_id: int | None = None,
    outlet_id: int | None = None,
    expires_at: datetime | None = None,
    consent: str = Booking.Consent.ORDER,
) -> Booking:
    """Hold a compartment at the first site (in the given order) that has one that fits."""
    for site_id in site_ids:
        comp = compartment_take(
            cabinet_filter={"cabinet__site_id": site_id, "cabinet__site__active": True},
            storage=storage,
            volume_ml=volume_ml,
            weight_g=weight_g,
        )
        if comp is not None:
            return Booking.objects.create(
                compartment=comp,
                cabinet=comp.cabinet,
                order_id=order_id,
                outlet_id=outlet_id,
                resident=resident,
                storage=storage,
                volume_ml=volume_ml,
                weight_g=weight_g,
                consent=consent,
                expires_at=expires_at,
            )
    raise LockersError(LockersErrorCode.NO_COMPARTMENT, zone=ZONE_NAMES.get(storage, storage))


def _free(booking: Booking, status: str, now: datetime) -> bool:
    """Close a booking and give its compartment back; False when it was already closed."""
    if not Booking.objects.filter(pk=booking.pk, status=booking.status).update(
        status=status, closed_at=now
    ):
        return False
    Compartment.objects.filter(pk=booking.compartment_id, state=HELD).update(state=FREE)
    booking.status, booking.closed_at = status, now
    return True


@transaction.atomic
def booking_release(*, order_id: int) -> int:
    """Unpaid or cancelled before deposit: the compartment is free again. Goods already in
    the compartment go back to the shop instead (returning). Idempotent."""
    from linli.lockers.services.deposit import booking_send_back

    now = timezone.now()
    released = 0
    for b in Booking.objects.filter(order_id=order_id, status__in=Booking.ACTIVE):
        if b.status in (Booking.Status.CLAIMED, Booking.Status.CONFIRMED):
            released += _free(b, Booking.Status.RELEASED, now)
        elif b.status == Booking.Status.DEPOSITED:
            booking_send_back(booking=b, reason="cancelled", report=False)
    return released


@transaction.atomic
def booking_confirm(*, order_id: int) -> Booking | None:
    """Paid: the claim no longer lapses. If it lapsed already, try to claim again."""
    b = Booking.objects.filter(order_id=order_id).order_by("-pk").first()
    if b is None:
        return None
    if b.status == Booking.Status.CLAIMED:
        Booking.objects.filter(pk=b.pk, status=b.status).update(
            status=Booking.Status.CONFIRMED, expires_at=None
        )
        b.refresh_from_db()
        return b
    if b.status == Booking.Status.RELEASED:
        try:
            again = booking_claim(
                resident=b.resident,
                site_ids=[b.cabinet.site_id],
                storage=b.storage,
                volume_ml=b.volume_ml,
                weight_g=b.weight_g,
                order_id=order_id,
                outlet_id=b.outlet_id,
            )
        except LockersError:
            return None  # the shop sees no compartment and hands over in store
        Booking.objects.filter(pk=again.pk).update(status=Booking.Status.CONFIRMED)
        again.refresh_from_db()
        return again
    return b


def bookings_release_expired(*, now: datetime | None = None) -> int:
    """Sweep claims whose order never paid (orders' own timeout normally releases them first)."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=conf.claim_grace_minutes())
    count = 0
    for b in Booking.objects.filter(status=Booking.Status.CLAIMED, expires_at__lt=cutoff):
        with transaction.atomic():
            count += _free(b, Booking.Status.RELEASED, now)
    return count
