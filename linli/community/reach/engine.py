"""Walking time to the nearest outlet of each format: one multi-source Dijkstra per format.

Every source point (an outlet snapped onto a street segment, off-network distance o) becomes
a virtual node with two outgoing arcs to the junctions A and B that end its chain of
segments (see `contract.py`): o + p and o + (L − p), p being its position along the chain of
length L. The virtual rows are appended to the CSR arrays (no matrix rebuild), and
`scipy.sparse.csgraph.dijkstra(..., min_only=True)` returns, for every junction, the distance
to the nearest source and which source it was. A target at position p' on a chain then costs
o' + min(d[A] + p', d[B] + L − p'), or the direct walk along the chain when a source lies on
the same chain. Unreachable (another connected component) stays NaN — never 0 or inf.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from .errors import ReachError
from .network import MIN_WEIGHT_M, FloatArray, IntArray, Snapped, WalkNetwork

WALK_KMH = 4.5
ELDERLY_KMH = 3.0
MAX_POINT_OFF_M = 500.0  # a "near me" point further than this from any way is an error

Points = tuple[npt.ArrayLike, npt.ArrayLike]  # (lat, lon) arrays in degrees


def metres_per_minute(speed_kmh: float) -> float:
    """Walking speed in metres per minute; rejects non-positive speeds."""
    if not speed_kmh > 0:
        raise ReachError("bad_argument", f"speed must be > 0 km/h, got {speed_kmh}")
    return speed_kmh * 1000.0 / 60.0


@dataclass(frozen=True, slots=True)
class Nearest:
    """Per target: minutes to the nearest source (NaN if unreachable) and its index (-1)."""

    minutes: FloatArray
    index: IntArray


@dataclass(frozen=True, slots=True)
class Reachable:
    """Sources reachable from one point within a limit, nearest first."""

    index: IntArray
    minutes: FloatArray


@dataclass(frozen=True, slots=True)
class _Groups:
    """Target points sorted by owner, prepared once per call and reused for every format."""

    order: IntArray
    starts: IntArray
    counts: IntArray
    owners: IntArray  # owner id of each non-empty group
    n: int

    @classmethod
    def of(cls, owner: npt.ArrayLike, n: int | None) -> _Groups:
        own = np.asarray(owner, dtype=np.int64)
        order = np.argsort(own, kind="stable")
        owners, starts, counts = np.unique(own[order], return_index=True, return_counts=True)
        return cls(order, starts, counts, owners, int(n if n is not None else own.max() + 1))

    def min(self, values: FloatArray) -> tuple[FloatArray, IntArray]:
        """Per-owner minimum and the position (in the unsorted input) it came from."""
        out = np.full(self.n, np.inf)
        pos = np.full(self.n, -1, dtype=np.int64)
        if len(self.order) == 0:
            return out, pos
        v = values[self.order]
        gmin = np.minimum.reduceat(v, self.starts)
        at = np.where(v == np.repeat(gmin, self.counts), np.arange(len(v)), len(v))
        first = np.minimum.reduceat(at, self.starts)
        out[self.owners] = gmin
        pos[self.owners] = self.order[np.minimum(first, len(v) - 1)]
        return out, pos


def group_min(keys: IntArray, values: FloatArray, n: int) -> tuple[FloatArray, IntArray]:
    """Minimum of `values` per key in 0..n-1 and the position it came from (inf / -1 if none)."""
    out = np.full(n, np.inf)
    pos = np.full(n, -1, dtype=np.int64)
    if len(keys) == 0:
        return out, pos
    order = np.lexsort((values, keys))
    first = np.ones(len(order), dtype=bool)
    first[1:] = keys[order][1:] != keys[order][:-1]
    sel = order[first]
    out[keys[sel]] = values[sel]
    pos[keys[sel]] = sel
    return out, pos


def _append_sources(
    base: sp.csr_matrix, col_a: IntArray, col_b: IntArray, w_a: FloatArray, w_b: FloatArray
) -> sp.csr_matrix:
    """`base` plus one outgoing-only virtual row per source (arcs to col_a and col_b).

    Built by concatenating CSR arrays, so it costs O(nnz) copies and no sorting.
    """
    k = len(col_a)
    indptr = np.concatenate([base.indptr, base.indptr[-1] + 2 * np.arange(1, k + 1)])
    indices = np.concatenate([base.indices, np.column_stack([col_a, col_b]).ravel()])
    data = np.concatenate(
        [base.data, np.maximum(np.column_stack([w_a, w_b]), MIN_WEIGHT_M).ravel()]
    )
    n = base.shape[0] + k
    return sp.csr_matrix((data, indices.astype(base.indices.dtype), indptr), shape=(n, n))


class ReachEngine:
    """Shortest walking distances on a `WalkNetwork`; all heavy work is vectorised."""

    def __init__(self, network: WalkNetwork, speed_kmh: float = WALK_KMH) -> None:
        self.net = network
        self.speed_kmh = speed_kmh
        metres_per_minute(speed_kmh)  # validate early

    def _chain_pos(self, s: Snapped) -> tuple[IntArray, FloatArray]:
        """Chain of each snapped point and its position along the chain in metres."""
        c = self.net.contracted
        pu, pv = c.pos_u[s.edge], c.pos_v[s.edge]
        return c.chain_of_edge[s.edge], pu + s.t * (pv - pu)

    def distances(
        self, src: Snapped, tgt: Snapped, limit_m: float = np.inf
    ) -> tuple[FloatArray, IntArray]:
        """Metres from each target to its nearest source and that source's index.

        Runs on the junction graph: a point at position p of a chain of length L between
        junctions A and B is joined to A by p and to B by L − p. Unreachable targets (or
        beyond `limit_m`) get inf and -1.
        """
        n_t = len(tgt)
        if len(src) == 0 or n_t == 0:
            return np.full(n_t, np.inf), np.full(n_t, -1, dtype=np.int64)
        c = self.net.contracted
        s_ch, s_pos_m = self._chain_pos(src)
        t_ch, t_pos = self._chain_pos(tgt)
        graph = _append_sources(
            c.graph,
            c.chain_a[s_ch],
            c.chain_b[s_ch],
            src.off_m + s_pos_m,
            src.off_m + c.chain_len[s_ch] - s_pos_m,
        )
        n_j = c.n_junctions
        dist, _, origin = dijkstra(
            graph,
            directed=True,
            indices=n_j + np.arange(len(src)),
            min_only=True,
            return_predecessors=True,
            limit=limit_m,
        )
        origin = np.where(origin >= 0, origin - n_j, -1)
        a, b = c.chain_a[t_ch], c.chain_b[t_ch]
        via_a = dist[a] + t_pos
        via_b = dist[b] + (c.chain_len[t_ch] - t_pos)
        best = np.minimum(via_a, via_b) + tgt.off_m
        who = np.where(via_a <= via_b, origin[a], origin[b])

        # Source and target on the same chain: the direct walk along it between them.
        order = np.argsort(s_ch, kind="stable")
        s_sorted = s_ch[order]
        lo = np.searchsorted(s_sorted, t_ch, side="left")
        hi = np.searchsorted(s_sorted, t_ch, side="right")
        count = hi - lo
        if count.any():
            t_idx = np.repeat(np.arange(n_t), count)
            run_start = np.repeat(np.cumsum(count) - count, count)
            s_idx = order[np.repeat(lo, count) + np.arange(len(t_idx)) - run_start]
            direct = src.off_m[s_idx] + np.abs(s_pos_m[s_idx] - t_pos[t_idx]) + tgt.off_m[t_idx]
            d_min, at = group_min(t_idx, direct, n_t)
            better = d_min < best
            best[better] = d_min[better]
            who[better] = s_idx[at[better]]
        best[best > limit_m] = np.inf
        who[~np.isfinite(best)] = -1
        return best, who.astype(np.int64)

    def snap_points(self, points: Points | Snapped) -> Snapped:
        """Accept (lat, lon) arrays or an already snapped set."""
        if isinstance(points, Snapped):
            return points
        lat, lon = points
        return self.net.snap(lat, lon)

    def nearest(
        self,
        format_points: Mapping[str, Points | Snapped],
        targets: Points | Snapped,
        *,
        owner: npt.ArrayLike | None = None,
        n_owners: int | None = None,
        speed_kmh: float | None = None,
    ) -> dict[str, Nearest]:
        """Minutes from every target to the nearest point of each format (NaN: unreachable).

        `owner` groups target points (e.g. a building's entrances): the result is per owner,
        the minimum over its points. `index` refers to that format's point arrays.
        """
        mpm = metres_per_minute(speed_kmh or self.speed_kmh)
        tgt = self.snap_points(targets)
        out: dict[str, Nearest] = {}
        groups = _Groups.of(owner, n_owners) if owner is not None else None
        for slug, pts in format_points.items():
            d, who = self.distances(self.snap_points(pts), tgt)
            if groups is not None:
                d, pos = groups.min(d)
                who = np.where(pos >= 0, who[np.maximum(pos, 0)], -1)
            minutes = np.where(np.isfinite(d), d / mpm, np.nan)
            out[slug] = Nearest(minutes, np.where(np.isfinite(d), who, -1).astype(np.int64))
        return out

    def minutes_to_nearest(
        self,
        format_points: Mapping[str, Points | Snapped],
        targets: Points | Snapped,
        *,
        owner: npt.ArrayLike | None = None,
        n_owners: int | None = None,
        speed_kmh: float | None = None,
    ) -> dict[str, FloatArray]:
        """Like `nearest` but only the minutes (NaN where unreachable)."""
        res = self.nearest(
            format_points, targets, owner=owner, n_owners=n_owners, speed_kmh=speed_kmh
        )
        return {slug: r.minutes for slug, r in res.items()}

    def snap_point(self, lat: float, lon: float, max_off_m: float = MAX_POINT_OFF_M) -> Snapped:
        """Snap one resident's point; `point_off_network` if no way is within `max_off_m`."""
        s = self.net.snap([lat], [lon])
        if not s.off_m[0] <= max_off_m:
            raise ReachError(
                "point_off_network",
                f"({lat:.6f}, {lon:.6f}) is {s.off_m[0]:.0f} m from the nearest way",
            )
        return s

    def reachable_from(
        self,
        lat: float,
        lon: float,
        minutes: float,
        points: Points | Snapped,
        *,
        speed_kmh: float | None = None,
        max_off_m: float = MAX_POINT_OFF_M,
    ) -> Reachable:
        """All `points` (e.g. outlets) within `minutes` of one resident, nearest first.

        Walking distance is symmetric, so the resident is the single source and the points
        are targets; the Dijkstra stops at the limit, which keeps this fast on a city graph.
        """
        mpm = metres_per_minute(speed_kmh or self.speed_kmh)
        src = self.snap_point(lat, lon, max_off_m)
        d, _ = self.distances(src, self.snap_points(points), limit_m=minutes * mpm)
        idx = np.flatnonzero(np.isfinite(d))
        idx = idx[np.argsort(d[idx], kind="stable")]
        return Reachable(idx.astype(np.int64), d[idx] / mpm)

    def node_metres_from(self, src: Snapped, limit_m: float = np.inf) -> FloatArray:
        """Metres from a snapped source set to every node of the full graph (inf beyond limit).

        Used for isochrones, which need the shape points too; a limited search is cheap.
        """
        net = self.net
        length = net.length[src.edge]
        graph = _append_sources(
            net.graph,
            net.u[src.edge],
            net.v[src.edge],
            src.off_m + src.t * length,
            src.off_m + (1 - src.t) * length,
        )
        virt = self.net.n_nodes + np.arange(len(src))
        dist = dijkstra(graph, directed=True, indices=virt, min_only=True, limit=limit_m)
        return np.asarray(dist[: self.net.n_nodes])
