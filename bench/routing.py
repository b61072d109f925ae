"""Benchmark: linli's route planner on Solomon / Gehring–Homberger and CVRPLIB X instances.

    python bench/routing.py [DIR] [--seconds 10 | --quick] [--seed 1] [--json OUT]

Every instance in DIR (default ../shared/data/vrp beside the repo) is read into the product's
`Problem`, solved by the product's `solve`, and proven three ways without trusting PyVRP:
the independent `check_plan` on the model, `check_raw` on the file's own numbers (each client
once, capacity, fleet, windows), and the cost recomputed from the raw coordinates by the
instance's convention (Solomon: every edge truncated to one decimal; X: rounded to the nearest
integer). The convention itself is proven by recomputing each best-known `.sol` and comparing
with the cost the file states. Gap = (cost − BKS) / BKS against `bks.tsv`.
Goal at 10 s: mean gap ≤ 0.5 % on Solomon, ≤ 2 % on X, every solution feasible.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from linli.delivery.routing.cli import run  # noqa: E402
from linli.delivery.routing.instances import convention_cost, read_raw, read_solution  # noqa: E402

DEFAULT = ROOT.parent / "shared/data/vrp"
GOALS = {"Solomon": 0.5, "X": 2.0}


def _family(name: str) -> str:
    return "X" if name.startswith("X-") else "Solomon"


def _bks(folder: Path) -> dict[str, dict[str, str]]:
    path = folder / "bks.tsv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as fh:
        return {row["instance"]: row for row in csv.DictReader(fh, delimiter="\t")}


def _sol_check(path: Path) -> str:
    """Does our convention reproduce the best-known .sol's own stated cost?"""
    sol = path.with_suffix(".sol")
    if not sol.is_file():
        return "-"
    routes, stated = read_solution(sol)
    ours = convention_cost(read_raw(path), routes)
    return "ok" if stated is not None and abs(ours - stated) < 1e-6 else f"{ours}≠{stated}"


def bench(folder: Path, seconds: float, seed: int) -> list[dict[str, Any]]:
    bks = _bks(folder)
    files = sorted(p for p in folder.iterdir() if p.suffix in {".txt", ".vrp"})
    rows = []
    for path in files:
        t0 = time.perf_counter()
        res = run(path, seconds, seed)
        wall = time.perf_counter() - t0
        ref = bks.get(path.stem, {})
        best = float(ref["bks_objective"]) if ref.get("bks_objective") else None
        gap = 100.0 * (res["cost"] - best) / best if best else None
        rows.append(
            {
                "instance": path.stem,
                "family": _family(path.stem),
                "clients": res["clients"],
                "vehicles": res["vehicles"],
                "cost": res["cost"],
                "bks": best,
                "bks_vehicles": int(ref["bks_routes"]) if ref.get("bks_routes") else None,
                "gap_pct": None if gap is None else round(gap, 3),
                "feasible": res["feasible"],
                "violations": res["violations"][:5],
                "solver_cost_matches": abs(res["solver_cost"] - res["cost"]) < 1e-6,
                "sol_convention": _sol_check(path),
                "seconds": round(wall, 2),
            }
        )
        print(
            f"  {path.stem}: {res['cost']} gap {gap if gap is None else round(gap, 2)}%",
            file=sys.stderr,
        )
    return rows


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for fam, goal in GOALS.items():
        gaps = [r["gap_pct"] for r in rows if r["family"] == fam and r["gap_pct"] is not None]
        mean = sum(gaps) / len(gaps) if gaps else None
        out[fam] = {
            "instances": len(gaps),
            "mean_gap_pct": None if mean is None else round(mean, 3),
            "goal_pct": goal,
            "met": mean is not None and mean <= goal,
        }
    out["all_feasible"] = all(r["feasible"] for r in rows)
    out["all_sol_conventions_ok"] = all(r["sol_convention"] in {"ok", "-"} for r in rows)
    return out


def table(rows: list[dict[str, Any]], summ: dict[str, Any], seconds: float) -> str:
    head = f"{'instance':<12}{'clients':>8}{'veh':>5}{'cost':>10}{'BKS':>10}{'gap %':>8}  {'feasible':<9}{'.sol conv':<10}{'s':>6}"
    lines = [f"linli route planner, {seconds:g} s per instance", head, "-" * len(head)]
    for r in rows:
        gap = "-" if r["gap_pct"] is None else f"{r['gap_pct']:.2f}"
        bks = "-" if r["bks"] is None else f"{r['bks']:g}"
        lines.append(
            f"{r['instance']:<12}{r['clients']:>8}{r['vehicles']:>5}{r['cost']:>10g}{bks:>10}{gap:>8}  "
            f"{'yes' if r['feasible'] else 'NO':<9}{r['sol_convention']:<10}{r['seconds']:>6.1f}"
        )
    for fam in GOALS:
        s = summ[fam]
        if s["mean_gap_pct"] is not None:
            verdict = "met" if s["met"] else "NOT met"
            lines.append(
                f"mean gap {fam}: {s['mean_gap_pct']:.3f} % over {s['instances']} (goal ≤ {s['goal_pct']} %: {verdict})"
            )
    lines.append(f"every solution feasible by the independent checks: {summ['all_feasible']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--quick", action="store_true", help="2 s per instance")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    if not args.folder.is_dir():
        print(f"no instances at {args.folder}: skipped", file=sys.stderr)
        return 0
    seconds = 2.0 if args.quick else args.seconds
    rows = bench(args.folder, seconds, args.seed)
    summ = summary(rows)
    print(table(rows, summ, seconds))
    if args.json is not None:
        args.json.write_text(
            json.dumps({"seconds": seconds, "rows": rows, "summary": summ}, indent=2)
        )
    return 0 if summ["all_feasible"] and summ["all_sol_conventions_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
