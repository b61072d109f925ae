"""`linli vrp-solve FILE`: solve a Solomon `.txt` or VRPLIB `.vrp` instance, no database.

Anyone can check our planner against the literature with the exact model-building code the
product uses. The answer is JSON in the `.sol` numbering (depot 0, clients 1…n, depot left out
of the routes) with the cost by the instance's own convention, recomputed from the raw file;
bad input ends with a bilingual message and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from .check import check_plan
from .instances import InstanceError, check_raw, convention_cost, read_instance
from .solver import solve

EXIT_BAD_INPUT = 2


class _ArgError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse that reports errors bilingually through `main` instead of exiting."""

    def error(self, message: str) -> NoReturn:
        raise _ArgError(message)


def _parser() -> _Parser:
    p = _Parser(
        prog="linli vrp-solve",
        description="Solve a VRP instance (Solomon .txt or VRPLIB .vrp) / 求解车辆路径问题算例",
    )
    p.add_argument("file", type=Path, help="instance file / 算例文件")
    p.add_argument(
        "--seconds", type=float, default=10.0, help="time limit (default 10) / 时限（秒）"
    )
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1) / 随机种子")
    p.add_argument("--json", type=Path, default=None, help="write the result here / 结果写入文件")
    return p


def _bad(en: str, zh: str) -> int:
    print(f"错误：{zh}\nerror: {en}", file=sys.stderr)
    return EXIT_BAD_INPUT


def run(path: Path, seconds: float, seed: int) -> dict[str, Any]:
    """Solve one instance; the result dict is what the CLI writes and the benchmark reads."""
    raw, problem = read_instance(path)
    plan = solve(problem, seconds=seconds, seed=seed)
    routes = [[int(s.stop_id) for s in r.stops] for r in plan.routes]
    violations = check_plan(problem, plan) + check_raw(raw, routes)
    violations += [f"unplanned client {u.stop_id}: {u.message}" for u in plan.unplanned]
    cost = convention_cost(raw, routes)
    return {
        "instance": raw.name,
        "cost": cost,
        "routes": routes,
        "feasible": plan.feasible and not violations,
        "seconds": round(plan.seconds, 3),
        "clients": len(raw.coords) - 1,
        "vehicles": len(routes),
        "solver_cost": plan.cost,
        "violations": violations,
    }


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except _ArgError as exc:
        return _bad(
            f"{exc} (usage: linli vrp-solve FILE [--seconds 10] [--seed 1] [--json OUT])",
            f"参数有误：{exc}",
        )
    if not args.seconds > 0 or args.seconds > 24 * 3600:
        return _bad("--seconds must be a positive number", "--seconds 必须是正数")
    if args.seed < 0:
        return _bad("--seed must be zero or positive", "--seed 不能为负数")
    if not args.file.is_file():
        return _bad(f"no such file: {args.file}", f"找不到文件：{args.file}")
    try:
        result = run(args.file, args.seconds, args.seed)
    except InstanceError as exc:
        return _bad(str(exc), f"无法读取算例文件 {args.file.name}")
    text = json.dumps(result, ensure_ascii=False)
    if args.json is None:
        print(text)
        return 0
    try:
        args.json.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        return _bad(f"cannot write {args.json}: {exc}", f"无法写入 {args.json}")
    state = "feasible / 可行" if result["feasible"] else "INFEASIBLE / 不可行"
    print(f"{result['instance']}: cost {result['cost']} · {result['vehicles']} vehicles · {state}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
