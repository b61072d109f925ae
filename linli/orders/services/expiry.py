"""The job that cancels unpaid orders and gives their stock back (default after 15 minutes)."""

from __future__ import annotations

import contextlib
from datetime import datetime

from django.utils import timezone

from linli.orders.domain import Actor, Status
from linli.orders.errors import OrdersError
from linli.orders.models import Order
from linli.orders.services.lifecycle import order_cancel
from linli.payments.errors import PaymentsError
from linli.payments.services import payment_close


def orders_expire_unpaid(*, now: datetime | None = None) -> int:
    """Cancel every order still unpaid after its checkout expired; close the payments."""
    now = now or timezone.now()
    expired = Order.objects.filter(status=Status.PLACED, checkout__expires_at__lt=now)
    cancelled = 0
    payments = set()
    for order in expired.select_related("checkout__payment"):
        try:
            order_cancel(
                actor=None, order_id=order.pk, reason="超时未支付 unpaid", actor_kind=Actor.SYSTEM
            )
        except OrdersError:
            continue  # paid meanwhile: the capture won the race, as it should
        cancelled += 1
        if order.checkout.payment is not None:
            payments.add(order.checkout.payment)
    for payment in payments:
        # Captured meanwhile: on_payment_captured refunds the cancelled orders.
        with contextlib.suppress(PaymentsError):
            payment_close(payment=payment)
    return cancelled
