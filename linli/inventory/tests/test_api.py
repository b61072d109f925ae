"""Inventory API: my outlet's stock and lots, receive and write off; mia cannot touch marco's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _receive(client, outlet, product, qty=10, days=5, batch="B1"):
    return client.post(
        f"/api/v1/inventory/outlets/{outlet.pk}/receive",
        {
            "product_id": product.pk,
            "quantity": qty,
            "batch_no": batch,
            "expiry_date": (timezone.localdate() + timedelta(days=days)).isoformat(),
        },
        content_type="application/json",
    )


def test_receive_list_write_off(client, marco, marco_outlet, tomato, django_assert_max_num_queries):
    client.force_login(marco)
    r = _receive(client, marco_outlet, tomato, 10, 5, "B-LATE")
    assert r.status_code == 201, r.content
    assert r.json()["origin"] == "山东寿光"  # from the product when not given
    early = _receive(client, marco_outlet, tomato, 4, 1, "B-EARLY").json()
    with django_assert_max_num_queries(4):
        stock = client.get(f"/api/v1/inventory/outlets/{marco_outlet.pk}/stock").json()
    assert [(s["on_hand"], s["claimed"], s["available"], s["days_left"]) for s in stock] == [
        (14, 0, 14, 1)
    ]
    lots = client.get(f"/api/v1/inventory/outlets/{marco_outlet.pk}/lots").json()
    assert [lot["batch_no"] for lot in lots] == ["B-EARLY", "B-LATE"]
    r = client.post(
        f"/api/v1/inventory/lots/{early['id']}/write-off",
        {"quantity": 1, "reason": "write_off_damaged"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["quantity"] == -1
    r = client.post(
        f"/api/v1/inventory/lots/{early['id']}/write-off",
        {"quantity": 99},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["code"] == "invalid_quantity"
    sl_id = stock[0]["id"]
    moves = client.get(f"/api/v1/inventory/stock/{sl_id}/movements").json()
    assert [m["reason"] for m in moves] == ["write_off_damaged", "receive", "receive"]
    r = client.post(
        f"/api/v1/inventory/stock/{sl_id}/count", {"counted": 12}, content_type="application/json"
    )
    assert [m["quantity"] for m in r.json()] == [-1]


def test_mia_cannot_read_or_change_marcos_stock(client, marco, mia, marco_outlet, tomato):
    client.force_login(marco)
    lot = _receive(client, marco_outlet, tomato).json()
    client.force_login(mia)
    base = "/api/v1/inventory"
    for r in (
        client.get(f"{base}/outlets/{marco_outlet.pk}/stock"),
        client.get(f"{base}/outlets/{marco_outlet.pk}/lots"),
        client.get(f"{base}/stock/{lot['stock_level_id']}/lots"),
        client.get(f"{base}/stock/{lot['stock_level_id']}/movements"),
        _receive(client, marco_outlet, tomato),
        client.post(
            f"{base}/lots/{lot['id']}/write-off", {"quantity": 1}, content_type="application/json"
        ),
        client.post(
            f"{base}/stock/{lot['stock_level_id']}/count",
            {"counted": 0},
            content_type="application/json",
        ),
    ):
        assert r.status_code == 403 and r.json()["code"] == "not_your_outlet", r.content
    client.force_login(marco)
    assert client.get(f"{base}/outlets/{marco_outlet.pk}/stock").json()[0]["on_hand"] == 10
