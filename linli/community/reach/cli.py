"""`linli reach FILE`: walking coverage of every business format from an OSM file, no database.

Planners can check our numbers on any extract: the summary table goes to stdout (stderr when
the JSON goes to stdout), the progress bar to stderr, and bad input ends with a bilingual
message and exit code 2 — never a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any, NoReturn, TextIO

import numpy as np

from linli.core.formats import FORMATS, FORMATS_BY_SLUG

from .coverage import coverage, outlets_by_format, reach_buildings
from .engine import WALK_KMH, ReachEngine
from .errors import ReachError
from .network import WalkNetwork
from .osm import OsmData, ProgressCallback, read_osm

EXIT_BAD_INPUT = 2


class _ArgError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse that reports errors bilingually through `main` instead of exiting."""

    def error(self, message: str) -> NoReturn:
        raise _ArgError(message)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="linli reach",
        description="15 分钟步行可达性 / 15-minute walking reachability per business "
        "format, from an OpenStreetMap .osm or .osm.pbf file.",
    )
    p.add_argument("file", help="OSM file (.osm XML or .osm.pbf)")
    p.add_argument(
        "--minutes", type=float, default=15.0, help="walking-time limit for coverage (default 15)"
    )
    p.add_argument(
        "--speed-kmh",
        type=float,
        default=WALK_KMH,
        help=f"walking speed in km/h (default {WALK_KMH}; elderly profile 3.0)",
    )
    p.add_argument(
        "--json", metavar="OUT", help="write the full result as JSON to OUT ('-': stdout)"
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    return p


def _fail(code: str, detail: str, err: TextIO) -> int:
    e = ReachError(code, detail)
    print(f"错误：{e.message_zh}\nError: {e.message_en}", file=err)
    return EXIT_BAD_INPUT


def _progress(enabled: bool, err: TextIO) -> tuple[ProgressCallback | None, Any]:
    """A tqdm byte bar on stderr, or nothing when disabled / tqdm missing."""
    if not enabled:
        return None, None
    try:
        from tqdm import tqdm
    except ImportError:  # tqdm is a dependency, but the engine must not need it
        return None, None
    bar = tqdm(total=None, unit="B", unit_scale=True, desc="reading OSM", file=err, leave=False)

    def cb(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    return cb, bar


def _num(x: float, nd: int = 2) -> float | None:
    return None if not math.isfinite(x) else round(float(x), nd)


def run(data: OsmData, minutes: float, speed_kmh: float) -> dict[str, Any]:
    """Compute the CLI's JSON result from read data (separate from I/O for tests)."""
    t0 = time.perf_counter()
    net = WalkNetwork.from_osm(data)
    t1 = time.perf_counter()
    res = reach_buildings(ReachEngine(net, speed_kmh), data.buildings, data.outlets)
    t2 = time.perf_counter()
    mins = {slug: r.minutes for slug, r in res.items()}
    residential = np.array([b.residential for b in data.buildings], dtype=bool)
    counts = {slug: len(ix) for slug, ix in outlets_by_format(data.outlets).items()}
    buildings = [
        {
            "osm_id": b.osm_id,
            "osm_type": b.osm_type,
            "lat": round(b.lat, 7),
            "lon": round(b.lon, 7),
            "residential": b.residential,
            "minutes": {slug: _num(m[i]) for slug, m in mins.items()},
        }
        for i, b in enumerate(data.buildings)
    ]
    return {
        "network": {"nodes": net.n_nodes, "edges": net.n_edges},
        "buildings": buildings,
        "coverage": coverage(mins, residential, minutes),
        "coverage_at_target": {
            f.slug: coverage({f.slug: mins[f.slug]}, residential, f.target_minutes)[f.slug]
            for f in FORMATS
        },
        "formats": {
            f.slug: {
                "zh": f.zh,
                "en": f.en,
                "class": f.cls,
                "target_minutes": f.target_minutes,
                "outlets": counts.get(f.slug, 0),
            }
            for f in FORMATS
        },
        "counts": {
            "buildings": len(data.buildings),
            "residential_buildings": int(residential.sum()),
            "outlets": len(data.outlets),
        },
        "params": {"file": data.source, "minutes": minutes, "speed_kmh": speed_kmh},
        "timing_s": {"network": round(t1 - t0, 3), "engine": round(t2 - t1, 3)},
    }


def _pad(text: str, width: int) -> str:
    """Left-justify by terminal columns: CJK characters take two."""
    cols = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - cols)


def _table(result: dict[str, Any], read_s: float, out: TextIO) -> None:
    n, c = result["network"], result["counts"]
    p = result["params"]
    print(
        f"{Path(p['file']).name}: {n['nodes']} walking nodes, {n['edges']} edges, "
        f"{c['buildings']} buildings ({c['residential_buildings']} residential), "
        f"{c['outlets']} outlets; read {read_s:.2f} s, network "
        f"{result['timing_s']['network']:.2f} s, engine {result['timing_s']['engine']:.2f} s",
        file=out,
    )
    print(
        f"居民楼 {p['minutes']:g} 分钟步行覆盖率 / share of residential buildings within "
        f"{p['minutes']:g} min at {p['speed_kmh']:g} km/h:",
        file=out,
    )
    print(
        f"  {'format':<18} {_pad('业态', 18)} {'English':<30} {'class':<8} {'outlets':>7} "
        f"{'cover':>6}",
        file=out,
    )
    for slug, share in result["coverage"].items():
        f = FORMATS_BY_SLUG[slug]
        print(
            f"  {slug:<18} {_pad(f.zh, 18)} {f.en:<30} {f.cls:<8} "
            f"{result['formats'][slug]['outlets']:>7} {share:>6.1%}",
            file=out,
        )


def main(
    argv: list[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Entry point; returns 0 on success, 2 on bad input (after a bilingual message)."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    try:
        args = build_parser().parse_args(argv)
    except _ArgError as exc:
        return _fail("bad_argument", str(exc), err)
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    if not (math.isfinite(args.minutes) and args.minutes > 0):
        return _fail("bad_argument", f"--minutes must be > 0, got {args.minutes}", err)
    if not (math.isfinite(args.speed_kmh) and args.speed_kmh > 0):
        return _fail("bad_argument", f"--speed-kmh must be > 0, got {args.speed_kmh}", err)
    cb, bar = _progress(not args.no_progress, err)
    try:
        t0 = time.perf_counter()
        try:
            data = read_osm(args.file, on_progress=cb)
        finally:
            if bar is not None:
                bar.close()
        read_s = time.perf_counter() - t0
        result = run(data, args.minutes, args.speed_kmh)
    except ReachError as exc:
        print(f"错误：{exc.message_zh}\nError: {exc.message_en}", file=err)
        return EXIT_BAD_INPUT
    result["timing_s"]["read"] = round(read_s, 3)
    try:
        _table(result, read_s, err if args.json == "-" else out)
    except BrokenPipeError:  # `linli reach f.osm | head`: the reader left, not an error
        return 0
    if args.json:
        text = json.dumps(result, ensure_ascii=False, allow_nan=False)
        if args.json == "-":
            out.write(text + "\n")
        else:
            try:
                Path(args.json).write_text(text, encoding="utf-8")
            except OSError as exc:
                return _fail("output_unwritable", f"{args.json}: {exc.strerror}", err)
    return 0
