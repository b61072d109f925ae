"""From the database to a routing `Problem`: the wave's deliveries as stops (households merged),
the community's fleet, the hub as depot, street matrices from the community's network; and the
same orders shop by shop (each outlet its own fleet) for the savings comparison.

Times are seconds from midnight of the delivery day; distances metres; volumes ml; weight g.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils import timezone

from linli.community.errors import CommunityError
from linli.community.models import Community
from linli.community.network_store import engine_for
from linli.delivery.models import Delivery, Hub
from linli.delivery.models import VehicleType as VehicleRow
from linli.delivery.network import street_matrices
from linli.delivery.routing import (
    Depot,
    Load,
    Matrix,
    Order,
    Problem,
    Stop,
    Unplanned,
    VehicleType,
    merge_orders,
)
from linli.delivery.routing.savings import cold_van, e_trike

SERVICE_S = {"home": 120, "locker": 90, "pickup_point": 60}
PLANNABLE = (Delivery.Status.WAITING, Delivery.Status.AT_HUB)


def seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def load_of(d: Delivery) -> Load:
    per = {"ambient": 0, "chilled": 0, "frozen": 0}
    for p in d.parcels.all():
        per[p.storage] = per.get(p.storage, 0) + p.volume_ml
    return Load(per["ambient"], per["chilled"], per["frozen"], d.weight_g)


def point_of(d: Delivery) -> tuple[str, str] | None:
    """(matrix point key, household key) or None when the delivery has no place."""
    if d.destination == Delivery.Destination.LOCKER and d.locker_site_id:
        return f"l:{d.locker_site_id}", f"l:{d.locker_site_id}"
    if d.destination == Delivery.Destination.PICKUP_POINT and d.pickup_site_id:
        return f"p:{d.pickup_site_id}", f"p:{d.pickup_site_id}"
    if d.building_id:
        return f"b:{d.building_id}", f"h:{d.household_id or d.building_id}"
    return None


def window_of(d: Delivery, opens: int, closes: int) -> tuple[int, int]:
    if d.slot is not None and d.destination == Delivery.Destination.HOME:
        return seconds(d.slot.starts), seconds(d.slot.ends)
    if d.slot is not None and d.destination == Delivery.Destination.PICKUP_POINT:
        return opens, seconds(d.slot.starts)  # there before the residents come
    return opens, closes


def fleet(rows: list[VehicleRow], depot: str) -> list[VehicleType]:
    return [
        VehicleType(
            id=f"vt{r.pk}",
            capacity=Load(r.ambient_ml, r.chilled_ml, r.frozen_ml, r.weight_g),
            count=r.count,
            depot=depot,
            fixed_cost=r.fixed_cost,
            profile=r.profile,
            speed_kmh=r.speed_kmh,
            shift_start=seconds(r.shift_start),
            shift_end=seconds(r.shift_end),
            g_co2_per_km=r.g_co2_per_km,
        )
        for r in rows
    ]


@dataclass
class Wave:
    """Everything planning needs about one community's day, read once."""

    community: Community
    day: date
    hub: Hub | None
    deliveries: list[Delivery]
    problem: Problem
    unplanned: list[Unplanned] = field(default_factory=list)
    by_shop: dict[str, Problem] = field(default_factory=dict)
    collection: Problem | None = None
    names: dict[str, str] = field(default_factory=dict)


def _now_seconds(day: date, now: datetime | None) -> int | None:
    now = timezone.localtime(now or timezone.now())
    if now.date() == day:
        return seconds(now.time())
    return 0 if now.date() > day else None


