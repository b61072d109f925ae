"""Engine behaviour on small hand-made OSM files whose answers are known exactly."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from linli.community.reach import (
    ELDERLY_KMH,
    ReachEngine,
    ReachError,
    WalkNetwork,
    isochrone,
    reach_buildings,
    read_osm,
)
from linli.community.reach.geo import haversine_m
from linli.community.tests.osm_synth import OsmBuilder, to_latlon

MPM = 4.5 * 1000 / 60  # metres per minute at the default speed


def _engine(path: Path, **kw: float) -> tuple[ReachEngine, object]:
    data = read_osm(path)
    return ReachEngine(WalkNetwork.from_osm(data, **kw)), data


def test_island_without_outlet_reports_null_not_zero(tmp_path: Path) -> None:
    b = OsmBuilder()
    b.road((0, 0), (200, 0), (400, 0))  # main street with the shop
    b.road((0, 2000), (200, 2000), (400, 2000))  # island 2 km north, no link
    b.node(100, 5, shop="convenience", name="便利店")
    b.building(300, 15)
    b.building(300, 2015)
    engine, data = _engine(b.write(tmp_path / "island.osm"))
    assert engine.net.n_components == 2
    res = reach_buildings(engine, data.buildings, data.outlets)
    m = res["convenience_store"].minutes
    assert math.isfinite(m[0]) and m[0] > 0
    assert math.isnan(m[1])  # unreachable: null, not 0 and not inf
    assert res["convenience_store"].index.tolist() == [0, -1]
    assert np.isnan(res["pharmacy"].minutes).all()  # a format with no outlet at all


def test_snapping_to_the_middle_of_a_long_edge_counts_the_off_network_walk(tmp_path: Path) -> None:
    b = OsmBuilder()
    b.road((0, 0), (1000, 0))  # one straight 1 km edge, nodes only at the ends
    b.node(100, 20, shop="convenience")  # 20 m north of the point 100 m along
    b.node(600, -30, amenity="pharmacy")  # 30 m south, 600 m along
    engine, data = _engine(b.write(tmp_path / "long.osm"))
    shop, pharmacy = data.outlets
    s = engine.net.snap([shop.lat, pharmacy.lat], [shop.lon, pharmacy.lon])
    assert s.edge.tolist() == [0, 0]
    assert s.t == pytest.approx([0.1, 0.6], abs=1e-4)
    assert s.off_m == pytest.approx([20, 30], abs=0.05)
    # Same-edge walk: 20 off + 500 along + 30 off; nearest-node snapping would say ~1,000 m.
    got = engine.minutes_to_nearest(
        {"c": ([shop.lat], [shop.lon])}, ([pharmacy.lat], [pharmacy.lon])
    )["c"][0]
    assert got * MPM == pytest.approx(550, abs=0.5)


def test_source_and_target_on_same_edge_use_the_direct_walk_not_the_endpoints(
    tmp_path: Path,
) -> None:
    b = OsmBuilder()
    b.road((0, 0), (0, 300), (300, 300), (300, 0), (0, 0))  # a block, 4 edges of 300 m
    b.node(150, 10, shop="convenience")
    b.building(200, -15)  # same bottom edge, 50 m along from the shop
    b.building(150, 320)  # opposite side: around the block
    engine, data = _engine(b.write(tmp_path / "block.osm"))
    m = reach_buildings(engine, data.buildings, data.outlets)["convenience_store"].minutes
    assert m[0] * MPM == pytest.approx(10 + 50 + 15, abs=0.5)
    assert m[1] * MPM == pytest.approx(10 + 150 + 300 + 150 + 20, abs=0.5)


def test_elderly_speed_gives_one_and_a_half_times_the_minutes(tmp_path: Path) -> None:
    b = OsmBuilder()
    b.road((0, 0), (500, 0), (500, 500))
    b.node(20, 5, amenity="pharmacy")
    for x in (100, 300, 490):
        b.building(x, 20)
    engine, data = _engine(b.write(tmp_path / "speed.osm"))
    fast = reach_buildings(engine, data.buildings, data.outlets)["pharmacy"].minutes
    slow = reach_buildings(engine, data.buildings, data.outlets, speed_kmh=ELDERLY_KMH)[
        "pharmacy"
    ].minutes
    np.testing.assert_allclose(slow, 1.5 * fast, rtol=1e-12)


def test_entrances_replace_the_centroid(tmp_path: Path) -> None:
    b = OsmBuilder()
    b.road((0, 0), (400, 0))
    b.node(0, 5, shop="convenience")
    ring = [b.node(300, 50), b.node(300, 10), b.node(340, 10), b.node(340, 50)]
    b.nodes[ring[1] - 1][3]["entrance"] = "main"  # the corner facing the street
    b.way([*ring, ring[0]], building="apartments")
    engine, data = _engine(b.write(tmp_path / "entrance.osm"))
    (bld,) = data.buildings
    assert bld.residential and len(bld.entrances) == 1
    m = reach_buildings(engine, data.buildings, data.outlets)["convenience_store"].minutes[0]
    assert m * MPM == pytest.approx(5 + 300 + 10, abs=0.5)


def test_walkable_rule_and_residential_rule(tmp_path: Path) -> None:
    b = OsmBuilder()
    b.road((0, 0), (100, 0), highway="footway")
    b.road((0, 50), (100, 50), highway="motorway")
    b.road((0, 60), (100, 60), highway="trunk", sidewalk="both")
    b.road((0, 70), (100, 70), highway="service", access="private")
    b.road((0, 80), (100, 80), highway="cycleway")
    b.road((0, 90), (100, 90), highway="cycleway", foot="designated")
    b.building(0, 200, size=12, building="yes")  # 144 m²: counts as housing
    b.building(50, 200, size=5, building="yes")  # 25 m²: a shed
    b.building(100, 200, size=12, building="yes", shop="bakery")
    data = read_osm(b.write(tmp_path / "rules.osm"))
    assert set(data.edge_way_id.tolist()) == {1, 3, 6}
    assert [x.residential for x in data.buildings] == [True, False, False]
    assert data.buildings[0].area_m2 == pytest.approx(144, rel=0.01)
    assert [o.format for o in data.outlets] == ["bakery"]  # outlet from a building outline
    assert data.summary.skipped["ways without walkable highway tag: access=no/private"] == 1


def test_duplicate_edges_keep_the_shorter_not_the_sum(tmp_path: Path) -> None:
    b = OsmBuilder()
    a, c = b.node(0, 0), b.node(300, 0)
    b.way([a, c], highway="residential")
    b.way([a, c], highway="footway")  # same segment mapped twice
    b.node(0, 1, shop="convenience")
    b.building(300, 10)
    engine, data = _engine(b.write(tmp_path / "dup.osm"))
    assert engine.net.n_edges == 1
    m = reach_buildings(engine, data.buildings, data.outlets)["convenience_store"].minutes[0]
    assert m * MPM == pytest.approx(1 + 300 + 10, abs=0.5)


def test_tiny_fragment_does_not_capture_a_shop_but_a_real_island_does(tmp_path: Path) -> None:
    b = OsmBuilder()
    b.road((0, 0), (600, 0))
    b.road((290, 30), (310, 30), highway="footway")  # a 20 m stub next to the shop
    b.node(300, 31, shop="convenience")
    b.building(100, 15)
    engine, data = _engine(b.write(tmp_path / "stub.osm"))
    m = reach_buildings(engine, data.buildings, data.outlets)["convenience_store"].minutes[0]
    assert m * MPM == pytest.approx(31 + 200 + 15, abs=0.5)
    engine0, _ = _engine(tmp_path / "stub.osm", min_component_m=0.0)
    m0 = reach_buildings(engine0, data.buildings, data.outlets)["convenience_store"].minutes[0]
    assert math.isnan(m0)


def test_reachable_from_and_isochrone(tmp_path: Path) -> None:
    b = OsmBuilder()
    b.road((0, 0), (2000, 0))
    for x in (100, 500, 1500):
        b.node(x, 5, shop="bakery")
    engine, data = _engine(b.write(tmp_path / "line.osm"))
    lat, lon = to_latlon(0, 10)
    pts = (np.array([o.lat for o in data.outlets]), np.array([o.lon for o in data.outlets]))
    near = engine.reachable_from(lat, lon, 10, pts)  # 750 m at 4.5 km/h
    assert near.index.tolist() == [0, 1]
    assert near.minutes * MPM == pytest.approx([10 + 100 + 5, 10 + 500 + 5], abs=0.5)
    feat = isochrone(engine, lat, lon, 10)
    from shapely.geometry import Point, shape

    poly = shape(feat["geometry"])
    for x, inside in ((0, True), (700, True), (790, False), (1500, False)):
        la, lo = to_latlon(x, 0)
        assert poly.contains(Point(lo, la)) is inside, x
    with pytest.raises(ReachError) as err:
        engine.reachable_from(*to_latlon(0, 3000), 10, pts)
    assert err.value.code == "point_off_network"


def test_walk_is_never_shorter_than_the_straight_line(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    b = OsmBuilder()
    grid = {(x, y): b.node(x, y) for x in range(0, 1001, 250) for y in range(0, 1001, 250)}
    for k in range(0, 1001, 250):
        b.way([grid[x, k] for x in range(0, 1001, 250)], highway="residential")
        b.way([grid[k, y] for y in range(0, 1001, 250)], highway="footway")
    for _ in range(5):
        b.node(*rng.uniform(0, 1000, 2), shop="convenience")
    for _ in range(40):
        b.building(*rng.uniform(0, 1000, 2))
    engine, data = _engine(b.write(tmp_path / "grid.osm"))
    m = reach_buildings(engine, data.buildings, data.outlets)["convenience_store"].minutes
    olat = np.array([o.lat for o in data.outlets])
    olon = np.array([o.lon for o in data.outlets])
    for i, bld in enumerate(data.buildings):
        crow = haversine_m(bld.lat, bld.lon, olat, olon).min()
        assert m[i] * MPM >= crow - 0.01


def test_pure_ring_and_lollipop_loop_chains(tmp_path: Path) -> None:
    b = OsmBuilder()
    ring = [b.node(0, 0), b.node(300, 0), b.node(300, 300), b.node(0, 300)]
    b.way([*ring, ring[0]], highway="footway")  # no junction at all: a pure cycle
    b.node(50, -5, shop="convenience")
    b.building(250, 310)  # opposite side: 600 m either way round the ring
    stem = [b.node(1000, 0), b.node(1100, 0)]
    loop = [b.node(1200, 0), b.node(1200, 100), b.node(1100, 100)]
    b.way(stem, highway="residential")
    b.way([stem[1], *loop, stem[1]], highway="residential")  # loop hanging off one junction
    b.node(1000, 5, amenity="pharmacy")
    b.building(1200, 120)
    engine, data = _engine(b.write(tmp_path / "loops.osm"))
    res = reach_buildings(engine, data.buildings, data.outlets)
    shop = res["convenience_store"].minutes
    assert shop[0] * MPM == pytest.approx(5 + 600 + 10, abs=0.5)
    ph = res["pharmacy"].minutes
    assert ph[1] * MPM == pytest.approx(5 + 100 + 200 + 20, abs=0.5)  # far corner of loop
