"""OSM outlets become map-sourced merchants; re-import updates them in place or deactivates."""

from __future__ import annotations

from pathlib import Path

import pytest

from linli.community.osm_import import community_import_osm
from linli.community.tests.osm_samples import sample_osm
from linli.shops.models import Merchant, Outlet

pytestmark = pytest.mark.django_db
ARGS = {"community_name": "测试社区", "city": "北京市", "district": "朝阳区"}


def test_outlets_created_then_updated_in_place(tmp_path: Path) -> None:
    s = community_import_osm(path=sample_osm(tmp_path), **ARGS)
    assert s.outlets["created"] == 3
    rows = {o.osm_id: o for o in Outlet.objects.select_related("merchant")}
    assert {(o.osm_type, o.name) for o in rows.values()} == {
        ("n", "转角便利店"),
        ("n", "老百姓大药房"),
        ("w", "邻里超市"),
    }
    assert {f.slug for f in rows[60].formats.all()} == {"convenience_store"}
    assert rows[60].merchant.source == Merchant.Source.OSM and rows[60].merchant.uscc == ""
    ids = sorted(Outlet.objects.values_list("pk", "merchant_id"))

    again = community_import_osm(path=sample_osm(tmp_path), **ARGS)
    assert again.outlets["unchanged"] == 3 and not again.outlets["created"]
    assert sorted(Outlet.objects.values_list("pk", "merchant_id")) == ids


def test_vanished_outlet_is_deactivated_and_revived(tmp_path: Path) -> None:
    community_import_osm(path=sample_osm(tmp_path), **ARGS)
    s = community_import_osm(path=sample_osm(tmp_path, with_school=False, name="b.osm"), **ARGS)
    assert s.outlets["deactivated (gone from map)"] == 1
    assert not Outlet.objects.get(osm_id=61).active
    assert Outlet.objects.count() == 3
    s = community_import_osm(path=sample_osm(tmp_path), **ARGS)
    assert s.outlets["updated"] == 1 and Outlet.objects.get(osm_id=61).active


def test_outlet_points_feed_the_reach_precompute(tmp_path: Path) -> None:
    from linli.community.models import BuildingReach

    community_import_osm(path=sample_osm(tmp_path), **ARGS)
    reach = dict(
        BuildingReach.objects.filter(building__osm_id=401).values_list("format", "minutes")
    )
    assert reach["pharmacy"] is not None and reach["supermarket"] is not None
    assert reach["bakery"] is None
