"""What orders do when payments tell them money moved (subscribed in OrdersConfig.ready())."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from linli.core import fulfilment
from linli.inventory.services import stock_claims_extend, stock_claims_release
from linli.orders.domain import Actor, Status
from linli.orders.models import Checkout, Order
from linli.orders.services.lifecycle import _refund, move


def _checkout_for(reference: str) -> Checkout | None:
    prefix, _, pk = reference.partition(":")
    if prefix != "checkout" or not pk.isdigit():
        return None
    return Checkout.objects.filter(pk=int(pk)).first()


def on_payment_captured(event: object) -> None:
    """placed → paid for every order of the checkout. If the orders were already cancelled (the
    money came after the unpaid timeout), give it straight back: never keep money for nothing."""
    checkout = _checkout_for(getattr(event, "reference", ""))
    if checkout is None:
        return
    late: list[Order] = []
    with transaction.atomic():
        for order in checkout.orders.prefetch_related("lines").order_by("pk"):
            if order.status == Status.PLACED:
                refs = [line.claim_ref for line in order.lines.all()]
                # Paid goods are held until hand-over, never released by the unpaid timeout.
                if stock_claims_extend(refs=refs, expires_at=None) == len(refs):
                    move(order, Status.PAID, Actor.SYSTEM)
                    fulfilment.call_hook(order.fulfilment_method, "on_paid", order_id=order.pk)
                else:  # the hold lapsed before the money came: don't sell what isn't held
                    move(
                        order,
                        Status.CANCELLED,
                        Actor.SYSTEM,
                        note="库存保留已过期 hold lapsed",
                        cancel_reason="库存保留已过期 hold lapsed",
                    )
                    stock_claims_release(refs=refs)
                    provider = fulfilment.get(order.fulfilment_method)
                    if provider is not None:
                        provider.release(order_id=order.pk)
                    late.append(order)
            elif order.status == Status.CANCELLED and order.refunded_fen < order.total_fen:
                late.append(order)
    for order in late:
        _refund(
            order,
            order.total_fen - order.refunded_fen,
            "付款晚于订单超时 late payment",
            key="late-payment",
        )


def on_refund_succeeded(event: object) -> None:
    """Book the refund on the order it was for; a fully refunded cancelled order ends refunded."""
    from linli.payments.models import Refund

    refund = Refund.objects.filter(pk=int(getattr(event, "refund_id", 0) or 0)).first()
    key = refund.idempotency_key if refund is not None else ""
    amount = int(getattr(event, "amount_fen", 0))
    prefix, _, rest = key.partition(":")
    order_pk = rest.split(":")[0]
    if prefix != "order" or not order_pk.isdigit():
        return
    with transaction.atomic():
        updated = Order.objects.filter(
            pk=int(order_pk), refunded_fen__lte=F("total_fen") - amount
        ).update(refunded_fen=F("refunded_fen") + amount)
        if not updated:
            return
        order = Order.objects.get(pk=int(order_pk))
        if order.status == Status.CANCELLED and order.refunded_fen >= order.total_fen:
            move(order, Status.REFUNDED, Actor.SYSTEM)
