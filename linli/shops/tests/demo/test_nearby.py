"""Residents' near-me: sorted by walking minutes, within the limit; the API matches the page."""

from __future__ import annotations

import json

import pytest

from linli.accounts.models import User
from linli.shops.demo import DemoSummary
from linli.shops.nearby import nearby_for_user

pytestmark = pytest.mark.django_db


def test_sorted_by_minutes_and_within_limit(wang_fang: User) -> None:
    for limit in (5, 10, 15):
        n = nearby_for_user(user=wang_fang, minutes=limit)
        minutes = [i.minutes for i in n.items]
        assert minutes == sorted(minutes)
        assert all(0 <= m <= limit for m in minutes)
    five = {i.outlet.pk for i in nearby_for_user(user=wang_fang, minutes=5).items}
    fifteen = {i.outlet.pk for i in nearby_for_user(user=wang_fang, minutes=15).items}
    assert five < fifteen  # a longer walk reaches strictly more in Wangjing


def test_format_filter(wang_fang: User) -> None:
    n = nearby_for_user(user=wang_fang, minutes=15, format_slug="pharmacy")
    assert n.items
    assert all("pharmacy" in {f.slug for f in i.formats} for i in n.items)
    assert [f.slug for f, _ in n.groups()] == ["pharmacy"]


def test_query_count_is_small(wang_fang: User, django_assert_max_num_queries) -> None:
    nearby_for_user(user=wang_fang, minutes=15)  # warm the per-process engine
    with django_assert_max_num_queries(4):
        n = nearby_for_user(user=wang_fang, minutes=15)
        _ = [i.formats for i in n.items]  # formats are prefetched


def test_api_matches_page(resident_client) -> None:
    api = resident_client.get("/api/v1/nearby?minutes=10").json()
    page = resident_client.get("/resident/?minutes=10")
    assert page.status_code == 200
    items = page.context["nearby"].items
    assert [o["id"] for o in api["outlets"]] == [i.outlet.pk for i in items]
    assert api["count"] == len(items) and api["minutes"] == 10
    assert all(o["walk_minutes"] <= 10 for o in api["outlets"])
    html = page.content.decode()
    for o in api["outlets"][:5]:
        assert o["name"] in html
    layers = page.context["map_layers"]
    assert json.dumps(layers)  # embedded with json_script
    kinds = [layer["kind"] for layer in layers["layers"]]
    assert kinds[:3] == ["streets", "buildings", "isochrone"]
    assert layers["layers"][2]["data"]["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_page_format_filter_and_minute_chips(resident_client) -> None:
    page = resident_client.get("/resident/?minutes=15&format=supermarket")
    assert page.status_code == 200
    assert [slug for _, slug, _ in page.context["groups"]] == ["supermarket"]
    assert 'aria-pressed="true"' in page.content.decode()
    assert resident_client.get("/resident/?minutes=99").context["minutes"] == 15


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("?format=nope", 400, "format_unknown"),
        ("?minutes=0", 400, "invalid_input"),
        ("?minutes=61", 400, "invalid_input"),
        ("?minutes=abc", 400, "invalid_input"),
    ],
)
def test_api_bad_input(resident_client, query: str, status: int, code: str) -> None:
    r = resident_client.get(f"/api/v1/nearby{query}")
    assert r.status_code == status
    body = r.json()
    assert body["code"] == code and body["detail"]


def test_api_without_household(demo: DemoSummary, client) -> None:
    client.force_login(User.objects.get(phone="13800000006"))  # the courier has no home here
    r = client.get("/api/v1/nearby")
    assert r.status_code == 409 and r.json()["code"] == "no_household"
    page = client.get("/resident/")
    assert page.status_code == 200 and page.context["error"].spec.code == "no_household"


def test_api_needs_login(demo: DemoSummary, client) -> None:
    r = client.get("/api/v1/nearby")
    assert r.status_code == 401 and r.json()["code"] == "not_authenticated"


def test_map_geojson_endpoints(demo: DemoSummary, client) -> None:
    base = f"/api/v1/community/communities/{demo.community.pk}"
    streets = client.get(f"{base}/streets.geojson")
    assert streets.status_code == 200
    assert streets.json()["features"][0]["geometry"]["type"] == "LineString"
    assert (
        client.get(f"{base}/streets.geojson", HTTP_IF_NONE_MATCH=streets["ETag"]).status_code == 304
    )
    buildings = client.get(f"{base}/buildings.geojson").json()["features"]
    assert len(buildings) == 226 and sum(f["properties"]["residential"] for f in buildings) == 197
    assert client.get("/api/v1/community/communities/999999/streets.geojson").json()["code"] == (
        "network_missing"
    )
