"""What consolidation saves: the same orders shop-by-shop vs through one community hub.

Issue 6 promises the community and the commerce bureau vehicle-km, vehicles, hours and an
emissions estimate per wave. Both sides are planned by the same solver so the comparison is
fair; the consolidated side also pays for collecting the goods from the shops to the hub when
a `collection` problem is given (it should be: otherwise the saving is overstated).

Emission factors (stated, not measured; override per vehicle type with `g_co2_per_km`):
- grid electricity: 0.5703 kg CO₂/kWh, China's national grid average factor (MEE, 2022 data);
- e-trike: 0 tailpipe, ~0.03 kWh/km at the socket → ≈ 17 g CO₂/km from the grid;
- light van (petrol, ~9 L/100 km × 2.3 kg CO₂/L): ≈ 210 g CO₂/km;
- refrigerated van: van + ~20 % for the cooling unit: ≈ 250 g CO₂/km.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass

from .model import Depot, Load, Order, Problem, Stop, VehicleType, merge_orders
from .plan import Plan
from .solver import solve

GRID_KG_PER_KWH = 0.5703
E_TRIKE_KWH_PER_KM = 0.03
G_CO2_PER_KM = {
    "e-trike": round(E_TRIKE_KWH_PER_KM * GRID_KG_PER_KWH * 1000, 1),
    "van": 210.0,
    "refrigerated van": 250.0,
}


def e_trike(depot: str, count: int, shift: tuple[int, int] = (8 * 3600, 21 * 3600)) -> VehicleType:
    """Electric tricycle: 300 L ambient box, 150 kg, riding profile at 15 km/h."""
    return VehicleType(
        id=f"e-trike@{depot}",
        capacity=Load(ambient=300_000, weight=150_000),
        count=count,
        depot=depot,
        fixed_cost=500,
        profile="ride",
        speed_kmh=15.0,
        shift_start=shift[0],
        shift_end=shift[1],
        g_co2_per_km=G_CO2_PER_KM["e-trike"],
    )


def van(depot: str, count: int, shift: tuple[int, int] = (8 * 3600, 21 * 3600)) -> VehicleType:
    """Light van: 3 m³ ambient, 800 kg, driving profile at 20 km/h in town."""
    return VehicleType(
        id=f"van@{depot}",
        capacity=Load(ambient=3_000_000, weight=800_000),
        count=count,
        depot=depot,
        fixed_cost=2000,
        profile="drive",
        speed_kmh=20.0,
        shift_start=shift[0],
        shift_end=shift[1],
        g_co2_per_km=G_CO2_PER_KM["van"],
    )


def cold_van(depot: str, count: int, shift: tuple[int, int] = (8 * 3600, 21 * 3600)) -> VehicleType:
    """Refrigerated van: 1 m³ ambient, 1.5 m³ chilled, 0.5 m³ frozen, 800 kg."""
    return VehicleType(
        id=f"refrigerated-van@{depot}",
        capacity=Load(ambient=1_000_000, chilled=1_500_000, frozen=500_000, weight=800_000),
        count=count,
        depot=depot,
        fixed_cost=3000,
        profile="drive",
        speed_kmh=20.0,
        shift_start=shift[0],
        shift_end=shift[1],
        g_co2_per_km=G_CO2_PER_KM["refrigerated van"],
    )


@dataclass(frozen=True)
class Footprint:
    """One side of the comparison."""

    vehicle_km: float
    vehicles: int
    hours: float
    kg_co2: float
    unplanned: int

    def __add__(self, other: Footprint) -> Footprint:
        return Footprint(
            round(self.vehicle_km + other.vehicle_km, 3),
            self.vehicles + other.vehicles,
            round(self.hours + other.hours, 3),
            round(self.kg_co2 + other.kg_co2, 3),
            self.unplanned + other.unplanned,
        )


@dataclass(frozen=True)
class Savings:
    shop_by_shop: Footprint
    consolidated: Footprint
    collection: Footprint | None

    @property
    def km_ratio(self) -> float:
        """Consolidated vehicle-km as a share of shop-by-shop (issue 6 goal: ≤ 0.5)."""
        base = self.shop_by_shop.vehicle_km
        return self.consolidated.vehicle_km / base if base else 0.0


def footprint(problem: Problem, plan: Plan) -> Footprint:
    """Vehicle-km, vehicles, hours on the road and kg CO₂ of a plan (metres/seconds model)."""
    types = {vt.id: vt for vt in problem.vehicle_types}
    km = sum(r.distance for r in plan.routes) / 1000.0
    co2 = (
        sum(r.distance / 1000.0 * types[r.vehicle_type].g_co2_per_km for r in plan.routes) / 1000.0
    )
    hours = sum(r.end - r.start for r in plan.routes) / 3600.0
    return Footprint(
        round(km, 3), len(plan.routes), round(hours, 3), round(co2, 3), len(plan.unplanned)
    )


def savings(
    problem_by_shop: Mapping[str, Problem],
    consolidated_problem: Problem,
    seconds: float,
    collection: Problem | None = None,
    seed: int = 1,
) -> Savings:
    """Plan both ways and compare. `seconds` is the budget for the consolidated plan; the shops
    share it (at least 0.2 s each) and the collection run gets a quarter of it."""
    per_shop = max(0.2, seconds / max(1, len(problem_by_shop)))
    shops = Footprint(0.0, 0, 0.0, 0.0, 0)
    for problem in problem_by_shop.values():
        shops = shops + footprint(problem, solve(problem, per_shop, seed))
    hub = footprint(consolidated_problem, solve(consolidated_problem, seconds, seed))
    pick = None
    if collection is not None:
        pick = footprint(collection, solve(collection, max(0.2, seconds / 4), seed))
        hub = hub + pick
    return Savings(shops, hub, pick)


@dataclass(frozen=True)
class DemoDay:
    """A synthetic wave: the same orders as one hub problem, per-shop problems and a collection."""

    orders: list[Order]
    consolidated: Problem
    by_shop: dict[str, Problem]
    collection: Problem


def demo_day(
    n_orders: int = 1000,
    n_shops: int = 40,
    n_compounds: int = 30,
    size_m: float = 3000.0,
    seed: int = 7,
) -> DemoDay:
    """Orders from `n_shops` shops to households in `n_compounds` residential compounds (小区)
    on a `size_m` square around the hub, in 2-hour slots 09:00–21:00; ~20 % chilled, ~8 % frozen."""
    rng = random.Random(seed)
    c = size_m / 2
    hub = Depot("hub", c, c)
    compounds = [(rng.uniform(0, size_m), rng.uniform(0, size_m)) for _ in range(n_compounds)]
    shops = [
        Depot(f"shop{i}", rng.gauss(c, size_m / 5), rng.gauss(c, size_m / 5))
        for i in range(n_shops)
    ]
    orders: list[Order] = []
    shop_of: dict[str, str] = {}
    for k in range(n_orders):
        cx, cy = rng.choice(compounds)
        hh = rng.randrange(200)
        rh = random.Random(f"{cx},{cy},{hh}")
        x, y = cx + rh.gauss(0, 60), cy + rh.gauss(0, 60)
        slot = 9 + 2 * rng.randrange(6)
        cold = rng.random()
        demand = Load(
            ambient=rng.randint(1, 10) * 1000,
            chilled=rng.randint(1, 4) * 1000 if cold < 0.2 else 0,
            frozen=rng.randint(1, 3) * 1000 if 0.2 <= cold < 0.28 else 0,
            weight=rng.randint(1, 8) * 1000,
        )
        oid = f"o{k}"
        shop_of[oid] = rng.choice(shops).id
        household = f"{cx:.0f},{cy:.0f}#{hh}"
        orders.append(Order(oid, household, x, y, demand, slot * 3600, (slot + 2) * 3600, 60))
    hub_fleet = [e_trike("hub", 40), cold_van("hub", 8), van("hub", 4)]
    consolidated = Problem([hub], merge_orders(orders), hub_fleet, name="demo-day consolidated")
    by_shop: dict[str, Problem] = {}
    load_of: dict[str, Load] = {}
    for shop in shops:
        mine = [o for o in orders if shop_of[o.id] == shop.id]
        if not mine:
            continue
        for o in mine:
            load_of[shop.id] = load_of.get(shop.id, Load()) + o.demand
        fleet = [e_trike(shop.id, 3), cold_van(shop.id, 1)]
        by_shop[shop.id] = Problem([shop], merge_orders(mine), fleet, name=f"demo-day {shop.id}")
    pickups = [
        Stop(s.id, s.x, s.y, load_of[s.id], 7 * 3600, 9 * 3600, 300, order_ids=())
        for s in shops
        if s.id in load_of
    ]
    collection = Problem(
        [hub], pickups, [cold_van("hub", 8, (6 * 3600, 10 * 3600))], name="collection"
    )
    return DemoDay(orders, consolidated, by_shop, collection)
