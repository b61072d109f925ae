"""Orders when the money comes: a 2-shop checkout paid in a fixed number of statements, a lapsed
hold still decided order by order, `move_many` all or nothing."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from linli.inventory.models import StockClaim
from linli.inventory.services import stock_claims_release
from linli.orders.domain import Actor, Status
from linli.orders.errors import OrdersError
from linli.orders.models import Order, OrderEvent
from linli.orders.services import cart_line_set, checkout_submit
from linli.orders.services.lifecycle import move_many
from linli.payments.gateways.sandbox import sandbox_notification
from linli.payments.models import Payment
from linli.payments.services import payment_notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(hood):
    cart_line_set(
        resident=hood.resident, listing_id=hood.marco.listings["伊利纯牛奶"].pk, quantity=3
    )
    cart_line_set(
        resident=hood.resident, listing_id=hood.marco.listings["农夫山泉 550ml"].pk, quantity=1
    )
    cart_line_set(resident=hood.resident, listing_id=hood.mia.listings["西红柿"].pk, quantity=2)
    return checkout_submit(resident=hood.resident, idempotency_key="events-0001")


def notify(checkout) -> None:
    headers, body = sandbox_notification(
        settings.LINLI_PAYMENTS_SANDBOX_SECRET,
        out_trade_no=checkout.payment.out_trade_no,
        amount_fen=checkout.payment.amount_fen,
    )
    payment_notify(gateway="sandbox", headers=headers, body=body.encode())


def what(sql: str) -> tuple[str, str]:
    """(verb, table) of a statement: the table updated, inserted into or selected from."""
    m = re.match(r'(UPDATE|INSERT INTO|SELECT .*? FROM) "(\w+)"', sql)
    assert m, sql
    return m.group(1).split()[0], m.group(2)


def refs_of(order: Order) -> list[str]:
    return [line.claim_ref for line in order.lines.all()]


def test_paying_a_two_shop_checkout_costs_six_statements(
    hood, placed, django_capture_on_commit_callbacks
):
    with (
        CaptureQueriesContext(connection) as ctx,
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify(placed)
    sql = [
        q["sql"]
        for q in ctx.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]
    # capture + its log row; then the orders with their lines (locked), every claim kept, every
    # order paid, every event: the same six statements whatever the number of shops.
    assert [what(s) for s in sql] == [
        ("UPDATE", "payments_payment"),
        ("INSERT", "payments_paymentnotification"),
        ("SELECT", "orders_order"),
        ("UPDATE", "inventory_stockclaim"),
        ("UPDATE", "orders_order"),
        ("INSERT", "orders_orderevent"),
    ], sql
    if connection.vendor == "postgresql":
        assert sql[2].endswith("FOR UPDATE OF o")
    orders = list(placed.orders.order_by("pk"))
    assert [o.status for o in orders] == [Status.PAID, Status.PAID]
    assert all(o.paid_at is not None for o in orders)
    events = OrderEvent.objects.filter(order__checkout=placed, target=Status.PAID).order_by(
        "order_id"
    )
    assert [(e.order_id, e.source, e.target, e.actor_kind) for e in events] == [
        (o.pk, Status.PLACED, Status.PAID, Actor.SYSTEM) for o in orders
    ]
    claims = StockClaim.objects.filter(ref__in=[r for o in orders for r in refs_of(o)])
    assert claims.count() == 3
    assert all(c.status == "active" and c.expires_at is None for c in claims)


def test_a_lapsed_hold_cancels_and_refunds_that_order_while_the_other_is_paid(
    hood, placed, django_capture_on_commit_callbacks
):
    marco = Order.objects.get(checkout=placed, outlet=hood.marco.outlet)
    mia = Order.objects.get(checkout=placed, outlet=hood.mia.outlet)
    stock_claims_release(refs=refs_of(marco))  # as the claims' expiry job would have
    with django_capture_on_commit_callbacks(execute=True):
        notify(placed)
    marco.refresh_from_db()
    mia.refresh_from_db()
    assert mia.status == Status.PAID
    assert marco.status == Status.REFUNDED
    assert marco.cancel_reason == "库存保留已过期 hold lapsed"
    assert marco.refunded_fen == marco.total_fen
    payment = Payment.objects.get(pk=placed.payment_id)
    assert payment.refunded_fen == marco.total_fen
    mia_claims = StockClaim.objects.filter(ref__in=refs_of(mia))
    assert all(c.status == "active" and c.expires_at is None for c in mia_claims)
    assert not StockClaim.objects.filter(ref__in=refs_of(marco), status="active").exists()


def test_a_replayed_capture_changes_nothing(hood, placed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(placed)
        notify(placed)
    assert OrderEvent.objects.filter(order__checkout=placed, target=Status.PAID).count() == 2


def test_move_many_is_all_or_nothing(hood, placed):
    orders = list(placed.orders.order_by("pk"))
    # one of them moves behind these objects' back (the unpaid timeout, say)
    Order.objects.filter(pk=orders[1].pk).update(status=Status.CANCELLED)
    with pytest.raises(OrdersError), transaction.atomic():
        move_many(orders, Status.PAID, Actor.SYSTEM)
    assert Order.objects.get(pk=orders[0].pk).status == Status.PLACED
    assert not OrderEvent.objects.filter(target=Status.PAID).exists()


def test_move_many_checks_the_transition(hood, placed):
    orders = list(placed.orders.all())
    with pytest.raises(OrdersError):
        move_many(orders, Status.READY, Actor.SYSTEM)
    assert set(placed.orders.values_list("status", flat=True)) == {Status.PLACED}
