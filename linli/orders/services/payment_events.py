"""What orders do when payments tell them money moved (subscribed in OrdersConfig.ready())."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from linli.core import fulfilment
from linli.inventory.services import stock_claims_extend, stock_claims_release
from linli.orders.domain import Actor, Status
from linli.orders.models import Order, OrderLine
from linli.orders.services.lifecycle import _refund, move


def _checkout_id(reference: str) -> int | None:
    prefix, _, pk = reference.partition(":")
    if prefix != "checkout" or not pk.isdigit():
        return None
    return int(pk)


def _orders_with_refs(checkout_id: int) -> list[tuple[Order, list[str]]]:
    """The checkout's orders (by pk) with their lines' claim refs, in one query."""
    by_order: dict[int, tuple[Order, list[str]]] = {}
    lines = (
        OrderLine.objects.filter(order__checkout_id=checkout_id)
        .select_related("order")
        .order_by("order_id", "pk")
    )
    for line in lines:
        by_order.setdefault(line.order_id, (line.order, []))[1].append(line.claim_ref)
    return list(by_order.values())


def on_payment_captured(event: object) -> None:
    """placed → paid for every order of the checkout. If the orders were already cancelled (the
    money came after the unpaid timeout), give it straight back: never keep money for nothing."""
    checkout_id = _checkout_id(getattr(event, "reference", ""))
    if checkout_id is None:
        return
    late: list[Order] = []
    with transaction.atomic():
        for order, refs in _orders_with_refs(checkout_id):
            if order.status == Status.PLACED:
                # Paid goods are held until hand-over, never released by the unpaid timeout.
                if stock_claims_extend(refs=refs, expires_at=None) == len(refs):
                    move(order, Status.PAID, Actor.SYSTEM, refresh=False)
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
