"""Building-level reachability: minutes per building per format, and coverage shares.

This is what both the CLI and the Django import call: buildings walk from their mapped
entrances when there are any (the minimum over entrances), else from their centroid.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from linli.core.formats import FORMATS

from .engine import Nearest, ReachEngine
from .network import FloatArray, IntArray
from .osm import Building, Outlet


@dataclass(frozen=True, slots=True)
class BuildingPoints:
    """Walking origins of buildings: one row per entrance (or centroid), `owner` = building."""

    lat: FloatArray
    lon: FloatArray
    owner: IntArray
    n_buildings: int


def building_points(buildings: Sequence[Building]) -> BuildingPoints:
    """Entrances where mapped, else the centroid."""
    lat: list[float] = []
    lon: list[float] = []
    owner: list[int] = []
    for i, b in enumerate(buildings):
        pts = b.entrances or ((b.lat, b.lon),)
        for la, lo in pts:
            lat.append(la)
            lon.append(lo)
            owner.append(i)
    return BuildingPoints(
        np.asarray(lat, dtype=np.float64),
        np.asarray(lon, dtype=np.float64),
        np.asarray(owner, dtype=np.int64),
        len(buildings),
    )


def outlets_by_format(outlets: Sequence[Outlet]) -> dict[str, IntArray]:
    """Indices into `outlets` for each format slug present."""
    groups: dict[str, list[int]] = {}
    for i, o in enumerate(outlets):
        groups.setdefault(o.format, []).append(i)
    return {slug: np.asarray(ix, dtype=np.int64) for slug, ix in groups.items()}


def reach_buildings(
    engine: ReachEngine,
    buildings: Sequence[Building],
    outlets: Sequence[Outlet],
    formats: Iterable[str] | None = None,
    *,
    speed_kmh: float | None = None,
) -> dict[str, Nearest]:
    """Minutes from every building to the nearest outlet of each format.

    Every requested format is in the result (default: all 26); a format without outlets is all
    NaN. `Nearest.index` points into `outlets` (-1 where unreachable).
    """
    slugs = list(formats) if formats is not None else [f.slug for f in FORMATS]
    pts = building_points(buildings)
    targets = engine.net.snap(pts.lat, pts.lon)  # once, shared by all formats
    lat = np.asarray([o.lat for o in outlets], dtype=np.float64)
    lon = np.asarray([o.lon for o in outlets], dtype=np.float64)
    groups = outlets_by_format(outlets)
    snapped = engine.net.snap(lat, lon)  # all outlets in one KD-tree query
    present = {s: snapped.take(groups[s]) for s in slugs if s in groups}
    res = engine.nearest(
        present, targets, owner=pts.owner, n_owners=pts.n_buildings, speed_kmh=speed_kmh
    )
    out: dict[str, Nearest] = {}
    n = len(buildings)
    for s in slugs:
        if s in res:
            r = res[s]
            idx = np.where(r.index >= 0, groups[s][np.maximum(r.index, 0)], -1)
            out[s] = Nearest(r.minutes, idx.astype(np.int64))
        else:
            out[s] = Nearest(np.full(n, np.nan), np.full(n, -1, dtype=np.int64))
    return out


def coverage(
    minutes: dict[str, FloatArray], mask: np.ndarray, limit_minutes: float
) -> dict[str, float]:
    """Share (0..1) of the masked buildings (e.g. residential) within the limit, per format.

    Unreachable (NaN) counts as not covered. With no building in the mask, shares are 0.
    """
    total = int(np.count_nonzero(mask))
    out: dict[str, float] = {}
    for slug, m in minutes.items():
        sel = m[mask]
        hit = int(np.count_nonzero(np.isfinite(sel) & (sel <= limit_minutes)))
        out[slug] = hit / total if total else 0.0
    return out
