"""Distance and time matrices between delivery points on the community's street network.

Uses the 15-minute engine's graph (`engine_for(community_id)`), contracted to junctions: every
point is snapped onto a segment, lying at position p of a chain of length L between junctions
A and B; one Dijkstra from each distinct end junction gives junction-to-junction metres, and
point-to-point is min over the four end pairs plus the positions (or the direct walk along a
shared chain), plus both snap offsets.

Riding and driving profiles reuse the walking graph with the vehicle's speed: the OSM extract
we store is the walkable network (footways included, one-way streets not modelled), which is
what an e-trike in a residential compound uses; for vans it is an approximation we state.
A point further than `max_off_m` from any way is off the network: it is left out of the
matrix and the planner reports `off_network` for it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.sparse.csgraph import dijkstra

from linli.community.reach.engine import ReachEngine
from linli.delivery.routing import Matrix

MAX_OFF_M = 300.0
CHUNK = 256


def street_metres(
    engine: ReachEngine, lat: Sequence[float], lon: Sequence[float]
) -> tuple[np.ndarray, np.ndarray]:
    """(n × n metres, snap offsets). Unreachable pairs are inf."""
    n = len(lat)
    if n == 0:
        return np.zeros((0, 0)), np.zeros(0)
    net = engine.net
    c = net.contracted
    snapped = net.snap(np.asarray(lat, dtype=float), np.asarray(lon, dtype=float))
    chain = c.chain_of_edge[snapped.edge]
    pu, pv = c.pos_u[snapped.edge], c.pos_v[snapped.edge]
    pos = pu + snapped.t * (pv - pu)
    length = c.chain_len[chain]
    ja, jb = c.chain_a[chain], c.chain_b[chain]
    junctions, inverse = np.unique(np.concatenate([ja, jb]), return_inverse=True)
    ia, ib = inverse[:n], inverse[n:]
    dist = np.empty((len(junctions), len(junctions)))
    for lo in range(0, len(junctions), CHUNK):  # bounded memory on a city graph
        rows = dijkstra(c.graph, directed=True, indices=junctions[lo : lo + CHUNK])
        dist[lo : lo + CHUNK] = rows[:, junctions]
    to_a, to_b = pos, length - pos
    best = np.full((n, n), np.inf)
    for d_p, i_p in ((to_a, ia), (to_b, ib)):
        for d_q, i_q in ((to_a, ia), (to_b, ib)):
            cand = d_p[:, None] + dist[np.ix_(i_p, i_q)] + d_q[None, :]
            np.minimum(best, cand, out=best)
    same = chain[:, None] == chain[None, :]
    direct = np.abs(pos[:, None] - pos[None, :])
    best = np.where(same, np.minimum(best, direct), best)
    best = best + snapped.off_m[:, None] + snapped.off_m[None, :]
    np.fill_diagonal(best, 0.0)
    return best, snapped.off_m


def street_matrices(
    engine: ReachEngine,
    points: Sequence[tuple[str, float, float]],
    speeds_kmh: dict[str, float],
    *,
    max_off_m: float = MAX_OFF_M,
) -> tuple[dict[str, Matrix], list[str]]:
    """One `Matrix` per profile over the points on the network; also the ids left out."""
    ids = [p[0] for p in points]
    metres, off = street_metres(engine, [p[1] for p in points], [p[2] for p in points])
    keep = np.flatnonzero(off <= max_off_m) if len(points) else np.zeros(0, dtype=int)
    dropped = [ids[i] for i in range(len(ids)) if i not in set(keep.tolist())]
    sub = metres[np.ix_(keep, keep)]
    kept = [ids[i] for i in keep]
    out = {
        profile: Matrix(kept, sub, sub / (max(speed, 1e-6) / 3.6))
        for profile, speed in speeds_kmh.items()
    }
    return out, dropped
