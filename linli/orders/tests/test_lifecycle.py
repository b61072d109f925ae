"""After checkout: paying, the shop's moves, hand-over with the code, cancels and refunds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from linli.core.errors import LinliError
from linli.inventory.models import StockClaim, StockLevel
from linli.inventory.selectors import stock_available
from linli.orders.domain import Actor, Status
from linli.orders.models import Order, OrderEvent
from linli.orders.selectors import order_timeline
from linli.orders.services import (
    cart_line_set,
    checkout_submit,
    order_accept,
    order_cancel,
    order_complete,
    order_mark_ready,
    order_pickup_code_refresh,
    order_pickup_verify,
    order_refund_partial,
    orders_expire_unpaid,
)
from linli.payments.gateways.sandbox import sandbox_notification
from linli.payments.models import Payment
from linli.payments.services import payment_notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(hood):
    cart_line_set(
        resident=hood.resident, listing_id=hood.marco.listings["伊利纯牛奶"].pk, quantity=3
    )
    cart_line_set(resident=hood.resident, listing_id=hood.mia.listings["西红柿"].pk, quantity=2)
    return checkout_submit(resident=hood.resident, idempotency_key="life-0001")


def pay(checkout, capture):
    headers, body = sandbox_notification(
        settings.LINLI_PAYMENTS_SANDBOX_SECRET,
        out_trade_no=checkout.payment.out_trade_no,
        amount_fen=checkout.payment.amount_fen,
        paid=True,
    )
    with capture(execute=True):
        payment_notify(gateway="sandbox", headers=headers, body=body.encode())


def order_of(checkout, shop):
    return Order.objects.get(checkout=checkout, outlet=shop.outlet)


def test_payment_moves_every_shop_order_to_paid_and_holds_the_goods(
    hood, placed, django_capture_on_commit_callbacks
):
    pay(placed, django_capture_on_commit_callbacks)
    assert set(placed.orders.values_list("status", flat=True)) == {Status.PAID}
    # Held until hand-over: the unpaid timeout no longer touches them.
    assert not StockClaim.objects.filter(status="active", expires_at__isnull=False).exists()
    assert orders_expire_unpaid(now=timezone.now() + timedelta(hours=3)) == 0
    # A replayed notification changes nothing.
    pay(placed, django_capture_on_commit_callbacks)
    assert Order.objects.filter(status=Status.PAID).count() == 2


def test_store_pickup_from_accept_to_complete(hood, placed, django_capture_on_commit_callbacks):
    pay(placed, django_capture_on_commit_callbacks)
    order = order_of(placed, hood.marco)
    order_accept(actor=hood.marco.owner, order_id=order.pk)
    order_mark_ready(actor=hood.marco.owner, order_id=order.pk)
    wrong = "000000" if order.pickup_code != "000000" else "111111"
    with pytest.raises(LinliError) as e:
        order_pickup_verify(actor=hood.marco.owner, order_id=order.pk, code=wrong)
    assert e.value.spec.code == "pickup_code_wrong" and e.value.params["left"] == 4
    order = order_pickup_verify(actor=hood.marco.owner, order_id=order.pk, code=order.pickup_code)
    assert order.status == Status.PICKED_UP
    level = StockLevel.objects.get(
        outlet=hood.marco.outlet, product=hood.marco.listings["伊利纯牛奶"].product
    )
    assert (level.on_hand, level.claimed) == (7, 0)
    line = order.lines.get()
    assert line.lots[0]["origin"] == "北京顺义" and line.lots[0]["quantity"] == 3
    order = order_complete(resident=hood.resident, order_id=order.pk)
    assert order.status == Status.COMPLETED
    timeline = order_timeline(order)
    assert [e.target for e in timeline] == [
        "placed",
        "paid",
        "accepted",
        "ready",
        "picked_up",
        "completed",
    ]
    # the placing is the order row's own record: placed at, by its resident (ADR 0009)
    assert (timeline[0].at, timeline[0].actor_id) == (order.placed_at, hood.resident.pk)
    assert not order.events.filter(target=Status.PLACED).exists()


def test_an_order_that_stored_its_placing_shows_it_once(hood, placed):
    order = order_of(placed, hood.marco)
    OrderEvent.objects.create(
        order=order, source="", target=Status.PLACED, actor_kind="resident", at=order.placed_at
    )
    assert [e.target for e in order_timeline(order)] == ["placed"]


def test_wrong_codes_lock_the_handover_until_a_new_code(
    hood, placed, django_capture_on_commit_callbacks
):
    pay(placed, django_capture_on_commit_callbacks)
    order = order_of(placed, hood.marco)
    order_accept(actor=hood.marco.owner, order_id=order.pk)
    order_mark_ready(actor=hood.marco.owner, order_id=order.pk)
    codes = [f"{n:06d}" for n in range(10) if f"{n:06d}" != order.pickup_code][:5]
    for code in codes[:4]:
        with pytest.raises(LinliError):
            order_pickup_verify(actor=hood.marco.owner, order_id=order.pk, code=code)
    with pytest.raises(LinliError) as e:
        order_pickup_verify(actor=hood.marco.owner, order_id=order.pk, code=codes[4])
    assert e.value.spec.code == "pickup_locked"
    with pytest.raises(LinliError) as e:  # even the right code waits for a new one
        order_pickup_verify(actor=hood.marco.owner, order_id=order.pk, code=order.pickup_code)
    assert e.value.spec.code == "pickup_locked"
    fresh = order_pickup_code_refresh(resident=hood.resident, order_id=order.pk)
    assert fresh.pickup_code != "" and fresh.pickup_tries == 0
    assert (
        order_pickup_verify(
            actor=hood.marco.owner, order_id=order.pk, code=fresh.pickup_code
        ).status
        == Status.PICKED_UP
    )


def test_a_shop_cannot_touch_another_shops_order(hood, placed, django_capture_on_commit_callbacks):
    pay(placed, django_capture_on_commit_callbacks)
    order = order_of(placed, hood.marco)
    with pytest.raises(LinliError) as e:
        order_accept(actor=hood.mia.owner, order_id=order.pk)
    assert e.value.spec.code == "order_not_found"
    assert Order.objects.get(pk=order.pk).status == Status.PAID


def test_double_accept_is_a_clear_conflict(hood, placed, django_capture_on_commit_callbacks):
    pay(placed, django_capture_on_commit_callbacks)
    order = order_of(placed, hood.marco)
    order_accept(actor=hood.marco.owner, order_id=order.pk)
    with pytest.raises(LinliError) as e:
        order_accept(actor=hood.marco.owner, order_id=order.pk)
    assert e.value.spec.code == "order_transition"


def test_resident_cancels_a_paid_order_and_gets_the_money_back(
    hood, placed, django_capture_on_commit_callbacks
):
    pay(placed, django_capture_on_commit_callbacks)
    order = order_of(placed, hood.mia)
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(actor=hood.resident, order_id=order.pk, reason="不要了")
    order.refresh_from_db()
    assert order.status == Status.REFUNDED and order.refunded_fen == order.total_fen == 960
    placed.payment.refresh_from_db()
    assert placed.payment.refunded_fen == 960  # only this shop's part
    listing = hood.mia.listings["西红柿"]
    assert stock_available(outlet_id=listing.outlet_id, product_id=listing.product_id) == 30
    assert order_of(placed, hood.marco).status == Status.PAID


def test_resident_cannot_cancel_after_the_shop_accepted(
    hood, placed, django_capture_on_commit_callbacks
):
    pay(placed, django_capture_on_commit_callbacks)
    order = order_of(placed, hood.mia)
    order_accept(actor=hood.mia.owner, order_id=order.pk)
    with pytest.raises(LinliError) as e:
        order_cancel(actor=hood.resident, order_id=order.pk, reason="晚了")
    assert e.value.spec.code == "order_transition"
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(actor=hood.mia.owner, order_id=order.pk, reason="缺货", actor_kind=Actor.SHOP)
    assert Order.objects.get(pk=order.pk).status == Status.REFUNDED


def test_partial_refund_keeps_the_order_going(hood, placed, django_capture_on_commit_callbacks):
    pay(placed, django_capture_on_commit_callbacks)
    order = order_of(placed, hood.marco)
    with django_capture_on_commit_callbacks(execute=True):
        order_refund_partial(
            actor=hood.marco.owner, order_id=order.pk, amount_fen=350, reason="一盒牛奶破损"
        )
    order.refresh_from_db()
    assert (order.status, order.refunded_fen) == (Status.PAID, 350)
    with pytest.raises(LinliError) as e:
        order_refund_partial(
            actor=hood.marco.owner, order_id=order.pk, amount_fen=800, reason="太多"
        )
    assert e.value.spec.code == "refund_exceeds"


def test_money_arriving_after_the_timeout_goes_straight_back(
    hood, placed, django_capture_on_commit_callbacks
):
    orders_expire_unpaid(now=timezone.now() + timedelta(minutes=16))
    # The payment is closed at the gateway; a real gateway would not capture. Force the
    # unlucky case: the notification was already on its way before the close.
    Payment.objects.filter(pk=placed.payment_id).update(status=Payment.Status.PENDING)
    pay(placed, django_capture_on_commit_callbacks)
    statuses = set(placed.orders.values_list("status", flat=True))
    assert statuses == {Status.REFUNDED}
    placed.payment.refresh_from_db()
    assert placed.payment.refunded_fen == placed.payment.amount_fen
