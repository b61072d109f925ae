"""The engine on real OSM extracts (Nanjing Xuanwu, Beijing Wangjing) against an independent
networkx Dijkstra and against geometry."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from linli.community.reach import (
    ELDERLY_KMH,
    OsmData,
    ReachEngine,
    WalkNetwork,
    building_points,
    isochrone,
    reach_buildings,
    read_osm,
)

DATA = Path(__file__).resolve().parents[3] / "data" / "osm"
R = 6_371_008.8


def _hav(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Plain-math haversine, deliberately not the engine's."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * R * math.asin(math.sqrt(a))


@pytest.fixture(scope="module", params=["nanjing_xuanwu.osm", "beijing_wangjing.osm"])
def city(request: pytest.FixtureRequest) -> tuple[OsmData, ReachEngine, dict]:
    data = read_osm(DATA / request.param)
    engine = ReachEngine(WalkNetwork.from_osm(data))
    return data, engine, reach_buildings(engine, data.buildings, data.outlets)


def _networkx_minutes(data: OsmData, engine: ReachEngine) -> dict[str, np.ndarray]:
    """Minutes per building per format from networkx on a graph built here from the read edges,
    with every snapped outlet and building point inserted as an explicit node."""
    g = nx.Graph()
    for u, v in zip(data.edge_u.tolist(), data.edge_v.tolist(), strict=True):
        w = _hav(data.lat[u], data.lon[u], data.lat[v], data.lon[v])
        if u != v and (not g.has_edge(u, v) or g[u][v]["weight"] > w):
            g.add_edge(u, v, weight=w)
    net = engine.net
    pts = building_points(data.buildings)
    lat = np.concatenate([[o.lat for o in data.outlets], pts.lat])
    lon = np.concatenate([[o.lon for o in data.outlets], pts.lon])
    snap = net.snap(lat, lon)  # the engine decides *where* points attach; networkx the rest
    on_edge: dict[tuple[int, int], list[tuple[float, int]]] = defaultdict(list)
    for i, (e, t) in enumerate(zip(snap.edge.tolist(), snap.t.tolist(), strict=True)):
        u, v = int(net.u[e]), int(net.v[e])
        on_edge[(u, v)].append((t, i))
    for (u, v), items in on_edge.items():
        length = g[u][v]["weight"]
        g.remove_edge(u, v)
        chain = [(0.0, u)] + [(t, ("p", i)) for t, i in sorted(items)] + [(1.0, v)]
        for (ta, a), (tb, b) in itertools.pairwise(chain):
            g.add_edge(a, b, weight=(tb - ta) * length)
    for i, off in enumerate(snap.off_m.tolist()):
        g.add_edge(("pt", i), ("p", i), weight=off)
    n_out = len(data.outlets)
    mpm = engine.speed_kmh * 1000 / 60
    out: dict[str, np.ndarray] = {}
    for slug in {o.format for o in data.outlets}:
        srcs = [("pt", i) for i, o in enumerate(data.outlets) if o.format == slug]
        dist = nx.multi_source_dijkstra_path_length(g, srcs, weight="weight")
        best = np.full(len(data.buildings), np.inf)
        for j, owner in enumerate(pts.owner.tolist()):
            best[owner] = min(best[owner], dist.get(("pt", n_out + j), np.inf))
        out[slug] = np.where(np.isfinite(best), best / mpm, np.nan)
    return out


def test_engine_equals_independent_networkx_dijkstra_within_1m(city: tuple) -> None:
    data, engine, res = city
    ref = _networkx_minutes(data, engine)
    mpm = engine.speed_kmh * 1000 / 60
    assert len(ref) >= 8
    for slug, want in ref.items():
        got = res[slug].minutes
        np.testing.assert_array_equal(np.isnan(got), np.isnan(want), err_msg=slug)
        ok = ~np.isnan(want)
        assert ok.sum() > 0.8 * len(want)
        assert np.max(np.abs(got[ok] - want[ok])) * mpm < 1.0, slug


def test_walk_is_never_shorter_than_the_straight_line_to_the_nearest_outlet(city: tuple) -> None:
    data, engine, res = city
    mpm = engine.speed_kmh * 1000 / 60
    pts = building_points(data.buildings)
    for slug, r in res.items():
        outs = [o for o in data.outlets if o.format == slug]
        if not outs:
            assert np.isnan(r.minutes).all()
            continue
        crow = np.full(len(data.buildings), np.inf)
        for la, lo, owner in zip(pts.lat, pts.lon, pts.owner, strict=True):
            crow[owner] = min(crow[owner], min(_hav(la, lo, o.lat, o.lon) for o in outs))
        ok = ~np.isnan(r.minutes)
        assert np.all(r.minutes[ok] * mpm >= crow[ok] - 1e-3), slug
        # and the nearest outlet reported is one of this format, at least as far as the crow flies
        assert all(data.outlets[i].format == slug for i in r.index[r.index >= 0])


def test_elderly_profile_is_one_and_a_half_times_slower(city: tuple) -> None:
    data, engine, res = city
    slow = reach_buildings(
        engine, data.buildings, data.outlets, ["pharmacy", "tea_coffee"], speed_kmh=ELDERLY_KMH
    )
    for slug, r in slow.items():
        np.testing.assert_allclose(r.minutes, 1.5 * res[slug].minutes, rtol=1e-12)


def test_reachable_from_agrees_with_nearest_and_isochrone_holds_the_network(city: tuple) -> None:
    data, engine, res = city
    i = next(k for k, b in enumerate(data.buildings) if not b.entrances and b.residential)
    b = data.buildings[i]
    lat = np.array([o.lat for o in data.outlets])
    lon = np.array([o.lon for o in data.outlets])
    near = engine.reachable_from(b.lat, b.lon, 15, (lat, lon))
    assert np.all(np.diff(near.minutes) >= 0) and np.all(near.minutes <= 15)
    for slug, r in res.items():
        mine = [
            m
            for k, m in zip(near.index, near.minutes, strict=True)
            if data.outlets[k].format == slug
        ]
        if r.minutes[i] <= 15:
            assert min(mine) == pytest.approx(r.minutes[i], abs=1e-9)
        else:
            assert not mine
    feat = isochrone(engine, b.lat, b.lon, 10)
    from shapely.geometry import MultiPoint, shape

    poly = shape(feat["geometry"])
    assert poly.is_valid and feat["properties"]["area_m2"] > 0
    src = engine.snap_point(b.lat, b.lon)
    d = engine.node_metres_from(src)
    budget = 10 * engine.speed_kmh * 1000 / 60
    inside = d <= budget - 1
    assert inside.sum() > 10
    assert poly.buffer(1e-6).contains(
        MultiPoint(np.column_stack([engine.net.lon[inside], engine.net.lat[inside]]))
    )
    far = np.flatnonzero(d > budget + 400)
    assert not any(
        poly.contains(MultiPoint([(engine.net.lon[k], engine.net.lat[k])]))
        for k in far[:200]
        if math.isfinite(d[k])
    )
