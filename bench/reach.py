"""Benchmark: linli's reach engine vs pandana on Liechtenstein (all formats, every building).

    python bench/reach.py [OSM_FILE] [--minutes 15] [--json OUT]

Times (1) import = read the OSM file + build the walking network, (2) the engine: minutes from
every building to the nearest outlet of every format, (3) pandana on the same graph (same
nodes, deduplicated edges, same metres) and the same outlets: network build + precompute, then
set_pois + nearest_pois per format. pandana is AGPL: used here only, never imported by linli.

Accuracy: pandana attaches points to their nearest *node*; the engine projects them onto the
nearest *edge* and counts the walk onto the network. For a like-for-like check the engine is
also run with node-snapped points (same nodes as pandana's `get_node_ids`), and the largest
difference at building level is reported for both variants within pandana's horizon.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from linli.community.reach import (  # noqa: E402
    ReachEngine,
    Snapped,
    WalkNetwork,
    building_points,
    outlets_by_format,
    reach_buildings,
    read_osm,
)

DEFAULT = ROOT.parent / "shared/data/osm/liechtenstein-2022-07-24.osm.pbf"


def _node_snapped(net: WalkNetwork, nodes: np.ndarray) -> Snapped:
    """Points placed exactly on graph nodes: any incident edge with t = 0 or 1, no offset."""
    first_u = np.full(net.n_nodes, -1)
    first_u[net.u[::-1]] = np.arange(net.n_edges)[::-1]
    first_v = np.full(net.n_nodes, -1)
    first_v[net.v[::-1]] = np.arange(net.n_edges)[::-1]
    use_u = first_u[nodes] >= 0
    edge = np.where(use_u, first_u[nodes], first_v[nodes])
    return Snapped(edge.astype(np.int64), np.where(use_u, 0.0, 1.0), np.zeros(len(nodes)))


def _engine_node_snapped(
    engine: ReachEngine,
    b_node: np.ndarray,
    o_node: np.ndarray,
    groups: dict[str, np.ndarray],
    owner: np.ndarray,
    n: int,
) -> dict[str, np.ndarray]:
    tgt = _node_snapped(engine.net, b_node)
    src = _node_snapped(engine.net, o_node)
    res = engine.minutes_to_nearest(
        {s: src.take(ix) for s, ix in groups.items()}, tgt, owner=owner, n_owners=n
    )
    return res


def _pandana(
    net: WalkNetwork,
    b_node_xy: tuple[np.ndarray, np.ndarray],
    o_xy: tuple[np.ndarray, np.ndarray],
    groups: dict[str, np.ndarray],
    horizon_m: float,
) -> tuple[dict[str, Any], dict[str, np.ndarray]] | None:
    try:
        import pandana
        import pandas as pd
    except ImportError as exc:
        print(f"pandana skipped: cannot import it ({exc}); `pip install pandana` to compare.")
        return None
    t0 = time.perf_counter()
    nodes = pd.Index(np.arange(net.n_nodes))
    pn = pandana.Network(
        pd.Series(net.x, index=nodes),
        pd.Series(net.y, index=nodes),
        pd.Series(net.u),
        pd.Series(net.v),
        pd.DataFrame({"m": net.length}),
        twoway=True,
    )
    pn.precompute(horizon_m)
    t1 = time.perf_counter()
    b_nodes = pn.get_node_ids(pd.Series(b_node_xy[0]), pd.Series(b_node_xy[1])).to_numpy()
    out: dict[str, np.ndarray] = {}
    for slug, ix in groups.items():
        pn.set_pois(slug, horizon_m, 1, pd.Series(o_xy[0][ix]), pd.Series(o_xy[1][ix]))
        d = pn.nearest_pois(horizon_m, slug, num_pois=1).iloc[:, 0].to_numpy()
        out[slug] = d[b_nodes]
    t2 = time.perf_counter()
    return {"index_s": t1 - t0, "queries_s": t2 - t1, "total_s": t2 - t0}, out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", default=str(DEFAULT))
    ap.add_argument("--minutes", type=float, default=15.0, help="pandana horizon (minutes)")
    ap.add_argument("--speed-kmh", type=float, default=4.5)
    ap.add_argument("--json", metavar="OUT", help="also write the figures as JSON")
    args = ap.parse_args(argv)
    if not Path(args.file).is_file():
        print(f"bench: OSM file not found: {args.file}", file=sys.stderr)
        return 2

    t0 = time.perf_counter()
    data = read_osm(args.file)
    net = WalkNetwork.from_osm(data)
    t1 = time.perf_counter()
    engine = ReachEngine(net, args.speed_kmh)
    res = reach_buildings(engine, data.buildings, data.outlets)
    t2 = time.perf_counter()
    groups = outlets_by_format(data.outlets)
    mpm = args.speed_kmh * 1000 / 60
    horizon = args.minutes * mpm

    # Node-snapped inputs shared by pandana and the like-for-like engine run.
    pts = building_points(data.buildings)
    bx, by = net.project(pts.lat, pts.lon)
    ox, oy = net.project([o.lat for o in data.outlets], [o.lon for o in data.outlets])
    tree = cKDTree(np.column_stack([net.x, net.y]))
    b_node = tree.query(np.column_stack([bx, by]))[1]
    o_node = tree.query(np.column_stack([ox, oy]))[1]
    node_res = _engine_node_snapped(engine, b_node, o_node, groups, pts.owner, len(data.buildings))

    figures: dict[str, Any] = {
        "file": Path(args.file).name,
        "nodes": net.n_nodes,
        "edges": net.n_edges,
        "buildings": len(data.buildings),
        "outlets": len(data.outlets),
        "formats_with_outlets": len(groups),
        "import_s": round(t1 - t0, 3),
        "engine_s": round(t2 - t1, 3),
    }
    pd_res = _pandana(net, (bx, by), (ox, oy), groups, horizon)
    if pd_res is not None:
        timing, pmin = pd_res
        diff_node = diff_edge = 0.0
        edge_diffs: list[np.ndarray] = []
        for slug, d_p in pmin.items():
            # pandana has one distance per point; reduce over a building's entrances like we do.
            own = np.full(len(data.buildings), np.inf)
            np.minimum.at(own, pts.owner, d_p)
            within = own < horizon - 1e-6
            mine_node = node_res[slug] * mpm
            ok = within & np.isfinite(mine_node)
            diff_node = max(
                diff_node, float(np.max(np.abs(own[ok] - mine_node[ok]), initial=0)) / mpm
            )
            mine_edge = res[slug].minutes * mpm
            ok = within & np.isfinite(mine_edge)
            diff_edge = max(
                diff_edge, float(np.max(np.abs(own[ok] - mine_edge[ok]), initial=0)) / mpm
            )
            edge_diffs.append(np.abs(own[ok] - mine_edge[ok]) / mpm)
        figures.update(
            {
                "pandana_index_s": round(timing["index_s"], 3),
                "pandana_queries_s": round(timing["queries_s"], 3),
                "pandana_s": round(timing["total_s"], 3),
                "ratio": round(timing["total_s"] / (t2 - t1), 1),
                "max_diff_min_node_snapped": round(diff_node, 4),
                "max_diff_min_edge_snapped": round(diff_edge, 3),
                "p95_diff_min_edge_snapped": round(
                    float(np.percentile(np.concatenate(edge_diffs), 95)), 3
                )
                if edge_diffs
                else 0.0,
            }
        )
    width = max(len(k) for k in figures)
    print(f"reach benchmark ({args.minutes:g} min horizon, {args.speed_kmh:g} km/h)")
    for k, v in figures.items():
        print(f"  {k:<{width}}  {v}")
    if pd_res is not None:
        print(
            "  (node-snapped: same attachment as pandana; edge-snapped: linli's real result, "
            "which adds the walk onto the street and uses the nearest street, not node)"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
