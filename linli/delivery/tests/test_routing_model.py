"""The product's model: cold chain, unplanned stops with reasons, households, progress, checker."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from linli.delivery.routing import (
    Depot,
    Load,
    Matrix,
    Order,
    Problem,
    Stop,
    VehicleType,
    check_plan,
    merge_orders,
    solve,
)

H = 3600
TRIKE = VehicleType(
    "e-trike",
    Load(ambient=100_000, weight=100_000),
    count=2,
    depot="hub",
    profile="ride",
    speed_kmh=15,
    shift_start=8 * H,
    shift_end=20 * H,
)
COLD = VehicleType(
    "cold-van",
    Load(ambient=50_000, chilled=50_000, frozen=50_000, weight=500_000),
    count=1,
    depot="hub",
    profile="drive",
    speed_kmh=20,
    shift_start=8 * H,
    shift_end=20 * H,
)


def _stops(n: int, cold_every: int = 0) -> list[Stop]:
    return [
        Stop(
            f"s{i}",
            200.0 * (i % 4),
            150.0 * (i // 4),
            Load(
                ambient=2000, chilled=1000 if cold_every and i % cold_every == 0 else 0, weight=3000
            ),
            tw_early=9 * H,
            tw_late=12 * H,
            service=60,
            order_ids=(f"o{i}",),
        )
        for i in range(n)
    ]


def _problem(stops: list[Stop], **kw: object) -> Problem:
    return Problem([Depot("hub", 0.0, 0.0)], stops, [TRIKE, COLD], **kw)  # type: ignore[arg-type]


def test_cold_goods_ride_only_cold_vehicles() -> None:
    problem = _problem(_stops(16, cold_every=3))
    plan = solve(problem, seconds=0.5, seed=1)
    assert plan.feasible and not plan.unplanned and check_plan(problem, plan) == []
    cold = {s.id for s in problem.stops if s.demand.is_cold}
    for route in plan.routes:
        on_board = {ps.stop_id for ps in route.stops}
        if route.vehicle_type == "e-trike":
            assert not on_board & cold
    assert cold <= {
        ps.stop_id for r in plan.routes if r.vehicle_type == "cold-van" for ps in r.stops
    }


def test_bad_stops_reported_with_reasons_rest_planned() -> None:
    stops = _stops(8)
    stops.append(Stop("huge", 100, 100, Load(ambient=10_000_000), order_ids=("o-huge",)))
    stops.append(Stop("island", 100, 100, Load(ambient=1000), point="island"))
    stops.append(Stop("late", 100, 100, Load(ambient=1000), tw_early=6 * H, tw_late=7 * H))
    stops.append(Stop("ice", 100, 100, Load(frozen=80_000)))
    keys = ["hub"] + [s.key for s in stops if s.key != "island"] + ["island"]
    xy = {"hub": (0.0, 0.0), **{s.key: (s.x, s.y) for s in stops}}
    pts = np.array([xy[k] for k in keys])
    dist = np.hypot(*(pts[:, None, :] - pts[None, :, :]).transpose(2, 0, 1)) * 1.3
    dist[-1, :] = dist[:, -1] = math.inf  # the street engine found no path to "island"
    dist[-1, -1] = 0
    ride = Matrix(keys, dist, dist / (15 / 3.6))
    drive = Matrix(keys, dist, dist / (20 / 3.6))
    problem = _problem(stops, matrices={"ride": ride, "drive": drive})
    plan = solve(problem, seconds=0.5, seed=1)
    reasons = {u.stop_id: u.reason for u in plan.unplanned}
    assert reasons == {
        "huge": "too_big",
        "island": "off_network",
        "late": "window_unreachable",
        "ice": "too_big",
    }
    assert next(u for u in plan.unplanned if u.stop_id == "huge").order_ids == ("o-huge",)
    assert "too big" in next(u for u in plan.unplanned if u.stop_id == "huge").message
    assert sum(len(r.stops) for r in plan.routes) == 8
    assert plan.feasible and check_plan(problem, plan) == []


def test_window_passed_and_no_vehicles() -> None:
    stops = _stops(3)
    plan = solve(_problem(stops, now=13 * H), seconds=0.2)
    assert {u.reason for u in plan.unplanned} == {"window_passed"} and not plan.routes
    empty = Problem([Depot("hub", 0, 0)], stops, [replace(TRIKE, count=0)])
    plan = solve(empty, seconds=0.2)
    assert [u.reason for u in plan.unplanned] == ["no_vehicles"] * 3


def test_fleet_too_small_plans_what_fits() -> None:
    """Each stop fits alone, not all together: the planner keeps as many as fit."""
    stops = [replace(s, demand=Load(ambient=40_000)) for s in _stops(8)]
    small = Problem([Depot("hub", 0, 0)], stops, [replace(TRIKE, count=1)])
    plan = solve(small, seconds=0.4, seed=1)
    assert plan.feasible and check_plan(small, plan) == []
    assert sum(len(r.stops) for r in plan.routes) == 2
    assert [u.reason for u in plan.unplanned] == ["fleet_full"] * 6


def test_same_household_orders_merge_into_one_stop() -> None:
    orders = [
        Order("a1", "flat-301", 10, 10, Load(ambient=1000), 9 * H, 11 * H, 60),
        Order("a2", "flat-301", 10, 10, Load(chilled=500), 10 * H, 12 * H, 90),
        Order("a3", "flat-301", 10, 10, Load(ambient=200), 18 * H, 19 * H, 60),
        Order("b1", "flat-502", 50, 50, Load(ambient=700), 9 * H, 11 * H, 60),
    ]
    stops = {s.id: s for s in merge_orders(orders)}
    assert set(stops) == {"flat-301#1", "flat-301#2", "flat-502"}
    morning = stops["flat-301#1"]
    assert morning.order_ids == ("a1", "a2")
    assert morning.demand == Load(ambient=1000, chilled=500)
    assert (morning.tw_early, morning.tw_late, morning.service) == (10 * H, 11 * H, 120)
    assert stops["flat-502"].order_ids == ("b1",)


def test_progress_callback_and_checker_catches_tampering() -> None:
    problem = _problem(_stops(12, cold_every=4))
    seen: list[float] = []
    plan = solve(problem, seconds=0.6, seed=3, progress=lambda p: seen.append(p.fraction))
    assert seen and seen[-1] == 1.0 and all(0 <= f <= 1 for f in seen)
    assert check_plan(problem, plan) == []
    # Move a cold stop onto an e-trike route (or drop a stop): the checker must object.
    cold_route = next(r for r in plan.routes if r.vehicle_type == "cold-van")
    bad = replace(plan, routes=[replace(cold_route, vehicle_type="e-trike")])
    errors = check_plan(problem, bad)
    assert any("non-refrigerated" in e for e in errors)
    assert any("neither planned nor reported" in e for e in errors) or len(plan.routes) == 1
