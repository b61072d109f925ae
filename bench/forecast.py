"""Benchmark: linli's demand forecaster vs seasonal naive, a 28-day mean and Holt-Winters on Ta Feng.

    python bench/forecast.py [ZIP] [--products 1000] [--subclasses 200] [--no-ets] [--json OUT]

Data: Ta Feng grocery transactions (Nov 2000 – Feb 2001, 120 days), read from
`../shared/data/retail/ta_feng.csv.zip` beside the repository (never copied into it). Daily units
sold of the top products (by volume) and the top product subclasses.

Days on which the whole store sold < 20 % of its median day (gaps in the data)
are treated as missing for every method: not used for fitting, not scored (19–25 Dec and 5 Jan).

Evaluation: rolling origin, 7-day horizon, 8 weekly origins whose test weeks cover 4 Jan – 28 Feb
2001 (Lunar New Year, 24 Jan, included). WAPE = Σ|F − A| / Σ A pooled over all series, days and
origins; per-origin WAPE shown too. The forecaster's parameters were chosen on the 4 weeks before
the December gap (`--tune` prints that grid) and then fixed.

Methods: seasonal naive (same weekday last week), 28-day moving average, weekday mean (all past
days of that weekday: the measured baseline in shared/data/README.md), Holt-Winters additive
weekly (statsmodels, when installed: `pip install -e ".[bench]"`), and linli's
`weekday_level_forecast`. Time per 1,000 series covers fitting and forecasting one origin.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import time
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from linli.procurement.forecast import (  # noqa: E402
    Params,
    moving_average,
    seasonal_naive,
    wape,
    weekday_level_forecast,
    weekday_mean,
)

DEFAULT = ROOT.parent / "shared/data/retail/ta_feng.csv.zip"
FIRST_DAY = date(2000, 11, 1)
HORIZON = 7
Method = Callable[[np.ndarray, date], np.ndarray]


def load(path: Path, n_products: int, n_subclasses: int) -> dict[str, np.ndarray]:
    """Daily units per top product and top subclass (series × 120 days), and the store total."""
    rows: list[tuple[int, str, str, int]] = []
    with zipfile.ZipFile(path) as z, z.open(z.namelist()[0]) as f:
        reader = csv.reader(io.TextIOWrapper(f, encoding="utf-8-sig"))
        next(reader)
        for r in reader:
            day = (datetime.strptime(r[0], "%m/%d/%Y").date() - FIRST_DAY).days
            rows.append((day, r[4], r[5], int(r[6])))
    length = max(r[0] for r in rows) + 1
    out = {"store": np.bincount([r[0] for r in rows], weights=[r[3] for r in rows])}
    for key, col, n in (("products", 2, n_products), ("subclasses", 1, n_subclasses)):
        volume: Counter[str] = Counter()
        for r in rows:
            volume[r[col]] += r[3]  # type: ignore[index]
        index = {k: i for i, (k, _) in enumerate(volume.most_common(n))}
        y = np.zeros((len(index), length))
        for r in rows:
            i = index.get(r[col])  # type: ignore[call-overload]
            if i is not None:
                y[i, r[0]] += r[3]
        out[key] = y
    return out


def mark_gaps(y: np.ndarray, store_total: np.ndarray) -> tuple[np.ndarray, list[int]]:
    gaps = np.where(store_total < 0.2 * np.median(store_total))[0]
    y = y.copy()
    y[:, gaps] = np.nan
    return y, gaps.tolist()


def ets(history: np.ndarray, last_day: date) -> np.ndarray:
    """Holt-Winters, additive weekly season, no trend; missing days filled from a week before."""
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    out = np.zeros((history.shape[0], HORIZON))
    for i, row in enumerate(history):
        y = row.copy()
        for t in np.where(np.isnan(y))[0]:
            y[t] = y[t - 7] if t >= 7 and not np.isnan(y[t - 7]) else np.nanmean(row)
        y = y[~np.isnan(y)]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                fit = ExponentialSmoothing(
                    y,
                    trend=None,
                    seasonal="add",
                    seasonal_periods=7,
                    initialization_method="estimated",
                ).fit()
                out[i] = np.maximum(fit.forecast(HORIZON), 0)
            except Exception:  # a degenerate series: fall back to its mean
                out[i] = max(float(np.mean(y)), 0.0)
    return out


def methods(with_ets: bool, params: Params) -> dict[str, Method]:
    m: dict[str, Method] = {
        "seasonal naive": lambda h, d: seasonal_naive(h, horizon=HORIZON),
        "28-day mean": lambda h, d: moving_average(h, horizon=HORIZON, days=28),
        "weekday mean": lambda h, d: weekday_mean(h, last_day=d, horizon=HORIZON),
    }
    if with_ets:
        m["Holt-Winters (statsmodels)"] = ets
    m["linli weekday×level"] = lambda h, d: weekday_level_forecast(
        h, last_day=d, horizon=HORIZON, params=params
    )
    return m


def evaluate(y: np.ndarray, origins: list[int], fns: dict[str, Method]) -> dict[str, Any]:
    res: dict[str, Any] = {}
    for name, fn in fns.items():
        forecasts, actuals, seconds = [], [], 0.0
        for o in origins:
            t0 = time.perf_counter()
            f = fn(y[:, :o], FIRST_DAY + timedelta(days=o - 1))
            seconds += time.perf_counter() - t0
            forecasts.append(f)
            actuals.append(y[:, o : o + HORIZON])
        res[name] = {
            "wape": wape(np.concatenate(forecasts, 1), np.concatenate(actuals, 1)),
            "per_origin": [round(wape(f, a), 3) for f, a in zip(forecasts, actuals, strict=True)],
            "ms_per_1000_series": 1000 * seconds / len(origins) / y.shape[0] * 1000,
        }
    return res


def table(title: str, res: dict[str, Any], origins_label: list[str]) -> None:
    naive = res["seasonal naive"]["wape"]
    print(f"\n{title}")
    print(
        f"  {'method':<28} {'WAPE':>6} {'vs naive':>9} {'ms/1000':>9}   per origin ({', '.join(origins_label)})"
    )
    for name, r in res.items():
        gain = (1 - r["wape"] / naive) * 100
        per = " ".join(f"{p:.2f}" for p in r["per_origin"])
        print(f"  {name:<28} {r['wape']:6.3f} {gain:8.1f}% {r['ms_per_1000_series']:9.1f}   {per}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("zip", nargs="?", default=str(DEFAULT))
    ap.add_argument("--products", type=int, default=1000)
    ap.add_argument("--subclasses", type=int, default=200)
    ap.add_argument("--no-ets", action="store_true", help="skip Holt-Winters (statsmodels)")
    ap.add_argument(
        "--tune", action="store_true", help="print the parameter grid on the tuning weeks"
    )
    ap.add_argument("--json", metavar="OUT", help="also write the figures as JSON")
    args = ap.parse_args(argv)
    path = Path(args.zip)
    if not path.exists():
        print(f"bench: Ta Feng data not found: {path}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    data = load(path, args.products, args.subclasses)
    store = data.pop("store")
    print(
        f"loaded in {time.perf_counter() - t0:.1f} s: "
        f"{data['products'].shape[0]} products, {data['subclasses'].shape[0]} subclasses, "
        f"{data['products'].shape[1]} days from {FIRST_DAY}"
    )
    with_ets = not args.no_ets
    if with_ets:
        try:
            import statsmodels  # noqa: F401
        except ImportError:
            print("Holt-Winters skipped: statsmodels not installed (pip install -e '.[bench]')")
            with_ets = False
    length = data["products"].shape[1]
    test = [length - HORIZON - 7 * k for k in range(8)][::-1]
    tune = [21, 28, 35, 42]  # test weeks 22 Nov – 18 Dec, before the December gap
    figures: dict[str, Any] = {}
    for key, y in data.items():
        y, gaps = mark_gaps(y, store)
        if key == "products":
            print(
                "missing days (whole store < 20 % of its median day): "
                + ", ".join(str(FIRST_DAY + timedelta(days=g)) for g in gaps)
            )
        if args.tune:
            grid = {
                f"half-life {h}, clip {c}": (
                    lambda p: (
                        lambda hh, d: weekday_level_forecast(
                            hh, last_day=d, horizon=HORIZON, params=p
                        )
                    )
                )(Params(half_life_days=h, clip=c))
                for h in (7, 14, 28)
                for c in (None, 1.5, 2.0, 3.0)
            }
            grid = {"seasonal naive": methods(False, Params())["seasonal naive"], **grid}
            table(
                f"tuning weeks, top {y.shape[0]} {key}",
                evaluate(y, tune, grid),
                [str(FIRST_DAY + timedelta(days=o)) for o in tune],
            )
        res = evaluate(y, test, methods(with_ets, Params()))
        table(
            f"top {y.shape[0]} {key}: rolling origin, 7-day horizon, 8 weekly origins",
            res,
            [(FIRST_DAY + timedelta(days=o)).strftime("%m-%d") for o in test],
        )
        figures[key] = res
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    ours = [figures[k]["linli weekday×level"]["wape"] for k in figures]
    naive = [figures[k]["seasonal naive"]["wape"] for k in figures]
    ma = [figures[k]["28-day mean"]["wape"] for k in figures]
    ok = all(o <= 0.85 * n and o < m for o, n, m in zip(ours, naive, ma, strict=True))
    print(
        f"\ngoal (≥ 15 % below seasonal naive and below the 28-day mean): {'met' if ok else 'NOT met'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
