"""Moves after checkout: the shop accepts, prepares and hands over; the resident confirms or cancels.

Every move is a conditional UPDATE on the status it starts from, so two clicks (or a click and a
timeout job) can never both win. Stock claimed at checkout is committed at hand-over (first expiry
first out) or released on cancel.
"""

from __future__ import annotations

import hmac
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from linli.accounts.models import User
from linli.core import fulfilment
from linli.core.sql import insert_rows, update_rows
from linli.inventory.services import stock_claims_commit, stock_claims_release
from linli.orders.domain import PAID_STATES, Actor, Status, TransitionError, transition
from linli.orders.errors import OrdersError, OrdersErrorCode
from linli.orders.models import Order, OrderEvent, OrderLine
from linli.orders.services.checkout import new_pickup_code
from linli.payments.services import refund_create
from linli.shops.selectors import outlet_list_for_user

STAMP = {
    Status.PAID: "paid_at",
    Status.ACCEPTED: "accepted_at",
    Status.READY: "ready_at",
    Status.PICKED_UP: "picked_up_at",
    Status.COMPLETED: "completed_at",
    Status.CANCELLED: "cancelled_at",
}


def max_pickup_tries() -> int:
    return int(getattr(settings, "LINLI_PICKUP_MAX_TRIES", 5))


def move(
    order: Order,
    target: Status,
    actor_kind: Actor,
    actor: User | None = None,
    note: str = "",
    *,
    refresh: bool = True,
    **fields: Any,
) -> Order:
    """Apply one checked transition with a conditional update; log it. Raises on a lost race.

    The order is read back afterwards; `refresh=False` only sets what this move wrote (status,
    its time stamp, `fields`) on the object, for callers that need nothing else from it."""
    source = Status(order.status)
    try:
        transition(source, target, actor_kind)
    except TransitionError as e:
        raise OrdersError(OrdersErrorCode.TRANSITION, source=source, target=target) from e
    now = timezone.now()
    values = {"status": target, **fields}
    if target in STAMP:
        values[STAMP[target]] = now
    if not Order.objects.filter(pk=order.pk, status=source).update(**values):
        order.refresh_from_db()
        raise OrdersError(OrdersErrorCode.TRANSITION, source=order.status, target=target)
    OrderEvent.objects.create(
        order=order, source=source, target=target, actor_kind=actor_kind, actor=actor, note=note
    )
    if refresh:
        order.refresh_from_db()
    else:
        for name, value in values.items():
            setattr(order, name, value)
    return order


def move_many(
    orders: list[Order],
    target: Status,
    actor_kind: Actor,
    actor: User | None = None,
    note: str = "",
) -> None:
    """`move` for several orders in the same status: one conditional UPDATE, one INSERT of all
    their events. Raises if any of them moved meanwhile; run it inside the caller's transaction,
    which then rolls back whatever this UPDATE did move. Sets status and stamp on the objects."""
    if not orders:
        return
    source = Status(orders[0].status)
    if any(Status(o.status) != source for o in orders):
        raise ValueError("move_many: the orders must all be in the same status")
    try:
        transition(source, target, actor_kind)
    except TransitionError as e:
        raise OrdersError(OrdersErrorCode.TRANSITION, source=source, target=target) from e
    now = timezone.now()
    values: dict[str, Any] = {"status": target}
    if target in STAMP:
        values[STAMP[target]] = now
    moved = update_rows(Order, values, pk=[o.pk for o in orders], status=source.value)
    if moved != len(orders):
        raise OrdersError(OrdersErrorCode.TRANSITION, source=source, target=target)
    insert_rows(
        [
            OrderEvent(
                order=o, source=source, target=target, actor_kind=actor_kind, actor=actor, note=note
            )
            for o in orders
        ]
    )
    for o in orders:
        for name, value in values.items():
            setattr(o, name, value)


def _order_for_shop(actor: User, order_id: int, *, lock: bool = False) -> Order:
    qs = Order.objects.filter(pk=order_id, outlet__in=outlet_list_for_user(user=actor))
    if lock:
        qs = qs.select_for_update()
    order = qs.first()
    if order is None:
        raise OrdersError(OrdersErrorCode.ORDER_NOT_FOUND)
    return order


def _order_for_resident(resident: User, order_id: int) -> Order:
    order = Order.objects.filter(pk=order_id, resident=resident).first()
    if order is None:
        raise OrdersError(OrdersErrorCode.ORDER_NOT_FOUND)
    return order


def _claim_refs(order: Order) -> list[str]:
    return [line.claim_ref for line in order.lines.all()]


@transaction.atomic
def order_accept(*, actor: User, order_id: int) -> Order:
    """The shop takes a paid order (接单)."""
    return move(_order_for_shop(actor, order_id), Status.ACCEPTED, Actor.SHOP, actor)


