"""The OSM import: counts, idempotent re-import, and bad files that leave the database alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from linli.community.errors import CommunityError
from linli.community.models import (
    Building,
    BuildingReach,
    Community,
    Household,
    StreetNetwork,
)
from linli.community.network_store import engine_for
from linli.community.osm_import import community_import_osm
from linli.community.tests.osm_samples import sample_osm
from linli.core.formats import FORMATS

pytestmark = pytest.mark.django_db

ARGS = {
    "community_name": "测试社区",
    "city": "北京市",
    "district": "朝阳区",
    "street_office": "望京街道",
}


def _snapshot() -> dict[str, object]:
    return {
        "communities": list(Community.objects.values_list("pk", "name")),
        "buildings": sorted(
            Building.objects.values_list("pk", "osm_type", "osm_id", "floors", "households")
        ),
        "reach": BuildingReach.objects.count(),
        "networks": list(StreetNetwork.objects.values_list("community_id", "digest")),
    }


def test_import_stores_buildings_network_and_reach(sample_file: Path) -> None:
    s = community_import_osm(path=sample_file, **ARGS)
    c = Community.objects.get(pk=s.community_id)
    assert (c.city, c.district, c.street_office) == ("北京市", "朝阳区", "望京街道")
    assert s.community_created
    assert s.buildings["created"] == 4 and s.residential == 2
    tall = Building.objects.get(community=c, osm_type="w", osm_id=401)
    assert tall.floors == 10 and tall.residential
    # Floor area = footprint × levels; households = floor area / 90 m².
    assert tall.households == round(tall.floor_area_m2 / 90)
    default = Building.objects.get(osm_id=402)
    assert default.floors == 6
    assert not Building.objects.get(osm_id=403).residential
    assert s.households == tall.households + default.households
    net = StreetNetwork.objects.get(community=c)
    assert (net.node_count, net.edge_count) == (9, 12)
    assert len(net.streets_geojson["features"]) == 6  # the motorway is not a walking street
    assert len(net.buildings_geojson["features"]) == 4
    assert any("motorway" in line for line in s.read)
    # One row per residential building and format; formats with a shop have minutes.
    assert BuildingReach.objects.count() == 2 * len(FORMATS) == s.reach_rows
    conv = BuildingReach.objects.get(building=tall, format="convenience_store")
    assert conv.minutes is not None and 0 < conv.minutes < 5
    assert BuildingReach.objects.get(building=tall, format="bakery").minutes is None


def test_reimport_updates_in_place(sample_file: Path) -> None:
    first = community_import_osm(path=sample_file, **ARGS)
    before = _snapshot()
    second = community_import_osm(path=sample_file, **ARGS)
    assert _snapshot() == before
    assert second.community_id == first.community_id and not second.community_created
    assert second.buildings["updated"] == 4 and second.buildings["created"] == 0
    assert not second.network_changed


def test_reimport_removes_vanished_buildings_but_keeps_homes(tmp_path: Path) -> None:
    community_import_osm(path=sample_osm(tmp_path), **ARGS)
    school = Building.objects.get(osm_id=404)
    Household.objects.create(building=school, room="101")  # someone registered a home there
    s = community_import_osm(path=sample_osm(tmp_path, with_school=False, name="b.osm"), **ARGS)
    assert s.buildings["kept_with_homes"] == 1
    assert Building.objects.filter(pk=school.pk).exists()
    Household.objects.all().delete()
    s = community_import_osm(path=sample_osm(tmp_path, with_school=False, name="b.osm"), **ARGS)
    assert s.buildings["removed"] == 1
    assert not Building.objects.filter(pk=school.pk).exists()


@pytest.mark.parametrize(
    ("content", "code"),
    [
        ("", "osm_empty"),
        ("this is not <osm", "osm_unreadable"),
        (
            '<?xml version="1.0"?><osm version="0.6"><node id="1" lat="39.9" lon="116.4">'
            '<tag k="shop" v="convenience"/></node></osm>',
            "no_walkable_ways",
        ),
    ],
)
def test_bad_file_leaves_database_unchanged(
    sample_file: Path, tmp_path: Path, content: str, code: str
) -> None:
    community_import_osm(path=sample_file, **ARGS)
    before = _snapshot()
    bad = tmp_path / "bad.osm"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(CommunityError) as err:
        community_import_osm(path=bad, **ARGS)
    assert err.value.spec.code == code
    assert _snapshot() == before


def test_command_exit_code_and_bilingual_message(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "empty.osm"
    bad.write_text("", encoding="utf-8")
    with pytest.raises(SystemExit) as ex:
        call_command("import_osm", str(bad), community="X", no_progress=True)
    assert ex.value.code == 2
    err = capsys.readouterr().err
    assert "OSM 文件中没有任何数据" in err and "contains no data" in err
    assert not Community.objects.filter(name="X").exists()


def test_command_prints_summary(sample_file: Path, capsys) -> None:
    call_command("import_osm", str(sample_file), community="命令社区", no_progress=True)
    out = capsys.readouterr().out
    assert "buildings: 4 created" in out and "street network: 9 nodes" in out


def test_engine_cache_follows_reimport(sample_file: Path, tmp_path: Path) -> None:
    s = community_import_osm(path=sample_file, **ARGS)
    e1 = engine_for(s.community_id)
    assert engine_for(s.community_id) is e1  # cached per process
    community_import_osm(path=sample_osm(tmp_path, with_school=False, name="b.osm"), **ARGS)
    assert engine_for(s.community_id) is e1  # same streets, same digest: still cached
