"""Across apps: a resident buys milk, picks it up; the shop recalls the batch. The sale stops at
once, the resident is notified with a link to the order, and the lot's trace names the order."""

from __future__ import annotations

import pytest
from django.conf import settings

from linli.accounts.models import Notification
from linli.inventory.models import Lot
from linli.inventory.selectors import stock_available
from linli.orders.models import Order
from linli.orders.services import (
    cart_line_set,
    checkout_submit,
    order_accept,
    order_mark_ready,
    order_pickup_verify,
)
from linli.orders.tests.conftest import hood  # noqa: F401  (fixture)
from linli.payments.gateways.sandbox import sandbox_notification
from linli.payments.services import payment_notify
from linli.procurement import selectors, services

pytestmark = pytest.mark.django_db


def test_recall_notifies_the_resident_who_bought_the_batch(
    hood,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    milk = hood.marco.listings["伊利纯牛奶"]
    cart_line_set(resident=hood.resident, listing_id=milk.pk, quantity=2)
    checkout = checkout_submit(resident=hood.resident, idempotency_key="recall-0001")
    headers, body = sandbox_notification(
        settings.LINLI_PAYMENTS_SANDBOX_SECRET,
        out_trade_no=checkout.payment.out_trade_no,
        amount_fen=checkout.payment.amount_fen,
        paid=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        payment_notify(gateway="sandbox", headers=headers, body=body.encode())
    order = Order.objects.get(checkout=checkout)
    owner = hood.marco.owner
    order_accept(actor=owner, order_id=order.pk)
    order_mark_ready(actor=owner, order_id=order.pk)
    order.refresh_from_db()
    order_pickup_verify(actor=owner, order_id=order.pk, code=order.pickup_code)
    batch = order.lines.get().lots[0]["batch"]

    lot = Lot.objects.get(batch_no=batch)
    trace = selectors.lot_trace_for_user(user=owner, lot_id=lot.pk)
    assert [s.owner.order_number for s in trace.sales] == [order.number]

    with django_capture_on_commit_callbacks(execute=True):
        recall = services.recall_create(actor=owner, batch_no=batch, reason="冷链断链")
    assert (recall.units_sold, recall.residents_notified) == (2, 1)
    assert stock_available(outlet_id=milk.outlet_id, product_id=milk.product_id) == 0
    note = Notification.objects.get(user=hood.resident, kind="recall")
    assert batch in note.title and order.number in note.body
    assert note.url == f"/orders/{order.pk}/"
