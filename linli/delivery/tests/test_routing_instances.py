"""Readers, cost conventions, a short solve and the CLI on the literature's instances.

The shared instances live beside the repo (../shared/data/vrp); without them those tests skip.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linli.delivery.routing import check_plan, solve
from linli.delivery.routing.cli import main
from linli.delivery.routing.instances import (
    check_raw,
    convention_cost,
    read_instance,
    read_solution,
)

VRP = Path(__file__).resolve().parents[3].parent / "shared/data/vrp"
needs_data = pytest.mark.skipif(
    not (VRP / "C101.txt").is_file(), reason=f"benchmark instances not found at {VRP}"
)

TINY = """TINY

VEHICLE
NUMBER     CAPACITY
  3          50

CUSTOMER
CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME

    0      40         50          0          0       1000          0
    1      45         68         10          0        900         10
    2      45         70         30          0        900         10
    3      42         66         10          0        900         10
    4      20         20         20          0        900         10
    5      25         25         20          0        900         10
"""


@needs_data
def test_solomon_reader_c101() -> None:
    raw, problem = read_instance(VRP / "C101.txt")
    assert raw.name == "C101" and raw.convention == "dimacs"
    assert len(problem.stops) == 100 and [s.id for s in problem.stops[:3]] == ["1", "2", "3"]
    assert problem.cost_scale == 10
    (vt,) = problem.vehicle_types
    assert vt.count == 25 and vt.capacity.ambient == 200
    first = problem.stops[0]  # customer 1: demand 10, window 912–967, service 90
    assert (first.demand.ambient, first.tw_early, first.tw_late, first.service) == (
        10,
        9120,
        9670,
        900,
    )
    assert (problem.depots[0].opens, problem.depots[0].closes) == (0, 12360)


@needs_data
def test_vrplib_reader_x_n101_k25() -> None:
    raw, problem = read_instance(VRP / "X-n101-k25.vrp")
    assert raw.name == "X-n101-k25" and raw.convention == "nint"
    assert len(problem.stops) == 100 and problem.cost_scale == 1
    assert problem.vehicle_types[0].capacity.ambient == 206
    assert raw.coords[0] == (365.0, 689.0)  # node 1 of the file is the depot, client 0 in .sol
    assert sum(s.demand.ambient for s in problem.stops) == sum(raw.demand)


@needs_data
@pytest.mark.parametrize(("name", "stated"), [("C101.txt", 827.3), ("X-n101-k25.vrp", 27591.0)])
def test_convention_reproduces_sol_cost(name: str, stated: float) -> None:
    """The best-known .sol, fed through our cost function, gives exactly the cost it states
    (C101: 827.3 under DIMACS truncation; 828.94 would be the unrounded Euclidean length)."""
    raw, _ = read_instance(VRP / name)
    routes, cost = read_solution((VRP / name).with_suffix(".sol"))
    assert cost == stated
    assert convention_cost(raw, routes) == stated
    assert check_raw(raw, routes) == []


@needs_data
def test_short_solve_c101_feasible_and_near_bks() -> None:
    raw, problem = read_instance(VRP / "C101.txt")
    plan = solve(problem, seconds=1.5, seed=1)
    routes = [[int(s.stop_id) for s in r.stops] for r in plan.routes]
    assert plan.feasible and not plan.unplanned
    assert check_plan(problem, plan) == []
    assert check_raw(raw, routes) == []
    cost = convention_cost(raw, routes)
    assert cost == pytest.approx(plan.cost)
    assert cost <= 827.3 * 1.03


def test_cli_json_shape_on_tiny_instance(tmp_path: Path) -> None:
    inst = tmp_path / "tiny.txt"
    inst.write_text(TINY)
    out = tmp_path / "out.json"
    assert main([str(inst), "--seconds", "0.3", "--seed", "2", "--json", str(out)]) == 0
    res = json.loads(out.read_text())
    assert {"cost", "routes", "feasible", "seconds"} <= set(res)
    assert res["feasible"] is True
    assert sorted(c for r in res["routes"] for c in r) == [1, 2, 3, 4, 5]
    assert all(0 not in r for r in res["routes"])
    raw, _ = read_instance(inst)
    assert res["cost"] == convention_cost(raw, res["routes"])


@pytest.mark.parametrize(
    "argv",
    [
        ["missing.txt"],
        [],
        ["{tiny}", "--seconds", "abc"],
        ["{tiny}", "--seconds", "-1"],
        ["{corrupt}"],
        ["{corrupt_vrp}"],
    ],
)
def test_cli_bad_input_exits_2(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "tiny.txt").write_text(TINY)
    (tmp_path / "corrupt.txt").write_text("C101\n\nVEHICLE\nnonsense\n")
    (tmp_path / "corrupt.vrp").write_text("NAME : x\nDIMENSION : 3\nNODE_COORD_SECTION\n1 0\n")
    paths = {
        k: str(tmp_path / f)
        for k, f in [
            ("tiny", "tiny.txt"),
            ("corrupt", "corrupt.txt"),
            ("corrupt_vrp", "corrupt.vrp"),
        ]
    }
    args = [a.format(**paths) for a in argv]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "错误" in err and "error:" in err and "Traceback" not in err
