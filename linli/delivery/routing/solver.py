"""Turn a `Problem` into PyVRP data, solve it, and read the answer back as a `Plan`.

Stops that cannot be served by any vehicle (off the network, too big, window gone…) are
found before the solver runs and reported with a reason; the rest is planned. If the fleet is
too small for everything that is individually feasible, a second pass makes stops optional
with a prize far above any detour, so the solver keeps as many as fit and reports the rest
as `fleet_full` instead of returning an infeasible plan.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from pyvrp import (
    Client,
    CostEvaluator,
    Depot,
    IteratedLocalSearchCallbacks,
    IteratedLocalSearchParams,
    Location,
    ProblemData,
    Result,
    Solution,
    SolveParams,
    VehicleType,
)
from pyvrp import solve as pyvrp_solve
from pyvrp.constants import MAX_VALUE
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.stop import MaxRuntime

from .model import DIMENSIONS, MISSING, OPEN_END, Load, Problem, Stop, integer_matrices, profile_key
from .plan import Plan, PlannedStop, Progress, RoutePlan, Unplanned

ProgressCallback = Callable[[Progress], None]


@dataclass
class _Prepared:
    """The problem reduced to what the solver can serve, with the index maps back."""

    stops: list[Stop]
    index: list[int]
    unplanned: list[Unplanned]
    profiles: list[str]
    mats: dict[str, tuple[np.ndarray, np.ndarray]]


def _reach(problem: Problem, mats: dict[str, tuple[np.ndarray, np.ndarray]], s: int) -> list[int]:
    """Vehicle types whose street profile connects their depot to stop index `s` and back."""
    n_dep = len(problem.depots)
    out = []
    for t, vt in enumerate(problem.vehicle_types):
        dist, dur = mats[profile_key(problem, vt)]
        d = problem.vehicle_depot(vt)
        j = n_dep + s
        if min(dist[d, j], dist[j, d], dur[d, j], dur[j, d]) != MISSING:
            out.append(t)
    return out


def _diagnose(
    problem: Problem, mats: dict[str, tuple[np.ndarray, np.ndarray]], s: int
) -> Unplanned | None:
    """Why stop `s` cannot be served by any vehicle on its own, or None when some vehicle can."""
    stop = problem.stops[s]

    def out(reason: str, detail: str = "") -> Unplanned:
        return Unplanned(stop.id, stop.order_ids, reason, detail)

    types = [t for t, vt in enumerate(problem.vehicle_types) if vt.count > 0]
    if not types:
        return out("no_vehicles")
    if stop.tw_late < stop.tw_early:
        return out("invalid_window", f"{stop.tw_early}>{stop.tw_late}")
    if problem.now is not None and stop.tw_late < problem.now:
        return out("window_passed", f"ends {stop.tw_late} < now {problem.now}")
    reach = [t for t in _reach(problem, mats, s) if t in types]
    if not reach:
        return out("off_network")
    fits = [t for t in reach if not stop.demand.exceeds(problem.vehicle_types[t].capacity)]
    if not fits:
        if stop.demand.is_cold and not any(problem.vehicle_types[t].refrigerated for t in reach):
            return out("no_cold_vehicle")
        over = sorted(
            {d for t in reach for d in stop.demand.exceeds(problem.vehicle_types[t].capacity)}
        )
        return out("too_big", ",".join(over))
    n_dep = len(problem.depots)
    for t in fits:
        vt = problem.vehicle_types[t]
        _, dur = mats[profile_key(problem, vt)]
        d = problem.vehicle_depot(vt)
        depot = problem.depots[d]
        begin = max(vt.shift_start, depot.opens, problem.now or 0)
        finish = min(vt.shift_end, depot.closes)
        start = max(begin + int(dur[d, n_dep + s]), stop.tw_early)
        if start <= stop.tw_late and start + stop.service + int(dur[n_dep + s, d]) <= finish:
            return None
    return out("window_unreachable")


def _prepare(problem: Problem) -> _Prepared:
    mats = integer_matrices(problem)
    keep: list[int] = []
    unplanned: list[Unplanned] = []
    for s in range(len(problem.stops)):
        why = _diagnose(problem, mats, s)
        if why is None:
            keep.append(s)
        else:
            unplanned.append(why)
    profiles = list(dict.fromkeys(profile_key(problem, vt) for vt in problem.vehicle_types))
    return _Prepared([problem.stops[s] for s in keep], keep, unplanned, profiles, mats)


def _data(problem: Problem, prep: _Prepared, optional: bool) -> tuple[ProblemData, list[int]]:
    """PyVRP data over depots + kept stops; load dimensions nobody uses are left out."""
    n_dep = len(problem.depots)
    rows = list(range(n_dep)) + [n_dep + i for i in prep.index]
    dims = [
        k for k in range(len(DIMENSIONS)) if any(s.demand.as_tuple()[k] > 0 for s in prep.stops)
    ] or [0]
    dist_mats: list[Any] = []
    dur_mats: list[Any] = []
    for pk in prep.profiles:
        dist, dur = prep.mats[pk]
        sub_d = dist[np.ix_(rows, rows)].copy()
        sub_t = dur[np.ix_(rows, rows)].copy()
        sub_d[sub_d == MISSING] = MAX_VALUE
        sub_t[sub_t == MISSING] = MAX_VALUE
        dist_mats.append(sub_d)
        dur_mats.append(sub_t)
    finite = [m[m < MAX_VALUE].max(initial=0) for m in dist_mats + dur_mats]
    big = max(finite, default=0)
    unit = max(
        (max(vt.unit_distance_cost, vt.unit_duration_cost) for vt in problem.vehicle_types),
        default=1,
    )
    fixed = max((vt.fixed_cost for vt in problem.vehicle_types), default=0)
    prize = int(min(MAX_VALUE, 8 * (big * max(unit, 1) + fixed) + 1))
    locations = [Location(x=float(d.x), y=float(d.y), name=d.id) for d in problem.depots]
    locations += [Location(x=float(s.x), y=float(s.y), name=s.id) for s in prep.stops]
    depots = [
        Depot(location=i, tw_early=d.opens, tw_late=min(d.closes, OPEN_END), name=d.id)
        for i, d in enumerate(problem.depots)
    ]
    clients = [
        Client(
            location=n_dep + i,
            delivery=[s.demand.as_tuple()[k] for k in dims],
            service_duration=s.service,
            tw_early=s.tw_early,
            tw_late=min(s.tw_late, OPEN_END),
            prize=prize if optional else 0,
            required=not optional,
            name=s.id,
        )
        for i, s in enumerate(prep.stops)
    ]
    types, type_map = [], []
    for t, vt in enumerate(problem.vehicle_types):
        if vt.count <= 0:
            continue
        d = problem.vehicle_depot(vt)
        depot = problem.depots[d]
        begin = max(vt.shift_start, depot.opens, problem.now or 0)
        types.append(
            VehicleType(
                num_available=vt.count,
                capacity=[vt.capacity.as_tuple()[k] for k in dims],
                start_depot=d,
                end_depot=d,
                fixed_cost=vt.fixed_cost,
                tw_early=begin,
                tw_late=min(vt.shift_end, depot.closes, OPEN_END),
                unit_distance_cost=vt.unit_distance_cost,
                unit_duration_cost=vt.unit_duration_cost,
                profile=prep.profiles.index(profile_key(problem, vt)),
                name=vt.id,
            )
        )
        type_map.append(t)
    data = ProblemData(locations, clients, depots, types, dist_mats, dur_mats)
    return data, type_map


class _Reporter(IteratedLocalSearchCallbacks):
    """Forwards solver progress to the caller at most every `every` seconds."""

    def __init__(self, callback: ProgressCallback | None, seconds: float, phase: str, scale: int):
        self.callback, self.seconds, self.phase, self.scale = callback, seconds, phase, scale
        self.start = time.perf_counter()
        self.last = -1.0
        self.iteration = 0

    def on_iteration(
        self, current: Solution, candidate: Solution, best: Solution, cost_evaluator: CostEvaluator
    ) -> None:
        self.iteration += 1
        now = time.perf_counter() - self.start
        if self.callback is None or now - self.last < 0.25:
            return
        self.last = now
        feasible = bool(best.is_feasible())
        cost = best.distance() / self.scale if feasible else None
        fraction = min(1.0, now / self.seconds) if self.seconds > 0 else 1.0
        self.callback(Progress(fraction, self.iteration, cost, feasible, self.phase))


def _run(data: ProblemData, seconds: float, seed: int, reporter: _Reporter) -> Result:
    params = SolveParams(ils=IteratedLocalSearchParams(callbacks=reporter))
    with warnings.catch_warnings():
        # Expected when the fleet is too small: the second pass handles it.
        warnings.simplefilter("ignore", PenaltyBoundWarning)
        return pyvrp_solve(data, MaxRuntime(seconds), seed=seed, collect_stats=False, params=params)


def _plan(
    problem: Problem,
    prep: _Prepared,
    type_map: list[int],
    result: Result,
    seconds: float,
) -> Plan:
    best = result.best
    routes: list[RoutePlan] = []
    served: set[int] = set()
    for route in best.routes():
        vt = problem.vehicle_types[type_map[route.vehicle_type()]]
        visits: list[PlannedStop] = []
        load = Load()
        for act in route.schedule():
            if not act.is_client():
                continue
            stop = prep.stops[act.idx]
            served.add(act.idx)
            load = load + stop.demand
            visits.append(
                PlannedStop(
                    stop.id,
                    int(act.start_time - act.wait_duration),
                    int(act.start_time),
                    int(act.end_time),
                )
            )
        routes.append(
            RoutePlan(
                vehicle_type=vt.id,
                depot=problem.depots[route.start_depot()].id,
                stops=visits,
                start=int(route.start_time()),
                end=int(route.end_time()),
                distance=int(route.distance()),
                duration=int(route.duration()),
                load=load,
            )
        )
    unplanned = list(prep.unplanned)
    for i, stop in enumerate(prep.stops):
        if i not in served:
            unplanned.append(Unplanned(stop.id, stop.order_ids, "fleet_full"))
    distance = int(best.distance())
    objective = int(best.distance_cost() + best.duration_cost() + best.fixed_vehicle_cost())
    return Plan(
        routes=routes,
        unplanned=unplanned,
        distance=distance,
        duration=int(best.duration()),
        objective=objective,
        cost=distance / problem.cost_scale,
        feasible=bool(best.is_feasible()),
        seconds=seconds,
        iterations=int(result.num_iterations),
    )


def solve(
    problem: Problem,
    seconds: float = 10.0,
    seed: int = 1,
    progress: ProgressCallback | None = None,
) -> Plan:
    """Plan routes for `problem` in about `seconds` (up to 1.5x when the fleet is too small).

    Never raises for bad stops: they come back in `Plan.unplanned` with a reason code.
    """
    t0 = time.perf_counter()
    prep = _prepare(problem)
    if not prep.stops:
        if progress is not None:
            progress(Progress(1.0, 0, 0.0, True))
        return Plan([], prep.unplanned, 0, 0, 0, 0.0, True, time.perf_counter() - t0)
    data, type_map = _data(problem, prep, optional=False)
    reporter = _Reporter(progress, seconds, "solve", problem.cost_scale)
    result = _run(data, seconds, seed, reporter)
    notes: list[str] = []
    if not result.best.is_feasible():
        notes.append("fleet too small for every stop: second pass with optional stops")
        data, type_map = _data(problem, prep, optional=True)
        budget = max(1.0, seconds / 2)
        result = _run(
            data, budget, seed, _Reporter(progress, budget, "partial", problem.cost_scale)
        )
    plan = _plan(problem, prep, type_map, result, time.perf_counter() - t0)
    if progress is not None:
        progress(Progress(1.0, plan.iterations, plan.cost, plan.feasible, "done"))
    plan.notes.extend(notes)
    return plan
