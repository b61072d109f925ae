"""The walking graph in a local metric CRS, and snapping of points onto its edges.

Nodes are projected with a spherical azimuthal equidistant projection centred on the data,
whose scale error stays below 1e-6 within 15 km of the centre, so planar geometry is metric.
Edge weights are the reader's haversine lengths; duplicate edges (two ways sharing a segment)
keep the shortest, since `scipy.sparse` would otherwise add them up.

Points snap only to components at least `min_component_m` long in total: short fragments
(the outline bits of a plaza mapped as an area, stubs cut off by the extract's edge) would
otherwise capture a shop or a house standing next to the real street network and make it
unreachable. Genuine islands longer than that stay islands, and their buildings get null.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from pyproj import Transformer
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from .contract import Contracted, contract
from .errors import ReachError
from .geo import EARTH_RADIUS_M, FloatArray, IntArray
from .osm import OsmData

SAMPLE_SPACING_M = 20.0  # KD-tree sample spacing along edges; any segment point is ≤ 10 m away
_K_CANDIDATES = 16
MIN_WEIGHT_M = 1e-6  # csgraph reads explicit zeros as "no edge" in places: keep weights > 0
MIN_COMPONENT_M = 250.0


@dataclass(frozen=True, slots=True)
class Snapped:
    """Points placed on the network: edge index, fraction along u→v, off-network metres."""

    edge: IntArray
    t: FloatArray
    off_m: FloatArray

    def __len__(self) -> int:
        return len(self.edge)

    def take(self, idx: npt.ArrayLike) -> Snapped:
        """The subset at `idx` (snap all outlets once, then slice per format)."""
        ix = np.asarray(idx, dtype=np.int64)
        return Snapped(self.edge[ix], self.t[ix], self.off_m[ix])


class WalkNetwork:
    """Undirected walking graph: CSR adjacency in metres plus a KD-tree for snapping."""

    def __init__(
        self,
        lat: FloatArray,
        lon: FloatArray,
        edge_u: IntArray,
        edge_v: IntArray,
        edge_length_m: FloatArray,
        *,
        min_component_m: float = MIN_COMPONENT_M,
    ) -> None:
        if len(edge_u) == 0:
            raise ReachError("no_walkable_ways", "0 walkable edges")
        self.lat = np.asarray(lat, dtype=np.float64)
        self.lon = np.asarray(lon, dtype=np.float64)
        self.n_nodes = len(self.lat)
        lat0, lon0 = float(np.mean(self.lat)), float(np.mean(self.lon))
        # On the same sphere as haversine, so snap offsets and edge lengths agree and planar
        # distances are never shorter than great-circle ones (AEQD scale ≥ 1).
        aeqd = f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +R={EARTH_RADIUS_M} +units=m +no_defs"
        self._fwd = Transformer.from_crs("EPSG:4326", aeqd, always_xy=True)
        self._inv = Transformer.from_crs(aeqd, "EPSG:4326", always_xy=True)
        self.x, self.y = self.project(self.lat, self.lon)

        # One undirected edge per unordered node pair, shortest length kept.
        a = np.minimum(edge_u, edge_v).astype(np.int64)
        b = np.maximum(edge_u, edge_v).astype(np.int64)
        key = a * self.n_nodes + b
        order = np.lexsort((edge_length_m, key))
        first = np.ones(len(order), dtype=bool)
        first[1:] = key[order][1:] != key[order][:-1]
        keep = order[first]
        self.u: IntArray = a[keep]
        self.v: IntArray = b[keep]
        self.length: FloatArray = np.maximum(np.asarray(edge_length_m)[keep], MIN_WEIGHT_M)
        self.n_edges = len(self.u)
        rows = np.concatenate([self.u, self.v])
        cols = np.concatenate([self.v, self.u])
        w = np.concatenate([self.length, self.length])
        self.graph: sp.csr_matrix = sp.csr_matrix(
            (w, (rows, cols)), shape=(self.n_nodes, self.n_nodes)
        )
        self.graph.sort_indices()
        self.contracted: Contracted = contract(self.n_nodes, self.u, self.v, self.length)
        self.n_components, self.component = connected_components(self.graph, directed=False)
        comp_len = np.bincount(
            self.component[self.u], weights=self.length, minlength=self.n_components
        )
        big = comp_len[self.component[self.u]] >= min_component_m
        self.snappable: npt.NDArray[np.bool_] = big if big.any() else np.ones_like(big)
        self._build_index()

    @classmethod
    def from_osm(cls, data: OsmData, *, min_component_m: float = MIN_COMPONENT_M) -> WalkNetwork:
        """Build from `read_osm`'s result; raises `no_walkable_ways` if there is none."""
        return cls(
            data.lat,
            data.lon,
            data.edge_u,
            data.edge_v,
            data.edge_length_m,
            min_component_m=min_component_m,
        )

    # -- projection ---------------------------------------------------------------------------
    def project(self, lat: npt.ArrayLike, lon: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        """WGS-84 degrees → local metres (x east, y north)."""
        x, y = self._fwd.transform(
            np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
        )
        return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)

    def unproject(self, x: npt.ArrayLike, y: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Local metres → (lat, lon) degrees."""
        lon, lat = self._inv.transform(
            np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        )
        return np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64)

    # -- snapping -----------------------------------------------------------------------------
    def _build_index(self) -> None:
        """Sample every edge at ≤ SAMPLE_SPACING_M so the nearest sample bounds the search."""
        ids = np.flatnonzero(self.snappable)
        x0, y0 = self.x[self.u[ids]], self.y[self.u[ids]]
        dx, dy = self.x[self.v[ids]] - x0, self.y[self.v[ids]] - y0
        seg_len = np.hypot(dx, dy)
        n = np.maximum(1, np.ceil(seg_len / SAMPLE_SPACING_M).astype(np.int64))
        local = np.repeat(np.arange(len(ids)), n)
        starts = np.cumsum(n) - n
        k = np.arange(len(local)) - np.repeat(starts, n)
        frac = (k + 0.5) / n[local]
        self._sample_edge = ids[local]
        self._half_spacing = float(np.max(seg_len / (2 * n))) if len(n) else 0.0
        self._tree = cKDTree(
            np.column_stack([x0[local] + frac * dx[local], y0[local] + frac * dy[local]])
        )

    def _project_on(
        self, px: FloatArray, py: FloatArray, edges: IntArray
    ) -> tuple[FloatArray, FloatArray]:
        """Exact orthogonal projection of points on edges: (t clipped to [0,1], distance)."""
        x0, y0 = self.x[self.u[edges]], self.y[self.u[edges]]
        dx, dy = self.x[self.v[edges]] - x0, self.y[self.v[edges]] - y0
        l2 = dx * dx + dy * dy
        with np.errstate(invalid="ignore", divide="ignore"):
            t = np.where(l2 > 0, ((px - x0) * dx + (py - y0) * dy) / l2, 0.0)
        t = np.clip(t, 0.0, 1.0)
        return t, np.hypot(px - (x0 + t * dx), py - (y0 + t * dy))

    def snap_xy(self, px: npt.ArrayLike, py: npt.ArrayLike) -> Snapped:
        """Snap projected points to the nearest point on any edge (exact, not nearest node).

        Candidates are the edges of the K nearest samples; when the K-th sample is closer than
        best distance + half the sample spacing, a closer edge could hide beyond K, so those
        few points are redone with a ball query of exactly that radius.
        """
        px = np.atleast_1d(np.asarray(px, dtype=np.float64))
        py = np.atleast_1d(np.asarray(py, dtype=np.float64))
        n = len(px)
        if n == 0:
            empty = np.zeros(0)
            return Snapped(np.zeros(0, dtype=np.int64), empty, empty)
        k = min(_K_CANDIDATES, len(self._sample_edge))
        dist_s, idx = self._tree.query(np.column_stack([px, py]), k=k)
        dist_s, idx = dist_s.reshape(n, k), idx.reshape(n, k)
        cand = self._sample_edge[idx]
        t, d = self._project_on(
            np.repeat(px, k).reshape(n, k), np.repeat(py, k).reshape(n, k), cand
        )
        best = np.argmin(d, axis=1)
        rows = np.arange(n)
        edge, tt, dd = cand[rows, best], t[rows, best], d[rows, best]
        unsure = np.flatnonzero(
            (k < len(self._sample_edge)) & (dist_s[:, -1] <= dd + self._half_spacing)
        )
        for i in unsure:  # rare: dense junctions; exact by the bound above
            near = np.unique(
                self._sample_edge[
                    self._tree.query_ball_point((px[i], py[i]), dd[i] + self._half_spacing + 1e-9)
                ]
            )
            ti, di = self._project_on(np.full(len(near), px[i]), np.full(len(near), py[i]), near)
            j = int(np.argmin(di))
            edge[i], tt[i], dd[i] = near[j], ti[j], di[j]
        return Snapped(edge.astype(np.int64), tt, dd)

    def snap(self, lat: npt.ArrayLike, lon: npt.ArrayLike) -> Snapped:
        """Snap WGS-84 points (degrees) onto the network."""
        return self.snap_xy(*self.project(lat, lon))

    def snapped_xy(self, s: Snapped) -> tuple[FloatArray, FloatArray]:
        """Projected coordinates of the snap points themselves."""
        x0, y0 = self.x[self.u[s.edge]], self.y[self.u[s.edge]]
        return (x0 + s.t * (self.x[self.v[s.edge]] - x0), y0 + s.t * (self.y[self.v[s.edge]] - y0))
