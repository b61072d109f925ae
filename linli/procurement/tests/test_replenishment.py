"""The reorder plan from the sales ledger, draft POs from it, joint-round suggestions, the page."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linli.catalog.services import listing_upsert, product_create
from linli.core.errors import LinliError
from linli.inventory.models import StockLevel, StockMovement
from linli.inventory.services import stock_receive
from linli.procurement import replenishment
from linli.procurement.forecast import order_quantity
from linli.procurement.models import PurchaseOrder
from linli.procurement.services import LineSpec, purchase_order_create_draft

pytestmark = pytest.mark.django_db
WEEKLY = [2, 2, 2, 2, 3, 6, 7]  # Mon..Sun


def with_sales(actor, outlet, product, days=56, scale=1):
    """Stock the product and write `days` days of sales with a weekly pattern into the ledger."""
    stock_receive(
        actor=actor, outlet=outlet, product=product, quantity=10, batch_no="S1", expiry_date=None
    )
    level = StockLevel.objects.get(outlet=outlet, product=product)
    today = timezone.localdate()
    StockMovement.objects.bulk_create(
        StockMovement(
            stock_level=level,
            reason="sale",
            quantity=-WEEKLY[d.weekday()] * scale,
            ref="t",
            created_at=timezone.make_aware(datetime.combine(d, time(12))),
        )
        for d in (today - timedelta(days=k) for k in range(1, days + 1))
    )
    return level


@pytest.fixture
def tomato_sold(marco, marco_outlet, tomato, farm, farm_tomato):
    level = with_sales(marco, marco_outlet, tomato)
    purchase_order_create_draft(
        actor=marco,
        outlet=marco_outlet,
        supplier=farm,
        lines=[LineSpec(product_id=tomato.pk, quantity=5, supplier_product_id=farm_tomato.pk)],
    )
    return level


def test_plan_forecasts_the_weekly_pattern_and_applies_the_formula(
    marco, marco_outlet, tomato_sold, farm
):
    plan = replenishment.reorder_plan(user=marco, outlet_id=marco_outlet.pk)
    [line] = plan.lines
    assert (line.supplier_name, line.lead_days, line.on_order, line.on_hand) == (
        farm.name,
        1,
        5,
        10,
    )
    by_day = dict(
        zip(
            [(plan.today + timedelta(days=i)).weekday() for i in range(7)],
            line.forecast,
            strict=True,
        )
    )
    assert by_day[6] > 2.5 * by_day[0]  # Sunday vs Monday
    assert sum(line.forecast) == pytest.approx(sum(WEEKLY), rel=0.1)
    expected = order_quantity(
        demand_over_interval=line.demand,
        sigma_daily=line.sigma,
        lead_days=1,
        review_days=7,
        on_hand=10,
        claimed=0,
        on_order=5,
    )
    assert line.quantity == expected.quantity > 0
    assert line.sigma < 1  # a regular pattern is forecast almost exactly
    assert (
        len(line.history) == 56
        and line.history[-1] == WEEKLY[(plan.today - timedelta(days=1)).weekday()]
    )


def test_unknown_days_before_the_first_movement_are_not_zero_sales(marco, marco_outlet, tomato):
    with_sales(marco, marco_outlet, tomato, days=10)
    StockMovement.objects.filter(reason="receive").update(
        created_at=timezone.now() - timedelta(days=10)
    )
    [line] = replenishment.reorder_plan(user=marco, outlet_id=marco_outlet.pk).lines
    assert sum(1 for v in line.history if v != v) == 46  # NaN before the shop had it
    assert sum(line.forecast) == pytest.approx(sum(WEEKLY), rel=0.25)


def test_create_drafts_per_supplier_and_skip_products_without_one(
    marco, marco_outlet, tomato_sold, marco_merchant
):
    milk = product_create(actor=marco, merchant=marco_merchant, name="牛奶")
    listing_upsert(actor=marco, outlet=marco_outlet, product=milk, price_fen=350)
    with_sales(marco, marco_outlet, milk)
    pos, skipped = replenishment.reorder_create_drafts(actor=marco, outlet_id=marco_outlet.pk)
    assert skipped == ["牛奶"]
    [po] = pos
    [line] = po.lines.all()
    plan_qty = line.quantity_ordered
    assert po.status == PurchaseOrder.Status.DRAFT and plan_qty > 0
    assert line.unit_price_fen == 1000  # the supplier's price for that quantity
    # The new draft counts as on order: asking again suggests nothing more for the tomato.
    again = replenishment.reorder_plan(user=marco, outlet_id=marco_outlet.pk)
    assert next(x for x in again.lines if x.name == "西红柿").quantity == 0


def test_joint_suggestion_when_two_shops_of_the_community_need_it(
    marco, mia, marco_outlet, mia_outlet, tomato_sold, farm, farm_tomato
):
    merchant = mia_outlet.merchant
    theirs = product_create(actor=mia, merchant=merchant, name="西红柿")
    with_sales(mia, mia_outlet, theirs, scale=2)
    purchase_order_create_draft(
        actor=mia,
        outlet=mia_outlet,
        supplier=farm,
        lines=[LineSpec(product_id=theirs.pk, quantity=1, supplier_product_id=farm_tomato.pk)],
    )
    [s] = replenishment.joint_suggestions(user=marco, outlet_id=marco_outlet.pk)
    assert (s.name, s.shops, s.supplier_product_id, s.can_open) == (
        "西红柿",
        2,
        farm_tomato.pk,
        True,
    )
    mine = replenishment.reorder_plan(user=marco, outlet_id=marco_outlet.pk).lines[0].quantity
    assert s.quantity > mine
    # mia is staff, not an owner: she sees the suggestion but cannot open the round herself.
    [m] = replenishment.joint_suggestions(user=mia, outlet_id=mia_outlet.pk)
    assert m.shops == 2 and m.can_open is False


def test_a_stranger_cannot_plan_for_the_shop(mia, marco_outlet, tomato_sold):
    with pytest.raises(LinliError):
        replenishment.reorder_plan(user=mia, outlet_id=marco_outlet.pk)


def test_reorder_page_queries_do_not_grow_with_products(
    client, marco, marco_outlet, marco_merchant, tomato_sold
):
    client.force_login(marco)
    url = f"/merchant/reorder/{marco_outlet.pk}/"
    with CaptureQueriesContext(connection) as one:
        page = client.get(url)
    assert page.status_code == 200 and 'id="reorder-chart"' in page.content.decode()
    for i in range(4):
        p = product_create(actor=marco, merchant=marco_merchant, name=f"商品{i}")
        with_sales(marco, marco_outlet, p)
    with CaptureQueriesContext(connection) as five:
        page = client.get(url)
    assert page.content.decode().count("data-product=") == 5
    assert len(five) == len(one) <= 25
    assert client.post(url, {"action": "drafts"}).status_code == 302
    assert PurchaseOrder.objects.filter(outlet=marco_outlet).count() == 2


def test_reorder_page_opens_a_joint_round(client, marco, marco_outlet, farm_tomato, tomato_sold):
    from linli.procurement.models import JointRound

    client.force_login(marco)
    r = client.post(
        f"/merchant/reorder/{marco_outlet.pk}/",
        {"action": "round", "supplier_product": farm_tomato.pk},
    )
    opened = JointRound.objects.get(supplier_product=farm_tomato)
    assert r.status_code == 302 and r["Location"].endswith(f"/rounds/{opened.pk}/")
