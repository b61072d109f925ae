"""Benchmark instances (Solomon / Gehring–Homberger `.txt`, VRPLIB `.vrp`) as product `Problem`s.

The point is to prove the product's model-building code, so instances become the same
dataclasses the delivery app fills, with each literature's cost convention put into the
matrix: Solomon (DIMACS) truncates every edge to one decimal and uses distance as travel time,
modelled by scaling by 10 and truncating (as PyVRP's own benchmarks do, cost_scale = 10);
CVRPLIB X instances round every edge to the nearest integer. Stop ids are the client numbers
of the `.sol` files (depot 0, clients 1…n). Parsing uses the `vrplib` package.

`convention_cost` and `check_raw` recompute from the raw file with exact integer arithmetic,
sharing nothing with the model, for the benchmark's independent proof.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

import numpy as np
import vrplib

from .model import Depot, Load, Matrix, Problem, Stop, VehicleType

Convention = Literal["dimacs", "nint"]


class InstanceError(ValueError):
    """The file is missing, unreadable or not an instance we understand."""


@dataclass(frozen=True)
class RawInstance:
    """Just the numbers of the file, in its own units: what the independent check reads."""

    name: str
    convention: Convention
    coords: list[tuple[float, float]]
    demand: list[int]
    capacity: int
    vehicles: int | None
    ready: list[float] | None = None
    due: list[float] | None = None
    service: list[float] | None = None


def _format(path: Path) -> Literal["solomon", "vrplib"]:
    if path.suffix.lower() == ".vrp":
        return "vrplib"
    if path.suffix.lower() == ".txt":
        return "solomon"
    head = path.read_text(errors="replace")[:2000].upper()
    if "NODE_COORD_SECTION" in head or "DIMENSION" in head:
        return "vrplib"
    return "solomon"


def read_raw(path: str | Path) -> RawInstance:
    """Parse a Solomon or VRPLIB file into plain numbers, or raise InstanceError."""
    p = Path(path)
    if not p.is_file():
        raise InstanceError(f"no such file: {p}")
    fmt = _format(p)
    try:
        inst: dict[str, Any] = vrplib.read_instance(str(p), fmt, compute_edge_weights=False)
        coords = [(float(x), float(y)) for x, y in np.asarray(inst["node_coord"], dtype=float)]
        demand = [int(v) for v in np.atleast_1d(inst["demand"])]
        capacity = int(np.atleast_1d(inst["capacity"])[0])
        if len(coords) < 2 or len(demand) != len(coords) or capacity <= 0:
            raise InstanceError(f"{p.name}: inconsistent sizes or capacity")
        if fmt == "solomon":
            tw = np.asarray(inst["time_window"], dtype=float)
            if tw.shape != (len(coords), 2):
                raise InstanceError(f"{p.name}: time windows do not match the customers")
            service = np.broadcast_to(np.asarray(inst["service_time"], dtype=float), (len(coords),))
            return RawInstance(
                name=str(inst.get("name", p.stem)).strip() or p.stem,
                convention="dimacs",
                coords=coords,
                demand=demand,
                capacity=capacity,
                vehicles=int(inst["vehicles"]),
                ready=[float(v) for v in tw[:, 0]],
                due=[float(v) for v in tw[:, 1]],
                service=[float(v) for v in service],
            )
        depots = np.atleast_1d(inst.get("depot", [0]))
        if list(depots) != [0]:
            raise InstanceError("only single-depot VRPLIB instances with depot 1 are supported")
        if str(inst.get("edge_weight_type", "EUC_2D")).upper() != "EUC_2D":
            raise InstanceError("only EDGE_WEIGHT_TYPE EUC_2D is supported")
        vehicles = inst.get("vehicles")
        return RawInstance(
            name=str(inst.get("name", p.stem)).strip(),
            convention="nint",
            coords=coords,
            demand=demand,
            capacity=capacity,
            vehicles=int(vehicles) if vehicles is not None else None,
        )
    except InstanceError:
        raise
    except Exception as exc:  # vrplib raises anything from AssertionError to RuntimeError
        raise InstanceError(f"cannot read {p.name} as a {fmt} instance: {exc}") from exc


def _edge(a: tuple[float, float], b: tuple[float, float], convention: Convention) -> int:
    """One edge in the convention's integer unit, exactly for integer coordinates."""
    dx, dy = a[0] - b[0], a[1] - b[1]
    if dx.is_integer() and dy.is_integer():
        sq = int(dx) ** 2 + int(dy) ** 2
        if convention == "dimacs":
            return math.isqrt(100 * sq)  # floor(10 * sqrt(sq))
        r = math.isqrt(sq)
        return r + (sq > r * r + r)  # sqrt(sq) >= r + 1/2  <=>  sq > r² + r
    d = math.hypot(dx, dy)
    return int(10 * d) if convention == "dimacs" else math.floor(d + 0.5)