@transaction.atomic
def order_mark_ready(*, actor: User, order_id: int) -> Order:
    """Goods are packed and waiting at the counter (备货完成); the resident is told."""
    order = _order_for_shop(actor, order_id)
    fulfilment.call_hook(order.fulfilment_method, "on_ready", order_id=order.pk)
    return move(order, Status.READY, Actor.SHOP, actor)


def order_pickup_verify(*, actor: User, order_id: int, code: str) -> Order:
    """Hand over against the resident's 6-digit code; wrong tries are counted and limited."""
    with transaction.atomic():
        order = _order_for_shop(actor, order_id, lock=True)
        if order.pickup_tries >= max_pickup_tries():
            raise OrdersError(OrdersErrorCode.PICKUP_LOCKED)
        if Status(order.status) != Status.READY:
            raise OrdersError(
                OrdersErrorCode.TRANSITION, source=order.status, target=Status.PICKED_UP
            )
        if hmac.compare_digest(order.pickup_code, (code or "").strip()):
            order = move(order, Status.PICKED_UP, Actor.SHOP, actor)
            picks = stock_claims_commit(refs=_claim_refs(order), actor=actor)
            _record_lots(order, picks)
            return order
        Order.objects.filter(pk=order.pk).update(pickup_tries=F("pickup_tries") + 1)
        left = max_pickup_tries() - order.pickup_tries - 1
    # Raised outside the block so the counted try is kept.
    if left <= 0:
        raise OrdersError(OrdersErrorCode.PICKUP_LOCKED)
    raise OrdersError(OrdersErrorCode.PICKUP_CODE_WRONG, left=left)


def _record_lots(order: Order, picks: list[Any]) -> None:
    """Keep which batches went into each line: origin and batch on the resident's order."""
    by_ref: dict[str, list[dict[str, Any]]] = {}
    for p in picks:
        by_ref.setdefault(p.ref, []).append(
            {
                "batch": p.batch_no,
                "expiry": p.expiry_date.isoformat() if p.expiry_date else None,
                "origin": p.origin,
                "quantity": p.quantity,
            }
        )
    for line in order.lines.all():
        if line.claim_ref in by_ref:
            OrderLine.objects.filter(pk=line.pk).update(lots=by_ref[line.claim_ref])


@transaction.atomic
def order_pickup_code_refresh(*, resident: User, order_id: int) -> Order:
    """A new code for the resident after too many wrong tries at the counter."""
    order = _order_for_resident(resident, order_id)
    Order.objects.filter(pk=order.pk).update(pickup_code=new_pickup_code(), pickup_tries=0)
    order.refresh_from_db()
    return order


@transaction.atomic
def order_complete(*, resident: User, order_id: int) -> Order:
    """The resident confirms receipt (确认收货)."""
    return move(_order_for_resident(resident, order_id), Status.COMPLETED, Actor.RESIDENT, resident)


def order_cancel(
    *, actor: User | None, order_id: int, reason: str, actor_kind: Actor = Actor.RESIDENT
) -> Order:
    """Cancel: release the stock and fulfilment capacity; refund in full if it was paid."""
    with transaction.atomic():
        if actor_kind == Actor.SHOP and actor is not None:
            order = _order_for_shop(actor, order_id)
        elif actor_kind == Actor.RESIDENT and actor is not None:
            order = _order_for_resident(actor, order_id)
        else:
            order = Order.objects.get(pk=order_id)
        was_paid = Status(order.status) in PAID_STATES
        order = move(
            order,
            Status.CANCELLED,
            actor_kind,
            actor,
            note=reason[:200],
            cancel_reason=reason[:200],
        )
        stock_claims_release(refs=_claim_refs(order))
        provider = fulfilment.get(order.fulfilment_method)
        if provider is not None:
            provider.release(order_id=order.pk)
    if was_paid:
        _refund(order, order.total_fen - order.refunded_fen, reason, key="cancel")
        order.refresh_from_db()
    return order


def order_refund_partial(*, actor: User, order_id: int, amount_fen: int, reason: str) -> Order:
    """Give part of the money back (an item missing or spoiled); the order keeps its status."""
    order = _order_for_shop(actor, order_id)
    left = order.total_fen - order.refunded_fen
    if Status(order.status) not in PAID_STATES or not 0 < amount_fen <= left:
        from linli.core.money import format_fen

        raise OrdersError(OrdersErrorCode.REFUND_TOO_MUCH, left=format_fen(max(left, 0)))
    n = order.events.count() + order.refunded_fen
    _refund(order, amount_fen, reason, key=f"partial-{n}-{amount_fen}")
    order.refresh_from_db()
    return order


def _refund(order: Order, amount_fen: int, reason: str, *, key: str) -> None:
    payment = order.checkout.payment
    if amount_fen <= 0 or payment is None:
        return
    refund_create(
        payment=payment,
        amount_fen=amount_fen,
        reason=reason[:200],
        idempotency_key=f"order:{order.pk}:{key}",
    )
