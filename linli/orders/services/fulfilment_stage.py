"""What orders do when a fulfilment provider reports progress through `core.fulfilment`
(registered in OrdersConfig.ready(); lockers are a lower layer and cannot call orders).

Runs inside the provider's transaction: a refused move rolls the provider's change back too.
"""

from __future__ import annotations

from linli.accounts.models import User
from linli.inventory.services import stock_claims_commit
from linli.orders.domain import Actor, Status
from linli.orders.errors import OrdersError, OrdersErrorCode
from linli.orders.models import Order
from linli.orders.services.lifecycle import _claim_refs, _record_lots, move


def on_fulfilment_stage(*, order_id: int, stage: str, actor_id: int | None = None) -> None:
    order = Order.objects.select_for_update().filter(pk=order_id).first()
    if order is None:
        return
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    if stage == "deposited":
        # The shop put the goods into the locker: that is accepting and preparing in one go.
        if order.status == Status.PAID:
            order = move(order, Status.ACCEPTED, Actor.SHOP, actor, note="locker")
        if order.status == Status.ACCEPTED:
            move(order, Status.READY, Actor.SHOP, actor, note="已投柜 deposited in locker")
        elif order.status != Status.READY:
            raise OrdersError(OrdersErrorCode.TRANSITION, source=order.status, target=Status.READY)
    elif stage == "picked_up" and order.status == Status.READY:
        # The one-time locker code is the hand-over check (the shop's agent is the locker).
        order = move(order, Status.PICKED_UP, Actor.SHOP, None, note="智能柜取件 locker pickup")
        _record_lots(order, stock_claims_commit(refs=_claim_refs(order)))
    elif stage == "returned":
        # Kept too long: back at the shop, collected there with the order's pickup code.
        Order.objects.filter(pk=order.pk).update(fulfilment_method="store_pickup")
