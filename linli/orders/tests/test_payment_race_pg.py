"""PostgreSQL, real threads: paying a 2-shop checkout while the same notification is delivered
again, or while the unpaid-timeout job runs. The orders end paid once, or cancelled with the money
back; never cancelled with the money kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from conftest import postgres_only, race
from linli.orders.domain import Status
from linli.orders.models import Checkout, Order, OrderEvent
from linli.orders.services import cart_line_set, checkout_submit, orders_expire_unpaid
from linli.orders.tests.conftest import build_neighbourhood
from linli.payments.gateways.sandbox import sandbox_notification
from linli.payments.models import Payment, PaymentNotification
from linli.payments.services import payment_notify

pytestmark = [postgres_only(), pytest.mark.django_db(transaction=True)]


def _checkout(hood, key: str) -> Checkout:
    cart_line_set(
        resident=hood.resident, listing_id=hood.marco.listings["伊利纯牛奶"].pk, quantity=1
    )
    cart_line_set(resident=hood.resident, listing_id=hood.mia.listings["西红柿"].pk, quantity=1)
    return checkout_submit(resident=hood.resident, idempotency_key=key)


def _notify(checkout: Checkout) -> None:
    payment = Payment.objects.get(pk=checkout.payment_id)
    headers, body = sandbox_notification(
        settings.LINLI_PAYMENTS_SANDBOX_SECRET,
        out_trade_no=payment.out_trade_no,
        amount_fen=payment.amount_fen,
    )
    payment_notify(gateway="sandbox", headers=headers, body=body.encode())


def test_five_deliveries_at_once_pay_the_orders_once(tmp_path):
    hood = build_neighbourhood(tmp_path)
    checkout = _checkout(hood, "race-pay-0001")
    results = race(5, lambda i: _notify(checkout))
    assert results == ["ok"] * 5, results
    assert set(checkout.orders.values_list("status", flat=True)) == {Status.PAID}
    paid = OrderEvent.objects.filter(order__checkout=checkout, target=Status.PAID)
    assert paid.count() == 2
    assert (
        sorted(PaymentNotification.objects.values_list("outcome", flat=True))
        == ["captured"] + ["duplicate"] * 4
    )


def test_capture_racing_the_unpaid_timeout_never_keeps_money_for_cancelled_orders(tmp_path):
    hood = build_neighbourhood(tmp_path)
    for n in range(6):
        checkout = _checkout(hood, f"race-expiry-{n:04d}")
        Checkout.objects.filter(pk=checkout.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )

        def attempt(i: int, checkout: Checkout = checkout) -> None:
            if i == 0:
                _notify(checkout)
            else:
                orders_expire_unpaid()

        results = race(2, attempt)
        assert not [r for r in results if r.startswith("error")], results
        payment = Payment.objects.get(pk=checkout.payment_id)
        orders = list(Order.objects.filter(checkout=checkout))
        refunded = sum(o.total_fen for o in orders if o.status != Status.PAID)
        if payment.status == Payment.Status.CAPTURED:
            # each order paid, or cancelled and its money given back
            assert {o.status for o in orders} <= {Status.PAID, Status.REFUNDED}, orders
            assert all(o.refunded_fen == o.total_fen for o in orders if o.status != Status.PAID)
            assert payment.refunded_fen == refunded
        else:  # the job closed the payment first: the notification is flagged late
            assert payment.status == Payment.Status.CLOSED
            assert {o.status for o in orders} == {Status.CANCELLED}
            assert PaymentNotification.objects.filter(
                out_trade_no=payment.out_trade_no, outcome="late"
            ).exists()
