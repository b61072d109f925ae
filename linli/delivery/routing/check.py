"""An independent feasibility check of a `Plan` against its `Problem`, written without PyVRP.

The solver's own feasibility flag is the solver marking its own homework. This walks every
route again from the problem's data: each stop once, loads per dimension, cold goods only in
refrigerated vehicles, windows and shifts, fleet size, no edge the street network lacks, and
the reported distances. An empty list means the plan can be driven as written.
"""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

from .model import DIMENSIONS, MISSING, Load, Problem, integer_matrices, profile_key
from .plan import REASONS, Plan


def check_plan(problem: Problem, plan: Plan) -> list[str]:
    """Human-readable violations; [] when the plan is feasible."""
    errors: list[str] = []
    mats = integer_matrices(problem)
    n_dep = len(problem.depots)
    stop_pos = {s.id: i for i, s in enumerate(problem.stops)}
    types = {vt.id: vt for vt in problem.vehicle_types}

    seen = Counter(ps.stop_id for r in plan.routes for ps in r.stops)
    seen.update(u.stop_id for u in plan.unplanned)
    for sid, n in seen.items():
        if sid not in stop_pos:
            errors.append(f"unknown stop {sid}")
        elif n > 1:
            errors.append(f"stop {sid} appears {n} times")
    errors += [
        f"stop {s.id} neither planned nor reported" for s in problem.stops if s.id not in seen
    ]
    errors += [
        f"stop {u.stop_id}: unknown reason {u.reason!r}"
        for u in plan.unplanned
        if u.reason not in REASONS
    ]

    used = Counter(r.vehicle_type for r in plan.routes)
    for vid, n in used.items():
        if vid in types and n > types[vid].count:
            errors.append(f"{n} routes on vehicle type {vid}, only {types[vid].count} available")

    total = 0
    for k, route in enumerate(plan.routes):
        vt = types.get(route.vehicle_type)
        if vt is None:
            errors.append(f"route {k}: unknown vehicle type {route.vehicle_type}")
            continue
        where = f"route {k} ({vt.id})"
        d = problem.vehicle_depot(vt)
        if problem.depots[d].id != route.depot:
            errors.append(
                f"{where}: starts at {route.depot}, vehicle belongs to {problem.depots[d].id}"
            )
        dist, dur = mats[profile_key(problem, vt)]
        stops = [
            problem.stops[stop_pos[ps.stop_id]] for ps in route.stops if ps.stop_id in stop_pos
        ]
        if len(stops) != len(route.stops):
            continue
        if not stops:
            errors.append(f"{where}: empty route")

        load = Load()
        for stop in stops:
            load = load + stop.demand
            if stop.demand.is_cold and not vt.refrigerated:
                errors.append(
                    f"{where}: cold goods of stop {stop.id} in a non-refrigerated vehicle"
                )
        for name in load.exceeds(vt.capacity):
            i = DIMENSIONS.index(name)
            errors.append(
                f"{where}: {name} load {load.as_tuple()[i]} > capacity {vt.capacity.as_tuple()[i]}"
            )

        path = [d] + [n_dep + stop_pos[s.id] for s in stops] + [d]
        legs = list(pairwise(path))
        if any(dist[a, b] == MISSING or dur[a, b] == MISSING for a, b in legs):
            errors.append(f"{where}: uses a leg with no street path")
            continue
        length = sum(int(dist[a, b]) for a, b in legs)
        total += length
        if length != route.distance:
            errors.append(f"{where}: reported distance {route.distance} != recomputed {length}")

        depot = problem.depots[d]
        begin = max(vt.shift_start, depot.opens, problem.now or 0)
        finish = min(vt.shift_end, depot.closes)
        # (a) Is the sequence feasible at all? Leave as early as allowed and wait where needed.
        t = begin
        for (a, b), stop in zip(legs, stops, strict=False):
            t = max(t + int(dur[a, b]), stop.tw_early)
            if t > stop.tw_late:
                errors.append(
                    f"{where}: stop {stop.id} served at {t} after its window ends {stop.tw_late}"
                )
            t += stop.service
        back = t + int(dur[legs[-1]])
        if back > finish:
            errors.append(f"{where}: back at {back}, after the shift/hub closes at {finish}")
        # (b) Are the reported times themselves consistent?
        if route.start < begin:
            errors.append(f"{where}: leaves at {route.start}, before shift/hub start {begin}")
        prev = route.start
        for (a, b), stop, ps in zip(legs, stops, route.stops, strict=False):
            if ps.arrival < prev + int(dur[a, b]):
                errors.append(f"{where}: reported arrival at {stop.id} earlier than travel allows")
            if not (max(ps.arrival, stop.tw_early) <= ps.start <= stop.tw_late):
                errors.append(f"{where}: reported start {ps.start} at {stop.id} outside window")
            if ps.departure < ps.start + stop.service:
                errors.append(f"{where}: leaves {stop.id} before the service is done")
            prev = ps.departure
        if route.end < prev + int(dur[legs[-1]]) or route.end > finish:
            errors.append(f"{where}: reported return {route.end} inconsistent or after {finish}")

    if plan.routes and total != plan.distance:
        errors.append(f"plan distance {plan.distance} != sum of routes {total}")
    return errors
