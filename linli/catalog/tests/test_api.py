"""Catalog API: public search and listings (query counts), merchant product and price edits."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from linli.catalog import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(marco, marco_merchant, marco_outlet, veg, tomato, settings, tmp_path):
    """Twelve listed products in two categories, each with a photo."""
    settings.MEDIA_ROOT = tmp_path
    dairy = services.category_ensure(slug="dairy", name_zh="乳品", name_en="Dairy", sort=2)
    for i in range(11):
        p = services.product_create(
            actor=marco,
            merchant=marco_merchant,
            name=f"伊利纯牛奶 {i}",
            category=dairy if i % 2 else veg,
            storage="chilled",
        )
        services.listing_upsert(actor=marco, outlet=marco_outlet, product=p, price_fen=350 + i)
        services.photo_add(
            actor=marco,
            product=p,
            uploaded_file=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 20),
        )
    return marco_outlet


def test_outlet_listings_public_with_bounded_queries(client, shelf, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        r = client.get(f"/api/v1/catalog/outlets/{shelf.pk}/listings")
    assert r.status_code == 200
    body = r.json()
    assert len(body) == 12
    by_name = {x["product"]["name"]: x for x in body}
    assert by_name["西红柿"]["price"] == "¥4.50"
    assert [x["product"]["category"] for x in body[:6]] == ["蔬菜"] * 6  # grouped by category
    assert sum(len(x["product"]["photos"]) for x in body) == 11


def test_search_api_with_bounded_queries(client, shelf, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        r = client.get("/api/v1/catalog/search", {"q": "ylcnn"})
    assert r.status_code == 200 and len(r.json()) == 11
    assert r.json()[0]["match"] == "initials"
    r = client.get("/api/v1/catalog/search", {"q": "xhs", "outlet": shelf.pk})
    assert [h["listing"]["product"]["name"] for h in r.json()] == ["西红柿"]
    assert client.get("/api/v1/catalog/search", {"q": "xhs", "outlet": 9999}).json() == []


def test_listing_detail_and_not_found(client, tomato):
    listing = tomato.listings.get()
    r = client.get(f"/api/v1/catalog/listings/{listing.pk}")
    assert r.json()["product"]["storage"] == "ambient" and r.json()["product"]["green_label"]
    r = client.get("/api/v1/catalog/listings/999999")
    assert r.status_code == 404 and r.json()["code"] == "listing_not_found"


def test_merchant_creates_and_edits_product_and_price(client, marco, marco_merchant, marco_outlet):
    client.force_login(marco)
    r = client.post(
        "/api/v1/catalog/products",
        {"merchant_id": marco_merchant.pk, "name": "速冻水饺", "spec": "1kg", "storage": "frozen"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pid = r.json()["id"]
    r = client.patch(
        f"/api/v1/catalog/products/{pid}", {"aliases": "饺子"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["aliases"] == "饺子"
    r = client.put(
        f"/api/v1/catalog/outlets/{marco_outlet.pk}/listings/{pid}",
        {"price_fen": 0},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["code"] == "price_invalid"
    r = client.put(
        f"/api/v1/catalog/outlets/{marco_outlet.pk}/listings/{pid}",
        {"price_fen": 2590},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["price"] == "¥25.90"
    assert [h["listing"]["id"] for h in client.get("/api/v1/catalog/search?q=jiaozi").json()] == [
        r.json()["id"]
    ]


def test_photo_upload_api(client, marco, tomato, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(marco)
    bad = SimpleUploadedFile("x.jpg", b"GIF89a....", content_type="image/jpeg")
    r = client.post(f"/api/v1/catalog/products/{tomato.pk}/photos", {"file": bad})
    assert r.status_code == 400 and r.json()["code"] == "photo_type"
    ok = SimpleUploadedFile("x.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 10, content_type="image/jpeg")
    r = client.post(f"/api/v1/catalog/products/{tomato.pk}/photos", {"file": ok})
    assert r.status_code == 201 and r.json()["content_type"] == "image/jpeg"


def test_tenancy_over_api(client, mia, marco_merchant, marco_outlet, tomato):
    client.force_login(mia)
    r = client.post(
        "/api/v1/catalog/products",
        {"merchant_id": marco_merchant.pk, "name": "x"},
        content_type="application/json",
    )
    assert r.status_code == 403 and r.json()["code"] == "not_your_merchant"
    r = client.patch(
        f"/api/v1/catalog/products/{tomato.pk}", {"name": "x"}, content_type="application/json"
    )
    assert r.status_code == 404 and r.json()["code"] == "product_not_found"
    assert client.get("/api/v1/catalog/mine/products").json() == []
    r = client.put(
        f"/api/v1/catalog/outlets/{marco_outlet.pk}/listings/{tomato.pk}",
        {"price_fen": 1},
        content_type="application/json",
    )
    assert r.status_code == 404
    client.logout()
    r = client.post(
        "/api/v1/catalog/products", {"merchant_id": 1, "name": "x"}, content_type="application/json"
    )
    assert r.status_code == 401
