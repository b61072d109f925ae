"""Consolidation: a paid order becomes a delivery with parcels; shops hand it to the hub (or a
courier collects it); a wave that was planned already is re-planned when an order joins it.

Parcels: one bag per storage class (ambient, chilled, frozen), split when a bag would exceed
`BAG_ML`. Volumes and weights come from the products (`volume_ml`, `weight_g`), with stated
defaults when a product has none.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from linli.accounts.models import User
from linli.catalog.models import Product
from linli.core.storage import coldest
from linli.delivery.errors import DeliveryError, DeliveryErrorCode
from linli.delivery.models import Delivery, Hub, Parcel, PlanningRun, SlotClaim
from linli.delivery.services.access import is_courier_for
from linli.orders.domain import Actor, Status
from linli.orders.models import Order
from linli.orders.services.lifecycle import move
from linli.shops.selectors import outlet_list_for_user

# Defaults for products without measurements: a typical grocery item.
DEFAULT_ML = {"ambient": 1000, "chilled": 800, "frozen": 800}
DEFAULT_G = 500
BAG_ML = 30_000  # one insulated bag or crate
METHODS = ("delivery_slot", "group_buy", "locker")


def _code() -> str:
    return f"LP{secrets.randbelow(10**10):010d}"


def parcels_for(order: Order) -> list[tuple[str, int, int]]:
    """(storage, volume_ml, weight_g) bags for the order's lines."""
    lines = list(order.lines.all())
    products = Product.objects.in_bulk([ln.product_id for ln in lines])
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for ln in lines:
        p = products.get(ln.product_id)
        ml = (p.volume_ml if p and p.volume_ml else DEFAULT_ML.get(ln.storage, 1000)) * ln.quantity
        g = (p.weight_g if p and p.weight_g else DEFAULT_G) * ln.quantity
        per[ln.storage or "ambient"][0] += ml
        per[ln.storage or "ambient"][1] += g
    bags: list[tuple[str, int, int]] = []
    for storage, (ml, g) in sorted(per.items()):
        n = max(1, -(-ml // BAG_ML))
        for i in range(n):
            bags.append((storage, ml // n + (i < ml % n), g // n + (i < g % n)))
    return bags


def community_hub(community_id: int) -> Hub | None:
    return Hub.objects.filter(community_id=community_id, active=True).order_by("pk").first()


def _int(value: object) -> int:
    """An id stored in the order's fulfilment data; 0 (no row) when absent or malformed."""
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 0


def _destination(order: Order) -> dict[str, object]:
    from linli.delivery.provider import resident_home

    data = order.fulfilment_data or {}
    if order.fulfilment_method == "locker":
        from linli.lockers.models import Site

        locker = Site.objects.filter(pk=_int(data.get("site_id"))).first()
        if locker is None:
            raise DeliveryError(DeliveryErrorCode.NOT_DELIVERY_ORDER)
        return {
            "destination": Delivery.Destination.LOCKER,
            "locker_site": locker,
            "community_id": locker.community_id,
            "lat": locker.lat,
            "lon": locker.lon,
        }
    if order.fulfilment_method == "group_buy":
        from linli.community.models import OutletSite

        point = OutletSite.objects.filter(pk=_int(data.get("pickup_site_id"))).first()
        if point is None:
            raise DeliveryError(DeliveryErrorCode.NO_PICKUP_POINT)
        return {
            "destination": Delivery.Destination.PICKUP_POINT,
            "pickup_site": point,
            "community_id": point.community_id,
            "lat": point.lat,
            "lon": point.lon,
        }
    home = resident_home(order.resident_id)
    if home is None:
        raise DeliveryError(DeliveryErrorCode.NO_ADDRESS)
    b = home.building
    return {
        "destination": Delivery.Destination.HOME,
        "household": home,
        "building": b,
        "community_id": b.community_id,
        "lat": b.lat,
        "lon": b.lon,
    }


@transaction.atomic
def delivery_open(*, order_id: int, day: date | None = None) -> Delivery:
    """The order is paid (or handed to the hub): its delivery and parcels. Idempotent."""
    existing = Delivery.objects.filter(order_id=order_id).first()
    if existing is not None:
        return existing
    order = Order.objects.get(pk=order_id)
    if order.fulfilment_method not in METHODS:
        raise DeliveryError(DeliveryErrorCode.NOT_DELIVERY_ORDER)
    dest = _destination(order)
    claim = (
        SlotClaim.objects.select_related("slot")
        .filter(order_id=order_id, status__in=("claimed", "confirmed"))
        .first()
    )
    slot = claim.slot if claim else None
    when = slot.date if slot else (day or timezone.localdate())
    bags = parcels_for(order)
    community_id = int(dest.pop("community_id"))  # type: ignore[call-overload]
    delivery = Delivery.objects.create(
        order=order,
        community_id=community_id,
        hub=community_hub(community_id),
        date=when,
        slot=slot,
        volume_ml=sum(b[1] for b in bags),
        weight_g=sum(b[2] for b in bags),
        storage=coldest([b[0] for b in bags]),
        **dest,  # type: ignore[arg-type]
    )
    Parcel.objects.bulk_create(
        [
            Parcel(delivery=delivery, code=_code(), storage=s, volume_ml=v, weight_g=g)
            for s, v, g in bags
        ]
    )
    wave_changed(community_id=community_id, day=when, reason="order_added")
    return delivery


def _hub_open(hub: Hub | None, now: datetime) -> None:
    if hub is None:
        return
    # to the minute, as the hours are written: a hub that closes at 23:59 is open until midnight
    t = timezone.localtime(now).time().replace(second=0, microsecond=0)
    if not hub.opens <= t <= hub.closes:
        raise DeliveryError(
            DeliveryErrorCode.HUB_CLOSED,
            hub=hub.name,
            hours=f"{hub.opens:%H:%M}–{hub.closes:%H:%M}",
        )


def _to_ready(order: Order, actor: User | None, note: str) -> None:
    """The hub takes the goods: for the order that is accepted and prepared (shop side)."""
    if order.status == Status.PAID:
        order = move(order, Status.ACCEPTED, Actor.SHOP, actor, note=note)
    if order.status == Status.ACCEPTED:
        move(order, Status.READY, Actor.SHOP, actor, note=note)
    elif order.status != Status.READY:
        raise DeliveryError(DeliveryErrorCode.WRONG_STATE, status=order.status)


@transaction.atomic
def delivery_hand_over(
    *, actor: User, order_id: int, by_courier: bool = False, now: datetime | None = None
) -> Delivery:
    """The shop hands a paid order to the hub (within its opening hours), or a courier of the
    community collects it at the shop. Locker orders join common delivery here."""
    now = now or timezone.now()
    order = Order.objects.select_for_update().filter(pk=order_id).first()
    if order is None:
        raise DeliveryError(DeliveryErrorCode.NOT_FOUND)
    delivery = Delivery.objects.filter(order=order).first()
    community_id = delivery.community_id if delivery else order.outlet.community_id
    if by_courier:
        allowed = is_courier_for(actor, community_id)
    else:
        allowed = outlet_list_for_user(user=actor).filter(pk=order.outlet_id).exists()
    if not allowed:
        raise DeliveryError(DeliveryErrorCode.NOT_FOUND)
    if delivery is None:
        delivery = delivery_open(order_id=order.pk, day=timezone.localdate(now))
    if delivery.status != Delivery.Status.WAITING:
        raise DeliveryError(DeliveryErrorCode.WRONG_STATE, status=delivery.get_status_display())
    if not by_courier:
        _hub_open(delivery.hub, now)
    _to_ready(order, actor, "共同配送交接 handed to the hub")
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.AT_HUB, at_hub_at=now)
    delivery.refresh_from_db()
    return delivery


def wave_changed(*, community_id: int, day: date, reason: str) -> PlanningRun | None:
    """An order joined (or came back to) a wave: if the wave has a plan, plan it again after
    commit; if a run is under way, it re-plans when it finishes."""
    latest = (
        PlanningRun.objects.filter(community_id=community_id, date=day)
        .exclude(status=PlanningRun.Status.SUPERSEDED)
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is None:
        return None
    if latest.status in (PlanningRun.Status.QUEUED, PlanningRun.Status.RUNNING):
        PlanningRun.objects.filter(pk=latest.pk).update(replan_wanted=True)
        return latest
    from linli.delivery.services.planning import planning_request

    return planning_request(
        actor=None,
        community_id=community_id,
        day=day,
        reason=reason,
        seconds=latest.seconds_budget,
    )


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(0)))