def _scale(convention: Convention) -> int:
    return 10 if convention == "dimacs" else 1


def convention_cost(raw: RawInstance, routes: list[list[int]]) -> float:
    """Total cost of `routes` (client numbers, depot left out) by the instance's convention."""
    units = 0
    for route in routes:
        path = [0, *route, 0]
        units += sum(_edge(raw.coords[a], raw.coords[b], raw.convention) for a, b in pairwise(path))
    return units / _scale(raw.convention)


def check_raw(raw: RawInstance, routes: list[list[int]]) -> list[str]:
    """Feasibility straight from the file's numbers: each client once, capacity, fleet, windows."""
    errors: list[str] = []
    n = len(raw.coords) - 1
    visits = [c for r in routes for c in r]
    if sorted(visits) != list(range(1, n + 1)):
        missing = set(range(1, n + 1)) - set(visits)
        errors.append(f"clients not visited exactly once (missing {sorted(missing)[:5]}…)")
    if raw.vehicles is not None and len(routes) > raw.vehicles:
        errors.append(f"{len(routes)} routes > {raw.vehicles} vehicles")
    scale = _scale(raw.convention)
    for k, route in enumerate(routes):
        if any(not 1 <= c <= n for c in route):
            errors.append(f"route {k}: client number out of range")
            continue
        if sum(raw.demand[c] for c in route) > raw.capacity:
            errors.append(f"route {k}: load over capacity {raw.capacity}")
        if raw.ready is None or raw.due is None or raw.service is None:
            continue
        t, prev = raw.ready[0] * scale, 0
        for c in route:
            t = max(
                t + _edge(raw.coords[prev], raw.coords[c], raw.convention), raw.ready[c] * scale
            )
            if t > raw.due[c] * scale:
                errors.append(f"route {k}: client {c} served at {t / scale} after due {raw.due[c]}")
            t += raw.service[c] * scale
            prev = c
        if t + _edge(raw.coords[prev], raw.coords[0], raw.convention) > raw.due[0] * scale:
            errors.append(f"route {k}: back at the depot after it closes")
    return errors


def read_solution(path: str | Path) -> tuple[list[list[int]], float | None]:
    """Routes and stated cost of a `.sol` file."""
    try:
        sol = vrplib.read_solution(str(path))
    except (OSError, ValueError) as exc:
        raise InstanceError(f"cannot read solution {path}: {exc}") from exc
    routes = [[int(c) for c in r] for r in sol["routes"]]
    cost = sol.get("cost")
    return routes, float(cost) if cost is not None else None


def to_problem(raw: RawInstance) -> Problem:
    """The instance as a product `Problem`: its demand in the ambient dimension, one vehicle
    type, the convention's integer matrix supplied as the street matrix."""
    n = len(raw.coords)
    ids = [str(i) for i in range(n)]
    edges = np.array(
        [[_edge(raw.coords[i], raw.coords[j], raw.convention) for j in range(n)] for i in range(n)],
        dtype=float,
    )
    scale = _scale(raw.convention)
    x, y = raw.coords[0]
    if raw.ready is not None and raw.due is not None and raw.service is not None:
        ready, due, service = raw.ready, raw.due, raw.service
        depot = Depot("0", x, y, opens=round(ready[0] * scale), closes=round(due[0] * scale))
        windows = [
            (round(ready[i] * scale), round(due[i] * scale), round(service[i] * scale))
            for i in range(n)
        ]
    else:
        depot = Depot("0", x, y)
        windows = [(0, 1 << 40, 0)] * n
    stops = [
        Stop(
            id=str(i),
            x=raw.coords[i][0],
            y=raw.coords[i][1],
            demand=Load(ambient=raw.demand[i]),
            tw_early=windows[i][0],
            tw_late=windows[i][1],
            service=windows[i][2],
            order_ids=(str(i),),
        )
        for i in range(1, n)
    ]
    vehicle = VehicleType(
        id="vehicle",
        capacity=Load(ambient=raw.capacity),
        count=raw.vehicles if raw.vehicles is not None else n - 1,
        depot="0",
        profile="instance",
    )
    return Problem(
        depots=[depot],
        stops=stops,
        vehicle_types=[vehicle],
        matrices={"instance": Matrix(ids, edges, edges)},
        cost_scale=scale,
        name=raw.name,
    )


def read_instance(path: str | Path) -> tuple[RawInstance, Problem]:
    """Read a Solomon `.txt` or VRPLIB `.vrp` file: its raw numbers and its `Problem`."""
    raw = read_raw(path)
    return raw, to_problem(raw)
