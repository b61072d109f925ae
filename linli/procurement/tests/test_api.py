"""The procurement API: coded {code, detail} errors, tenancy, the flows end to end."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.inventory.models import Lot
from linli.procurement.models import PurchaseOrder, Supplier
from linli.procurement.tests.conftest import make_uscc

pytestmark = pytest.mark.django_db
API = "/api/v1/procurement"


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_supplier_po_receive_trace_flow(client, marco, marco_merchant, marco_outlet, tomato, mia):
    client.force_login(marco)
    r = post(
        client,
        f"{API}/suppliers",
        {
            "name": "寿光合作社",
            "kind": "cooperative",
            "uscc": "91350100M000100Y4Z",
            "merchant_id": marco_merchant.pk,
        },
    )
    assert r.status_code == 400 and r.json()["code"] == "uscc_invalid"
    r = post(
        client,
        f"{API}/suppliers",
        {
            "name": "寿光合作社",
            "kind": "cooperative",
            "uscc": make_uscc(7),
            "merchant_id": marco_merchant.pk,
            "region": "山东寿光",
        },
    )
    assert r.status_code == 201, r.json()
    sid = r.json()["id"]
    r = post(
        client,
        f"{API}/suppliers/{sid}/products",
        {"name": "西红柿", "price_fen": 1000, "available_quantity": 300},
    )
    spid = r.json()["id"]
    r = client.put(
        f"{API}/supplier-products/{spid}/tiers",
        {"tiers": [{"min_quantity": 100, "price_fen": 800}]},
        content_type="application/json",
    )
    assert r.json()["tiers"] == [{"min_quantity": 100, "price_fen": 800}]
    r = post(
        client,
        f"{API}/orders",
        {
            "outlet_id": marco_outlet.pk,
            "supplier_id": sid,
            "lines": [{"product_id": tomato.pk, "quantity": 10, "supplier_product_id": spid}],
        },
    )
    assert r.status_code == 201 and r.json()["status"] == "draft" and r.json()["total_fen"] == 10000
    po_id, line_id = r.json()["id"], r.json()["lines"][0]["id"]
    assert post(client, f"{API}/orders/{po_id}/send", {}).json()["status"] == "sent"
    r = post(
        client,
        f"{API}/orders/{po_id}/receive",
        {"lines": [{"po_line_id": line_id, "quantity": 12}]},
    )
    assert r.status_code == 409 and r.json()["code"] == "over_receipt"
    r = post(
        client,
        f"{API}/orders/{po_id}/receive",
        {
            "lines": [
                {"po_line_id": line_id, "quantity": 12, "batch_no": "SG1", "origin": "山东寿光"}
            ],
            "accept_over": True,
        },
    )
    assert r.json()["status"] == "received"
    assert r.json()["discrepancies"] == [
        {"po_line_id": line_id, "kind": "over", "quantity": 2, "note": ""}
    ]
    lot = Lot.objects.get(batch_no="SG1")
    r = client.get(f"{API}/lots/{lot.pk}/trace")
    assert r.json()["supplier"] == "寿光合作社" and r.json()["origin"] == "山东寿光"
    listing = tomato.listings.get()
    r = client.get(f"{API}/listings/{listing.pk}/trace")
    assert r.json()[0]["supplier_name"] == "寿光合作社"
    # mia: another shop's order, lot, outlet.
    client.force_login(mia)
    assert client.get(f"{API}/orders/{po_id}").json()["code"] == "po_not_found"
    assert client.get(f"{API}/orders").json() == []
    assert client.get(f"{API}/lots/{lot.pk}/trace").status_code == 404
    r = post(client, f"{API}/orders", {"outlet_id": marco_outlet.pk, "supplier_id": sid})
    assert r.status_code == 403 and r.json()["code"] == "not_your_outlet"
    r = post(client, f"{API}/recalls", {"batch_no": "SG1", "reason": "x"})
    assert r.json()["code"] == "recall_nothing"
    client.force_login(marco)
    r = post(client, f"{API}/recalls", {"batch_no": "SG1", "reason": "农残"})
    assert r.status_code == 201 and r.json()["units_written_off"] == 12
    assert client.get(f"{API}/listings/{listing.pk}/trace").json() == []
    assert PurchaseOrder.objects.count() == 1 and Supplier.objects.count() == 1


def test_round_api_and_errors(client, marco, marco_outlet, tomato, farm_tomato, mia, mia_outlet):
    client.force_login(marco)
    deadline = (timezone.now() + timedelta(hours=1)).isoformat()
    r = post(
        client,
        f"{API}/rounds",
        {"supplier_product_id": farm_tomato.pk, "title": "团购", "deadline": deadline},
    )
    assert r.status_code == 201
    rid = r.json()["id"]
    r = post(
        client,
        f"{API}/rounds/{rid}/commit",
        {"outlet_id": marco_outlet.pk, "quantity": 600, "product_id": tomato.pk},
    )
    assert r.status_code == 409 and r.json()["code"] == "round_over_capacity"
    r = post(
        client,
        f"{API}/rounds/{rid}/commit",
        {"outlet_id": marco_outlet.pk, "quantity": 120, "product_id": tomato.pk},
    )
    assert r.json()["total_committed"] == 120 and r.json()["mine"][0]["quantity"] == 120
    r = post(client, f"{API}/rounds/{rid}/commit", {"outlet_id": mia_outlet.pk, "quantity": 1})
    assert r.status_code == 403
    r = post(client, f"{API}/rounds/{rid}/close", {})
    assert r.status_code == 409 and r.json()["code"] == "round_not_due"
    r = post(
        client, f"{API}/rounds/{rid}/commit", {"outlet_id": marco_outlet.pk, "quantity": "lots"}
    )
    assert r.status_code == 400 and r.json()["code"] == "invalid_input"
    r = client.post(f"{API}/rounds/{rid}/commit", "{bad", content_type="application/json")
    assert r.json()["code"] == "malformed_json"
    client.logout()
    assert client.get(f"{API}/rounds").status_code == 401