def wave_build(
    *, community: Community, day: date, now: datetime | None = None, compare: bool = True
) -> Wave:
    hub = Hub.objects.filter(community=community, active=True).order_by("pk").first()
    deliveries = list(
        Delivery.objects.filter(community=community, date=day, status__in=PLANNABLE)
        .select_related("slot", "order__outlet", "building", "locker_site", "pickup_site")
        .prefetch_related("parcels")
        .order_by("pk")
    )
    opens = seconds(hub.opens) if hub else 7 * 3600
    closes = seconds(hub.closes) if hub else 21 * 3600 + 1800
    hub_lat = hub.lat if hub else community.center_lat
    hub_lon = hub.lon if hub else community.center_lon
    depot = Depot("hub", hub_lon, hub_lat, opens, closes)
    rows = list(VehicleRow.objects.filter(community=community).order_by("pk"))
    shared = [r for r in rows if r.outlet_id is None]
    unplanned: list[Unplanned] = []
    orders: list[Order] = []
    points: dict[str, tuple[float, float]] = {"hub": (hub_lat, hub_lon)}
    names: dict[str, str] = {}
    for d in deliveries:
        where = point_of(d)
        if where is None or d.lat is None or d.lon is None:
            unplanned.append(Unplanned(f"d{d.pk}", (str(d.pk),), "no_address"))
            continue
        point, household = where
        points[point] = (d.lat, d.lon)
        names[point] = _place_name(d)
        early, late = window_of(d, opens, closes)
        orders.append(
            Order(
                id=str(d.pk),
                household=household,
                x=d.lon,
                y=d.lat,
                demand=load_of(d),
                tw_early=early,
                tw_late=late,
                service=SERVICE_S[d.destination],
                point=point,
            )
        )
    shops = {d.order.outlet_id: d.order.outlet for d in deliveries}
    for oid, outlet in shops.items():
        points[f"s:{oid}"] = (outlet.lat, outlet.lon)
    speeds: dict[str, float] = defaultdict(lambda: 1e9)
    for r in rows:
        speeds[r.profile] = min(speeds[r.profile], r.speed_kmh)
    for vt in (e_trike("x", 1), cold_van("x", 1)):  # the default shop fleet's profiles
        speeds.setdefault(vt.profile, vt.speed_kmh)
    matrices = _matrices(community, points, dict(speeds))
    now_s = _now_seconds(day, now)
    problem = Problem(
        [depot],
        merge_orders(orders),
        fleet(shared, "hub"),
        matrices,
        geometry="lonlat",
        now=now_s,
        name=f"{community.pk}:{day}",
    )
    wave = Wave(community, day, hub, deliveries, problem, unplanned, names=names)
    if compare:
        _compare(wave, orders, rows, shops, matrices, opens, closes, now_s)
    return wave


def _place_name(d: Delivery) -> str:
    if d.locker_site is not None:
        return d.locker_site.name
    if d.pickup_site is not None:
        return d.pickup_site.name
    if d.building is not None:
        return d.building.name or f"#{d.building_id}"
    return ""


def _matrices(
    community: Community, points: dict[str, tuple[float, float]], speeds: dict[str, float]
) -> dict[str, Matrix]:
    try:
        engine = engine_for(community.pk)
    except CommunityError:
        return {}  # no street network: the solver estimates from coordinates (detour 1.3)
    items = [(k, lat, lon) for k, (lat, lon) in points.items()]
    mats, _ = street_matrices(engine, items, speeds)
    return mats


def _compare(
    wave: Wave,
    orders: list[Order],
    rows: list[VehicleRow],
    shops: Mapping[int, object],
    matrices: dict[str, Matrix],
    opens: int,
    closes: int,
    now_s: int | None,
) -> None:
    """Shop by shop: each outlet delivers its own orders with its own fleet (its VehicleType
    rows, or 3 e-trikes and a refrigerated van); consolidated also pays for collecting the
    goods from the shops to the hub before the first slot (refrigerated vans)."""
    shop_of = {str(d.pk): d.order.outlet_id for d in wave.deliveries}
    mine: dict[int, list[Order]] = defaultdict(list)
    for o in orders:
        mine[shop_of[o.id]].append(o)
    load: dict[int, Load] = {}
    for oid, group in mine.items():
        depot_id = f"s:{oid}"
        outlet = shops[oid]
        own = [r for r in rows if r.outlet_id == oid]
        vts = fleet(own, depot_id) if own else [e_trike(depot_id, 3), cold_van(depot_id, 1)]
        depot = Depot(depot_id, outlet.lon, outlet.lat, opens, closes)  # type: ignore[attr-defined]
        wave.by_shop[depot_id] = Problem(
            [depot], merge_orders(group), vts, matrices, geometry="lonlat", now=now_s
        )
        total = Load()
        for o in group:
            total = total + o.demand
        load[oid] = total
    pickups = [
        Stop(f"s:{oid}", shops[oid].lon, shops[oid].lat, total, opens, opens + 3 * 3600, 300)  # type: ignore[attr-defined]
        for oid, total in load.items()
    ]
    if pickups:
        vans = [cold_van("hub", len(pickups), (opens, closes))]
        wave.collection = Problem(
            [wave.problem.depots[0]], pickups, vans, matrices, geometry="lonlat"
        )
