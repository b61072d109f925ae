"""The routing problem as the product states it, before any solver sees it.

Plain dataclasses so the delivery app, the instance readers and the independent checker all
speak the same language, and none of them needs PyVRP. Units are integers because the solver
works in integers: distances in metres, times in seconds from the day's origin (midnight of
the delivery day), volumes in millilitres, weight in grams. Benchmark instances reuse the same
fields in their own units and say so through `Problem.cost_scale`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

# Seconds in a day: the default end of every window and shift.
DAY = 24 * 3600
# A "no upper bound" window end that still leaves room for sums without overflow.
OPEN_END = 1 << 40
# Matrix entries that have no street path are stored as this in the integer matrices.
MISSING = -1

DIMENSIONS: tuple[str, ...] = ("ambient", "chilled", "frozen", "weight")
COLD_DIMENSIONS: tuple[str, ...] = ("chilled", "frozen")


@dataclass(frozen=True, slots=True)
class Load:
    """Demand or capacity per load dimension: three storage classes by volume, plus weight.

    A vehicle without a cold box has chilled = frozen = 0 capacity, which is what keeps cold
    goods out of ambient vehicles: no separate rule the solver could forget.
    """

    ambient: int = 0
    chilled: int = 0
    frozen: int = 0
    weight: int = 0

    def __add__(self, other: Load) -> Load:
        return Load(*(a + b for a, b in zip(self.as_tuple(), other.as_tuple(), strict=True)))

    def as_tuple(self) -> tuple[int, int, int, int]:
        return (self.ambient, self.chilled, self.frozen, self.weight)

    @property
    def is_cold(self) -> bool:
        return self.chilled > 0 or self.frozen > 0

    def exceeds(self, capacity: Load) -> list[str]:
        """Names of the dimensions where this load does not fit `capacity`."""
        return [
            name
            for name, need, cap in zip(
                DIMENSIONS, self.as_tuple(), capacity.as_tuple(), strict=True
            )
            if need > cap
        ]


@dataclass(frozen=True, slots=True)
class Depot:
    """A hub (共同配送点) or a shop that vehicles start from and return to."""

    id: str
    x: float
    y: float
    opens: int = 0
    closes: int = OPEN_END


@dataclass(frozen=True, slots=True)
class Stop:
    """One place to deliver to: a home, a locker or a pickup point, with everything for it.

    `point` is the key in the caller's matrices (defaults to `id`), so several stops at one
    address or locker can share one matrix row.
    """

    id: str
    x: float
    y: float
    demand: Load = Load()
    tw_early: int = 0
    tw_late: int = OPEN_END
    service: int = 0
    order_ids: tuple[str, ...] = ()
    household: str | None = None
    point: str | None = None

    @property
    def key(self) -> str:
        return self.point if self.point is not None else self.id


@dataclass(frozen=True, slots=True)
class VehicleType:
    """A kind of vehicle with how many there are, where they start, and what they cost.

    `profile` names the street-network profile (riding for e-trikes, driving for vans) whose
    matrix the caller supplies; without one, travel is estimated from coordinates at
    `speed_kmh`. `g_co2_per_km` feeds the savings estimate only.
    """

    id: str
    capacity: Load
    count: int = 1
    depot: str = ""
    fixed_cost: int = 0
    unit_distance_cost: int = 1
    unit_duration_cost: int = 0
    profile: str = "drive"
    speed_kmh: float = 25.0
    shift_start: int = 0
    shift_end: int = OPEN_END
    g_co2_per_km: float = 0.0

    @property
    def refrigerated(self) -> bool:
        return self.capacity.is_cold


@dataclass(frozen=True)
class Matrix:
    """Distances (metres) and durations (seconds) between the points named in `ids`.

    Missing paths are `inf` or `nan` (the street engine could not connect them).
    """

    ids: list[str]
    distance: np.ndarray
    duration: np.ndarray


@dataclass(frozen=True)
class Problem:
    """Everything one planning run needs. Depots first, then stops: that is the index order
    of every integer matrix built from it (`location_index`)."""

    depots: list[Depot]
    stops: list[Stop]
    vehicle_types: list[VehicleType]
    matrices: Mapping[str, Matrix] = field(default_factory=dict)
    geometry: Literal["xy", "lonlat"] = "xy"
    detour: float = 1.3
    now: int | None = None
    cost_scale: int = 1
    name: str = ""

    def location_keys(self) -> list[str]:
        return [d.id for d in self.depots] + [s.key for s in self.stops]

    def depot_index(self, depot_id: str) -> int:
        for i, depot in enumerate(self.depots):
            if depot.id == depot_id:
                return i
        raise KeyError(f"unknown depot {depot_id!r}")

    def vehicle_depot(self, vt: VehicleType) -> int:
        return self.depot_index(vt.depot) if vt.depot else 0


@dataclass(frozen=True, slots=True)
class Order:
    """A customer order as the delivery app hands it over, before households are merged."""

    id: str
    household: str
    x: float
    y: float
    demand: Load
    tw_early: int = 0
    tw_late: int = OPEN_END
    service: int = 60
    point: str | None = None


def merge_orders(orders: Iterable[Order], extra_service: int = 30) -> list[Stop]:
    """One stop per household and compatible window: the courier rings once, not per shop.

    Orders whose windows overlap are merged (demand summed, windows intersected, service =
    longest + `extra_service` per further parcel); a household with disjoint windows (morning
    and evening slot) keeps one stop per window.
    """
    by_household: dict[str, list[Order]] = {}
    for order in orders:
        by_household.setdefault(order.household, []).append(order)
    stops: list[Stop] = []
    for household, group in by_household.items():
        group.sort(key=lambda o: (o.tw_early, o.tw_late, o.id))
        bundles: list[list[Order]] = []
        lo, hi = 0, 0
        for order in group:
            if bundles and max(lo, order.tw_early) <= min(hi, order.tw_late):
                bundles[-1].append(order)
                lo, hi = max(lo, order.tw_early), min(hi, order.tw_late)
            else:
                bundles.append([order])
                lo, hi = order.tw_early, order.tw_late
        for n, bundle in enumerate(bundles):
            first = bundle[0]
            demand = Load()
            for order in bundle:
                demand = demand + order.demand
            stops.append(
                Stop(
                    id=household if len(bundles) == 1 else f"{household}#{n + 1}",
                    x=first.x,
                    y=first.y,
                    demand=demand,
                    tw_early=max(o.tw_early for o in bundle),
                    tw_late=min(o.tw_late for o in bundle),
                    service=max(o.service for o in bundle) + extra_service * (len(bundle) - 1),
                    order_ids=tuple(o.id for o in bundle),
                    household=household,
                    point=first.point,
                )
            )
    return stops


def _coordinate_distances(problem: Problem) -> np.ndarray:
    """Straight-line metres between all locations, times the street detour factor."""
    pts = [(d.x, d.y) for d in problem.depots] + [(s.x, s.y) for s in problem.stops]
    xy = np.asarray(pts, dtype=float).reshape(-1, 2)
    if problem.geometry == "lonlat":
        lon, lat = np.radians(xy[:, 0]), np.radians(xy[:, 1])
        dlat = lat[:, None] - lat[None, :]
        dlon = lon[:, None] - lon[None, :]
        a = (
            np.sin(dlat / 2) ** 2
            + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dlon / 2) ** 2
        )
        straight = 2 * 6_371_000.0 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    else:
        straight = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    return straight * problem.detour


def _to_int(values: np.ndarray) -> np.ndarray:
    """Round to whole units; anything not finite or negative becomes MISSING."""
    out = np.full(values.shape, MISSING, dtype=np.int64)
    ok = np.isfinite(values) & (values >= 0)
    out[ok] = np.rint(values[ok]).astype(np.int64)
    return out


def profile_key(problem: Problem, vt: VehicleType) -> str:
    """Vehicle types that share a supplied matrix share a profile; estimated ones also by speed."""
    if vt.profile in problem.matrices:
        return vt.profile
    return f"{vt.profile}@{vt.speed_kmh:g}"


def integer_matrices(problem: Problem) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """(distance, duration) integer matrices per profile key over `location_keys()`.

    Supplied matrices are looked up by point id: a point the street engine does not know gets
    MISSING rows and columns, which is how "off the network" reaches the planner.
    """
    keys = problem.location_keys()
    n = len(keys)
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    straight: np.ndarray | None = None
    for vt in problem.vehicle_types:
        pk = profile_key(problem, vt)
        if pk in out:
            continue
        supplied = problem.matrices.get(vt.profile)
        if supplied is not None:
            pos = {k: i for i, k in enumerate(supplied.ids)}
            idx = np.array([pos.get(k, -1) for k in keys], dtype=np.int64)
            dist = np.full((n, n), np.inf)
            dur = np.full((n, n), np.inf)
            known = idx >= 0
            sub = np.ix_(np.flatnonzero(known), np.flatnonzero(known))
            dist[sub] = np.asarray(supplied.distance, dtype=float)[np.ix_(idx[known], idx[known])]
            dur[sub] = np.asarray(supplied.duration, dtype=float)[np.ix_(idx[known], idx[known])]
            np.fill_diagonal(dist, 0.0)
            np.fill_diagonal(dur, 0.0)
            out[pk] = (_to_int(dist), _to_int(dur))
        else:
            if straight is None:
                straight = _coordinate_distances(problem)
            speed = max(vt.speed_kmh, 1e-6) / 3.6
            out[pk] = (_to_int(straight), _to_int(straight / speed))
    return out


def with_stops(problem: Problem, stops: list[Stop]) -> Problem:
    """The same problem over another set of stops (re-planning when an order is added)."""
    return replace(problem, stops=stops)


def kilometres(metres: float) -> float:
    return round(metres / 1000.0, 3) if math.isfinite(metres) else math.inf
