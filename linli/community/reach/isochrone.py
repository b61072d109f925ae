"""Walking isochrone of one point as a GeoJSON polygon (WGS-84 lon/lat).

The reachable street network is cut exactly at the time limit — whole edges where both
ends leave time to walk them, the reachable part of each partly reachable edge from either end,
the stretch of the start's own edge and the off-network walk to it — then buffered by a
street's width (`BUFFER_M`) in the metric CRS and unioned. A line buffer shows where one can
walk, unlike a convex hull, which would cover rivers and rail yards.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping

from .engine import MAX_POINT_OFF_M, ReachEngine, metres_per_minute
from .network import FloatArray

BUFFER_M = 40.0
SIMPLIFY_M = 5.0


def _pieces(
    x0: FloatArray, y0: FloatArray, x1: FloatArray, y1: FloatArray, a: FloatArray, b: FloatArray
) -> np.ndarray:
    """Segments from fraction a to fraction b along (x0,y0)→(x1,y1), shape (n, 2, 2)."""
    dx, dy = x1 - x0, y1 - y0
    return np.stack(
        [np.column_stack([x0 + a * dx, y0 + a * dy]), np.column_stack([x0 + b * dx, y0 + b * dy])],
        axis=1,
    )


def isochrone(
    engine: ReachEngine,
    lat: float,
    lon: float,
    minutes: float,
    *,
    speed_kmh: float | None = None,
    buffer_m: float = BUFFER_M,
    simplify_m: float = SIMPLIFY_M,
    max_off_m: float = MAX_POINT_OFF_M,
) -> dict[str, Any]:
    """GeoJSON Feature: the area within `minutes` walk of (lat, lon).

    Raises `ReachError("point_off_network")` when the point is too far from any way.
    The Feature's geometry is null when the limit is shorter than the walk to the network.
    """
    net = engine.net
    budget = minutes * metres_per_minute(speed_kmh or engine.speed_kmh)
    src = engine.snap_point(lat, lon, max_off_m)
    d = engine.node_metres_from(src, limit_m=budget)
    du, dv, length = d[net.u], d[net.v], net.length
    ra = np.clip((budget - du) / length, 0.0, 1.0)  # reachable fraction walking in from u
    rb = np.clip((budget - dv) / length, 0.0, 1.0)  # … from v
    ra[~np.isfinite(du)] = 0.0
    rb[~np.isfinite(dv)] = 0.0
    xu, yu, xv, yv = net.x[net.u], net.y[net.u], net.x[net.v], net.y[net.v]
    full = ra + rb >= 1.0
    part_a = ~full & (ra > 0)
    part_b = ~full & (rb > 0)
    segs = [
        _pieces(xu[full], yu[full], xv[full], yv[full], np.zeros(full.sum()), np.ones(full.sum())),
        _pieces(xu[part_a], yu[part_a], xv[part_a], yv[part_a], np.zeros(part_a.sum()), ra[part_a]),
        _pieces(
            xu[part_b], yu[part_b], xv[part_b], yv[part_b], 1.0 - rb[part_b], np.ones(part_b.sum())
        ),
    ]
    # The start's own edge, walked directly from the snap point, and the walk onto it.
    e, t, off = int(src.edge[0]), float(src.t[0]), float(src.off_m[0])
    left = max(0.0, budget - off) / float(length[e])
    own = np.array([[max(0.0, t - left)], [min(1.0, t + left)]])
    segs.append(_pieces(xu[[e]], yu[[e]], xv[[e]], yv[[e]], own[0], own[1]))
    px, py = net.project([lat], [lon])
    sx, sy = net.snapped_xy(src)
    reach = min(1.0, budget / off) if off > 0 else 1.0
    segs.append(
        np.array(
            [[[px[0], py[0]], [px[0] + reach * (sx[0] - px[0]), py[0] + reach * (sy[0] - py[0])]]]
        )
    )
    props: dict[str, Any] = {
        "minutes": minutes,
        "speed_kmh": speed_kmh or engine.speed_kmh,
        "buffer_m": buffer_m,
        "snap_off_m": round(off, 1),
    }
    if budget <= off:
        return {"type": "Feature", "geometry": None, "properties": props}
    lines = shapely.linestrings(np.concatenate(segs))
    poly = shapely.union_all(shapely.buffer(lines, buffer_m, quad_segs=4))
    poly = shapely.simplify(poly, simplify_m)

    def _to_lonlat(coords: np.ndarray) -> np.ndarray:
        la, lo = net.unproject(coords[:, 0], coords[:, 1])
        return np.column_stack([lo, la])

    geo = shapely.transform(poly, _to_lonlat)
    props["area_m2"] = round(float(poly.area), 1)
    return {"type": "Feature", "geometry": mapping(geo), "properties": props}
