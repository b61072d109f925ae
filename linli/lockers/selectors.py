"""Reads for lockers and the station, filtered by who asks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from linli.accounts.models import User
from linli.community.errors import CommunityError
from linli.community.network_store import engine_for
from linli.community.selectors import household_for_user
from linli.lockers import conf
from linli.lockers.fees import storage_fee
from linli.lockers.models import (
    Alarm,
    Booking,
    Cabinet,
    Charge,
    Parcel,
    Site,
    TemperatureReading,
)
from linli.lockers.services.common import sites_for_operator
from linli.shops.selectors import outlet_list_for_user


@dataclass(frozen=True)
class Fee:
    amount_fen: int
    status: str  # estimate (not quoted yet) | due | paid | waived


def sites_near(*, resident: User) -> list[tuple[Site, float | None]]:
    """Active locker sites of the resident's community within the walking circle, nearest
    first (walking minutes on the street network; without a network, every site, unranked)."""
    home = household_for_user(user=resident)
    if home is None:
        return []
    b = home.building
    sites = list(
        Site.objects.filter(
            community_id=b.community_id, kind=Site.Kind.LOCKER, active=True
        ).order_by("pk")
    )
    if not sites:
        return []
    limit = float(getattr(settings, "LINLI_CIRCLE_MINUTES", 15))
    try:
        engine = engine_for(b.community_id)
        r = engine.reachable_from(
            b.lat, b.lon, limit, ([s.lat for s in sites], [s.lon for s in sites])
        )
    except (CommunityError, Exception):  # no network or home off it: keep the community's sites
        return [(s, None) for s in sites]
    ranked = sorted(zip(r.index, r.minutes, strict=True), key=lambda x: float(x[1]))
    return [(sites[int(i)], float(m)) for i, m in ranked]


def bookings_for_resident(*, resident: User) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(resident=resident)
        .exclude(status=Booking.Status.RELEASED)
        .select_related("cabinet__site", "compartment", "outlet")
        .order_by("-created_at", "-pk")
    )


def fees_for_bookings(*, bookings: list[Booking], now: datetime | None = None) -> dict[int, Fee]:
    """What each deposited booking owes if opened now: the recorded charge when there is one
    (its amount is fixed once quoted), else the rule's estimate. Bookings owing nothing are
    left out; paid and waived charges are in with their status."""
    now = now or timezone.now()
    deposited = [b for b in bookings if b.status == Booking.Status.DEPOSITED and b.deposited_at]
    charges = {
        c.booking_id: c
        for c in Charge.objects.filter(
            booking__in=[b.pk for b in deposited], key__endswith=":storage"
        )
    }
    rule = conf.fee_rule()
    out: dict[int, Fee] = {}
    for b in deposited:
        c = charges.get(b.pk)
        if c is not None:
            out[b.pk] = Fee(c.amount_fen, c.status)
            continue
        amount = storage_fee(b.deposited_at, now, rule).amount_fen  # type: ignore[arg-type]
        if amount:
            out[b.pk] = Fee(amount, "estimate")
    return out


def parcels_for_resident(*, resident: User) -> QuerySet[Parcel]:
    return (
        Parcel.objects.filter(household__householdmember__user=resident)
        .select_related("site")
        .order_by("-registered_at", "-pk")
        .distinct()
    )


def bookings_for_shop(*, actor: User) -> QuerySet[Booking]:
    """Paid locker orders waiting to be deposited, and deposits in the lockers, for the
    actor's outlets."""
    return (
        Booking.objects.filter(
            outlet__in=outlet_list_for_user(user=actor),
            status__in=[
                Booking.Status.CONFIRMED,
                Booking.Status.DEPOSITED,
                Booking.Status.RETURNING,
            ],
        )
        .select_related("cabinet__site", "compartment", "outlet", "resident")
        .order_by("status", "created_at", "pk")
    )


def occupancy(*, actor: User) -> list[dict[str, object]]:
    """Per site of the operator: compartments per zone, held and free (one query)."""
    rows = (
        Cabinet.objects.filter(site__in=sites_for_operator(user=actor), site__kind="locker")
        .values("site_id", "site__name", "compartments__zone")
        .annotate(
            total=Count("compartments"),
            held=Count("compartments", filter=Q(compartments__state="held")),
            out=Count("compartments", filter=Q(compartments__state="out")),
        )
        .order_by("site__name", "compartments__zone")
    )
    return [
        {
            "site_id": r["site_id"],
            "site": r["site__name"],
            "zone": r["compartments__zone"],
            "total": r["total"],
            "held": r["held"],
            "free": r["total"] - r["held"] - r["out"],
        }
        for r in rows
        if r["compartments__zone"]
    ]


def alarms_for_operator(*, actor: User, open_only: bool = False) -> QuerySet[Alarm]:
    qs = Alarm.objects.filter(cabinet__site__in=sites_for_operator(user=actor))
    if open_only:
        qs = qs.filter(closed_at__isnull=True)
    return qs.select_related("cabinet__site").order_by("-opened_at", "-pk")


def overdue_for_operator(*, actor: User, now: datetime | None = None) -> QuerySet[Booking]:
    now = now or timezone.now()
    return (
        Booking.objects.filter(cabinet__site__in=sites_for_operator(user=actor))
        .filter(
            Q(status=Booking.Status.DEPOSITED, deadline__lt=now)
            | Q(status=Booking.Status.RETURNING)
        )
        .select_related("cabinet__site", "compartment", "outlet", "resident")
        .order_by("deadline", "pk")
    )


def readings_for_operator(
    *, actor: User, site_id: int | None = None, since: datetime | None = None
) -> QuerySet[TemperatureReading]:
    qs = TemperatureReading.objects.filter(cabinet__site__in=sites_for_operator(user=actor))
    if site_id:
        qs = qs.filter(cabinet__site_id=site_id)
    if since:
        qs = qs.filter(measured_at__gte=since)
    return qs.select_related("cabinet__site").order_by("measured_at", "pk")


def station_parcels(*, actor: User, site_id: int, status: str = "waiting") -> QuerySet[Parcel]:
    site_ids = sites_for_operator(user=actor).filter(kind=Site.Kind.STATION).values("pk")
    qs = Parcel.objects.filter(site_id=site_id, site_id__in=site_ids)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("household__building", "recipient", "site").order_by(
        "keep_until", "pk"
    )


def stations_for_operator(*, actor: User) -> QuerySet[Site]:
    return sites_for_operator(user=actor).filter(kind=Site.Kind.STATION).order_by("name")
