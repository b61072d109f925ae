"""Report numbers on a small neighbourhood with real orders handed over, costs from a received
purchase order, a write-off; query counts; who sees which outlets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linli.accounts.models import Role
from linli.accounts.services import user_create
from linli.core.errors import LinliError
from linli.inventory.models import Lot
from linli.inventory.services import stock_write_off
from linli.orders.models import Order
from linli.orders.services import (
    cart_line_set,
    checkout_submit,
    order_accept,
    order_mark_ready,
    order_pickup_verify,
)
from linli.orders.tests.test_lifecycle import pay
from linli.procurement.models import Supplier
from linli.procurement.services import (
    LineSpec,
    ReceiveLine,
    purchase_order_create_draft,
    purchase_order_receive,
    purchase_order_send,
    supplier_register,
)
from linli.procurement.tests.conftest import make_uscc
from linli.reports.selectors import sales_report
from linli.shops.services import membership_add, outlet_create

pytestmark = pytest.mark.django_db


def handed_over(hood, shop, listing_name, quantity, key, capture):
    cart_line_set(
        resident=hood.resident, listing_id=shop.listings[listing_name].pk, quantity=quantity
    )
    checkout = checkout_submit(resident=hood.resident, idempotency_key=key)
    pay(checkout, capture)
    for order in Order.objects.filter(checkout=checkout):
        owner = hood.marco.owner if order.outlet_id == hood.marco.outlet.pk else hood.mia.owner
        order_accept(actor=owner, order_id=order.pk)
        order_mark_ready(actor=owner, order_id=order.pk)
        order_pickup_verify(actor=owner, order_id=order.pk, code=order.pickup_code)


@pytest.fixture
def trading(hood, django_capture_on_commit_callbacks):
    marco = hood.marco
    milk = marco.listings["伊利纯牛奶"].product
    supplier = supplier_register(
        actor=marco.owner,
        merchant=marco.outlet.merchant,
        name="蒙牛乳业",
        kind=Supplier.Kind.COMPANY,
        uscc=make_uscc(7),
    )
    po = purchase_order_create_draft(
        actor=marco.owner,
        outlet=marco.outlet,
        supplier=supplier,
        lines=[LineSpec(product_id=milk.pk, quantity=20, unit_price_fen=200)],
    )
    purchase_order_send(actor=marco.owner, purchase_order=po)
    purchase_order_receive(
        actor=marco.owner,
        purchase_order=po,
        lines=[
            ReceiveLine(
                po_line_id=po.lines.get().pk,
                quantity=20,
                batch_no="PO1",
                expiry_date=timezone.localdate() + timedelta(days=5),
            )
        ],
    )
    capture = django_capture_on_commit_callbacks
    handed_over(hood, marco, "伊利纯牛奶", 3, "rep-1", capture)  # from lot PO1 (FEFO): cost 200
    handed_over(hood, marco, "农夫山泉 550ml", 2, "rep-2", capture)  # no PO: no cost
    handed_over(hood, hood.mia, "西红柿", 4, "rep-3", capture)
    stock_write_off(
        actor=marco.owner,
        lot=Lot.objects.get(batch_no="PO1"),
        quantity=1,
        reason="write_off_damaged",
    )
    return hood


def today_report(user, **kw):
    day = timezone.localdate()
    return sales_report(user=user, start=day - timedelta(days=6), end=day, **kw)


def test_sales_margin_waste_and_stock_value(trading):
    r = today_report(trading.marco.owner)
    t = r.total
    assert (t.units, t.revenue_fen) == (5, 3 * 350 + 2 * 200)
    assert (t.costed_units, t.cost_fen, t.margin_fen) == (3, 600, 3 * 350 - 600)
    assert t.cost_coverage == 60.0 and t.margin_pct == round(100 * 450 / 1050, 1)
    assert (t.waste_units, t.waste_cost_fen) == (1, 200)
    assert len(r.by_day) == 7 and r.by_day[-1].revenue_fen == 1450 and r.by_day[0].units == 0
    milk, water = r.by_product
    assert (milk.label, milk.units, milk.margin_fen, milk.waste_units) == ("伊利纯牛奶", 3, 450, 1)
    assert (water.label, water.margin_fen, water.cost_coverage) == ("农夫山泉 550ml", None, 0.0)
    [stock] = r.stock
    assert (stock.value_fen, stock.uncosted_units) == (16 * 200, 48 + 10)


def test_a_shop_sees_only_its_own(trading):
    r = today_report(trading.mia.owner)
    assert [o.pk for o in r.outlets] == [trading.mia.outlet.pk]
    assert (r.total.units, r.total.revenue_fen, r.total.margin_fen) == (4, 4 * 480, None)
    with pytest.raises(LinliError):
        today_report(trading.mia.owner, outlet_id=trading.marco.outlet.pk)


def test_head_office_sees_all_outlets_a_franchisee_its_own(trading):
    marco = trading.marco
    second = outlet_create(
        merchant=marco.outlet.merchant,
        community_id=marco.outlet.community_id,
        name="马哥便利店 二店",
        lat=marco.outlet.lat,
        lon=marco.outlet.lon,
        format_slugs=["convenience_store"],
    )
    franchisee = user_create(phone="13800000099", display_name="加盟商", roles=[Role.SHOP_OWNER])
    membership_add(merchant=marco.outlet.merchant, user=franchisee, role="franchisee").outlets.add(
        second
    )
    head = today_report(marco.owner)
    assert {o.pk for o in head.outlets} == {marco.outlet.pk, second.pk}
    assert [row.revenue_fen for row in head.by_outlet] == [1450, 0]
    theirs = today_report(franchisee)
    assert [o.pk for o in theirs.outlets] == [second.pk] and theirs.total.revenue_fen == 0


def test_report_page_csv_and_query_count(client, trading):
    client.force_login(trading.marco.owner)
    with CaptureQueriesContext(connection) as week:
        page = client.get("/merchant/reports/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="report-daily"' in html and 'id="report-products"' in html and "伊利纯牛奶" in html
    start = (timezone.localdate() - timedelta(days=200)).isoformat()
    with CaptureQueriesContext(connection) as long:
        assert client.get(f"/merchant/reports/?start={start}").status_code == 200
    assert len(long) == len(week) <= 15
    got = client.get("/merchant/reports/?download=product")
    lines = got.content.decode("utf-8-sig").splitlines()
    assert got["Content-Type"].startswith("text/csv") and lines[0].startswith("product,units")
    assert lines[1].startswith("伊利纯牛奶,3,10.50,6.00,4.50,100.0,1,2.00")
