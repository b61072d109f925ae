"""Small geodesy helpers shared by the reader, the engine and the tests."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG), what haversine distances assume

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def haversine_m(
    lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike
) -> FloatArray:
    """Great-circle distance in metres, vectorised over numpy arrays."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


def polygon_area_centroid(
    outers: Sequence[Sequence[tuple[float, float]]],
    inners: Sequence[Sequence[tuple[float, float]]] = (),
) -> tuple[float, float, float]:
    """Area (m²) and centroid (lat, lon) of rings given as (lat, lon) lists.

    Buildings are small, so an equirectangular plane around the first vertex is exact to well
    under a percent; inner rings (courtyards) are subtracted. Returns (area, lat, lon); for a
    degenerate polygon the centroid falls back to the vertex mean.
    """
    if not outers or not outers[0]:
        raise ValueError("polygon without outer ring")
    lat0, lon0 = outers[0][0]
    kx = math.radians(1.0) * EARTH_RADIUS_M * math.cos(math.radians(lat0))
    ky = math.radians(1.0) * EARTH_RADIUS_M
    total_a = total_cx = total_cy = 0.0
    for sign, rings in ((1.0, outers), (-1.0, inners)):
        for ring in rings:
            pts = [((lon - lon0) * kx, (lat - lat0) * ky) for lat, lon in ring]
            a = cx = cy = 0.0
            for (x1, y1), (x2, y2) in zip(pts, pts[1:] + pts[:1], strict=True):
                cross = x1 * y2 - x2 * y1
                a += cross
                cx += (x1 + x2) * cross
                cy += (y1 + y2) * cross
            # Orientation differs between sources: take outer rings positive, inner negative.
            s = sign * (1.0 if a >= 0 else -1.0)
            total_a += s * a / 2
            total_cx += s * cx / 6
            total_cy += s * cy / 6
    if abs(total_a) < 1e-9:
        pts_all = [p for ring in outers for p in ring]
        return (
            0.0,
            sum(p[0] for p in pts_all) / len(pts_all),
            sum(p[1] for p in pts_all) / len(pts_all),
        )
    x, y = total_cx / total_a, total_cy / total_a
    return abs(total_a), lat0 + y / ky, lon0 + x / kx
