"""Shops API: formats, USCC look-up, registration, licences, and tenancy between shops."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_formats_are_the_guide_s_26(client):
    r = client.get("/api/v1/shops/formats")
    body = r.json()
    assert len(body) == 26
    assert sum(f["cls"] == "basic" for f in body) == 14
    assert {"slug": "convenience_store", "zh": "便利店"}.items() <= body[0].items()


def test_uscc_lookup(client):
    assert client.get("/api/v1/shops/uscc/91230184MA1BUFLT44").json()["verdict"] == "valid"
    assert client.get("/api/v1/shops/uscc/91350100M0001TGQXM").json()["verdict"] == "legacy"
    assert client.get("/api/v1/shops/uscc/123").json()["verdict"] == "invalid"


def test_register_merchant_with_wrong_uscc_is_coded_400(client, rosa):
    client.force_login(rosa)
    r = client.post(
        "/api/v1/shops/merchants",
        {"name": "小店", "uscc": "91350100M000100Y4Z"},
        content_type="application/json",
    )
    assert r.status_code == 400
    assert r.json()["code"] == "uscc_invalid"
    assert "统一社会信用代码无效" in r.json()["detail"]


def test_register_merchant_makes_the_caller_owner(client, rosa):
    client.force_login(rosa)
    r = client.post(
        "/api/v1/shops/merchants",
        {"name": "罗莎花店", "uscc": "92371000MA3MXH0E3W"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    rosa.refresh_from_db()
    assert rosa.has_role("shop_owner")
    assert client.get("/api/v1/shops/mine/outlets").json() == []


def test_expired_licence_over_api(client, marco):
    client.force_login(marco)
    merchant_id = marco.shop_memberships.get().merchant_id
    r = client.post(
        f"/api/v1/shops/merchants/{merchant_id}/licences",
        {"kind": "food_business", "number": "JY11101050012345", "valid_until": "2020-01-01"},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["code"] == "licence_expired"


def test_shop_staff_cannot_see_or_touch_another_merchant(client, marco, mia):
    client.force_login(mia)
    mine = client.get("/api/v1/shops/mine/outlets").json()
    assert [o["name"] for o in mine] == ["米家鲜果 望京店"]
    marco_merchant = marco.shop_memberships.get().merchant_id
    r = client.post(
        f"/api/v1/shops/merchants/{marco_merchant}/licences",
        {"kind": "food_business", "number": "JY11101050012345", "valid_until": "2030-01-01"},
        content_type="application/json",
    )
    assert r.status_code == 404 and r.json()["code"] == "merchant_not_found"


def test_public_outlet_shows_licences(client, marco):
    outlet_id = client.get("/api/v1/shops/outlets").json()[0]["id"]
    body = client.get(f"/api/v1/shops/outlets/{outlet_id}").json()
    assert body["licences"][0]["number"] == "91350100M000100Y43"
    assert body["formats"] == ["convenience_store"]
