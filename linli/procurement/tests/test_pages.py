"""Procurement pages: tenancy, the receive form, joint rounds, recall, chain, portal, origin;
query counts on the list pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.inventory.models import Lot
from linli.procurement import services
from linli.procurement.models import Discrepancy, PurchaseOrder
from linli.procurement.services import LineSpec
from linli.procurement.tests.conftest import make_uscc

pytestmark = pytest.mark.django_db
BASE = "/merchant/procurement"


@pytest.fixture
def sent_po(marco, marco_outlet, farm, farm_tomato, tomato) -> PurchaseOrder:
    po = services.purchase_order_create_draft(
        actor=marco,
        outlet=marco_outlet,
        supplier=farm,
        lines=[LineSpec(product_id=tomato.pk, quantity=20, supplier_product_id=farm_tomato.pk)],
    )
    return services.purchase_order_send(actor=marco, purchase_order=po)


def test_po_list_query_count_does_not_grow(
    client, marco, marco_outlet, farm, tomato, django_assert_max_num_queries
):
    for _ in range(8):
        services.purchase_order_create_draft(
            actor=marco,
            outlet=marco_outlet,
            supplier=farm,
            lines=[LineSpec(product_id=tomato.pk, quantity=3, unit_price_fen=500)],
        )
    client.force_login(marco)
    with django_assert_max_num_queries(12):
        r = client.get(f"{BASE}/orders/")
    assert r.status_code == 200 and r.content.decode().count("¥15.00") == 8
    with django_assert_max_num_queries(10):
        assert client.get(f"{BASE}/suppliers/").status_code == 200


def test_receive_form_into_lots_with_discrepancies(client, marco, sent_po, mia):
    line = sent_po.lines.get()
    client.force_login(marco)
    url = f"{BASE}/orders/{sent_po.pk}/"
    form = {
        "action": "receive",
        f"qty_{line.pk}": "25",
        f"batch_{line.pk}": "SG-0601",
        f"prod_{line.pk}": (timezone.localdate() - timedelta(days=1)).isoformat(),
        f"origin_{line.pk}": "山东寿光 洛城街道",
        f"rej_{line.pk}": "1",
    }
    r = client.post(url, form, follow=True)
    assert "多收" in r.content.decode() or "over" in r.content.decode()
    assert not Lot.objects.exists()
    r = client.post(url, {**form, "accept_over": "1"}, follow=True)
    html = r.content.decode()
    assert "SG-0601" in html and "山东寿光 洛城街道" in html
    assert sorted(Discrepancy.objects.values_list("kind", flat=True)) == ["over", "rejected"]
    sent_po.refresh_from_db()
    assert sent_po.status == "received"
    lot = Lot.objects.get()
    assert client.get(f"{BASE}/lots/{lot.pk}/").status_code == 200
    client.force_login(mia)
    assert client.get(url).status_code == 404
    assert client.post(url, form).status_code == 404
    assert client.get(f"{BASE}/lots/{lot.pk}/").status_code == 404


def test_draft_page_add_line_send_and_register_supplier(
    client, marco, marco_merchant, marco_outlet, farm, tomato
):
    client.force_login(marco)
    r = client.post(f"{BASE}/orders/", {"outlet": marco_outlet.pk, "supplier": farm.pk})
    po = PurchaseOrder.objects.get()
    assert r.status_code == 302 and r.url.endswith(f"/orders/{po.pk}/")
    url = f"{BASE}/orders/{po.pk}/"
    client.post(url, {"action": "add_line", "product": tomato.pk, "quantity": "-2", "price": "5"})
    assert not po.lines.exists()
    client.post(url, {"action": "add_line", "product": tomato.pk, "quantity": "4", "price": "5.5"})
    assert po.lines.get().unit_price_fen == 550
    client.post(url, {"action": "send"})
    po.refresh_from_db()
    assert po.status == "sent"
    r = client.post(
        f"{BASE}/suppliers/",
        {
            "name": "假公司",
            "kind": "company",
            "uscc": "91350100M000100Y4Z",
            "merchant": marco_merchant.pk,
        },
        follow=True,
    )
    assert "统一社会信用代码无效" in r.content.decode()
    r = client.post(
        f"{BASE}/suppliers/",
        {
            "name": "新发地批发",
            "kind": "company",
            "uscc": make_uscc(9),
            "merchant": marco_merchant.pk,
        },
    )
    assert r.status_code == 302


def test_rounds_pages_commit_and_savings(
    client, marco, marco_outlet, tomato, farm_tomato, mia, mia_outlet
):
    client.force_login(marco)
    deadline = (timezone.localtime() + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    r = client.post(
        f"{BASE}/rounds/",
        {"supplier_product": farm_tomato.pk, "title": "西红柿团购", "deadline": deadline},
    )
    assert r.status_code == 302
    url = r.url
    client.post(url, {"outlet": marco_outlet.pk, "quantity": "60"})
    rnd = farm_tomato.rounds.get()
    assert rnd.total_committed == 60
    r = client.post(url, {"outlet": marco_outlet.pk, "quantity": "900"}, follow=True)
    assert "可认购" in r.content.decode()
    client.force_login(mia)
    client.post(url, {"outlet": mia_outlet.pk, "quantity": "60"})
    client.post(url, {"outlet": marco_outlet.pk, "quantity": "1"})  # not hers: refused
    rnd.refresh_from_db()
    assert rnd.total_committed == 120
    services.round_close(actor=None, joint_round=rnd, now=rnd.deadline)
    client.force_login(marco)
    html = client.get(url).content.decode()
    assert "¥120.00" in html  # 60 kg × (¥10 alone − ¥8 together)
    assert "西红柿团购" in client.get(f"{BASE}/rounds/").content.decode()
    client.force_login(mia)
    html = client.get(url).content.decode()
    assert "¥120.00" in html and marco_outlet.name not in html  # her saving, not marco's row


def test_recall_page_chain_portal_and_origin(
    client, marco, sent_po, farmer, mia, tomato, marco_outlet
):
    line = sent_po.lines.get()
    services.purchase_order_receive(
        actor=marco,
        purchase_order=sent_po,
        lines=[
            services.ReceiveLine(
                po_line_id=line.pk, quantity=20, batch_no="SG-0601", origin="山东寿光"
            )
        ],
    )
    listing = tomato.listings.get()
    r = client.get(f"/origin/{listing.pk}/")  # residents, no login needed
    html = r.content.decode()
    assert "山东寿光" in html and "SG-0601" in html and "寿光蔬菜专业合作社" in html
    client.force_login(farmer)
    html = client.get("/supplier/").content.decode()
    assert sent_po.number in html and "≥ 100 kg" in html
    client.force_login(mia)
    assert client.get("/supplier/").status_code == 404
    assert (
        "SG-0601"
        not in client.get(f"{BASE}/recall/?batch=SG-0601").content.decode().split("<tbody>")[1]
    )
    assert client.get("/merchant/chain/").status_code == 403
    client.force_login(marco)
    assert "SG-0601" in client.get(f"{BASE}/recall/?batch=SG-0601").content.decode()
    r = client.post(f"{BASE}/recall/", {"batch": "SG-0601", "reason": "农残超标"}, follow=True)
    assert Lot.objects.get().recalled_at is not None
    assert "SG-0601" not in client.get(f"/origin/{listing.pk}/").content.decode()
    html = client.get("/merchant/chain/").content.decode()
    assert marco_outlet.name in html and "¥4.50" in html
    client.post("/merchant/chain/", {"action": "price", "product": tomato.pk, "price": "4.8"})
    listing.refresh_from_db()
    assert listing.price_fen == 480
