"""Orders API: cart, checkout, the resident's orders and the shop's order board."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Header, Router
from ninja.renderers import JSONRenderer

from linli.accounts.models import User
from linli.orders import selectors, services
from linli.orders.domain import HOLDING, PAID_STATES, Actor
from linli.orders.domain import Status as OrderStatus
from linli.orders.models import Checkout, Order
from linli.orders.schemas import (
    BoardOut,
    CartLineIn,
    CartLineOut,
    CartOut,
    CheckoutIn,
    CheckoutOut,
    CodeIn,
    OrderOut,
    ReasonIn,
    RefundIn,
)
from linli.payments.services import payment_prepay

router = Router(tags=["orders"])
_RENDERER = JSONRenderer()  # the API's own (config.api sets no other)
_CONTENT_TYPE = f"{_RENDERER.media_type}; charset={_RENDERER.charset}"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def order_out(order: Order, *, for_resident: bool) -> dict[str, Any]:
    """An order as `OrderOut` shows it. A plain dict: ninja validates the answer against the
    schema once (a schema instance here would be validated twice)."""
    show_code = for_resident and OrderStatus(order.status) in (HOLDING & PAID_STATES)
    return {
        "id": order.pk,
        "number": order.number,
        "outlet_id": order.outlet_id,
        "outlet": order.outlet.name,
        "status": order.status,
        "fulfilment_method": order.fulfilment_method,
        "total_fen": order.total_fen,
        "refunded_fen": order.refunded_fen,
        "placed_at": order.placed_at,
        "pickup_code": order.pickup_code if show_code else None,
        "lines": [
            {
                "name": ln.name,
                "spec": ln.spec,
                "storage": ln.storage,
                "unit_price_fen": ln.unit_price_fen,
                "quantity": ln.quantity,
                "line_total_fen": ln.line_total_fen,
                "lots": ln.lots,
            }
            for ln in order.lines.all()
        ],
    }


def cart_out(resident: User) -> CartOut:
    """The cart as the API shows it: one statement reading only these columns."""
    out = [
        CartLineOut(
            listing_id=r.listing_id,
            outlet_id=r.outlet_id,
            outlet=r.outlet,
            product=r.product,
            spec=r.spec,
            storage=r.storage,
            unit_price_fen=r.price_fen,
            quantity=r.quantity,
            line_total_fen=r.price_fen * r.quantity,
        )
        for r in selectors.cart_rows_for(resident=resident)
    ]
    return CartOut(lines=out, total_fen=sum(x.line_total_fen for x in out))


def checkout_out(checkout: Checkout) -> dict[str, Any]:
    """The checkout as `checkout_submit` returned it: a new one carries its orders and lines (no
    read back); a repeated key's is read (orders with shop and lines: two queries)."""
    if "orders" in getattr(checkout, "_prefetched_objects_cache", {}):
        orders = sorted(checkout.orders.all(), key=lambda o: o.pk)
    else:
        orders = list(
            checkout.orders.select_related("outlet").prefetch_related("lines").order_by("pk")
        )
    payment = checkout.payment
    # the payment was just created, or just read with the checkout
    prepay = payment_prepay(payment=payment, fresh=True) if payment is not None else None
    return {
        "checkout_id": checkout.pk,
        "total_fen": checkout.total_fen,
        "expires_at": checkout.expires_at,
        "pay_url": getattr(prepay, "pay_url", "") or "",
        "out_trade_no": payment.out_trade_no if payment else "",
        "orders": [order_out(o, for_resident=True) for o in orders],
    }


@router.get("/cart", response=CartOut)
def cart(request: HttpRequest) -> CartOut:
    return cart_out(_user(request))


@router.put("/cart/lines", response=CartOut)
def cart_line_set(request: HttpRequest, payload: CartLineIn) -> CartOut:
    """Set a line's quantity (0 removes it). Stock is only claimed at checkout."""
    services.cart_line_set(
        resident=_user(request), listing_id=payload.listing_id, quantity=payload.quantity
    )
    return cart_out(_user(request))


@router.post("/checkout", response={201: CheckoutOut})
def checkout(
    request: HttpRequest,
    payload: CheckoutIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> HttpResponse:
    """Submit the cart: one payment, one order per shop. The same key returns the same result."""
    result = services.checkout_submit(
        resident=_user(request),
        idempotency_key=idempotency_key or payload.idempotency_key,
        choices={
            c.outlet_id: services.CheckoutChoice(c.outlet_id, c.method, c.data)
            for c in payload.choices
        },
        expected_total_fen=payload.expected_total_fen,
    )
    # The busiest write of the API answers without ninja's second pass over the answer:
    # `checkout_out` builds exactly CheckoutOut's shape (test_api checks it against the schema).
    content = _RENDERER.render(request, checkout_out(result), response_status=201)
    return HttpResponse(content, status=201, content_type=_CONTENT_TYPE)


@router.get("/mine", response=list[OrderOut])
def my_orders(request: HttpRequest) -> list[dict[str, Any]]:
    orders = selectors.order_list_for_resident(resident=_user(request))
    return [order_out(o, for_resident=True) for o in orders]


@router.get("/mine/{order_id}", response=OrderOut)
def my_order(request: HttpRequest, order_id: int) -> dict[str, Any]:
    order = selectors.order_get_for_resident(resident=_user(request), order_id=order_id)
    return order_out(order, for_resident=True)


@router.post("/mine/{order_id}/cancel", response=OrderOut)
def my_order_cancel(request: HttpRequest, order_id: int, payload: ReasonIn) -> dict[str, Any]:
    order = services.order_cancel(
        actor=_user(request),
        order_id=order_id,
        reason=payload.reason or "顾客取消",
        actor_kind=Actor.RESIDENT,
    )
    return order_out(order, for_resident=True)


@router.post("/mine/{order_id}/complete", response=OrderOut)
def my_order_complete(request: HttpRequest, order_id: int) -> dict[str, Any]:
    return order_out(
        services.order_complete(resident=_user(request), order_id=order_id), for_resident=True
    )


@router.post("/mine/{order_id}/pickup-code", response=OrderOut)
def my_order_new_code(request: HttpRequest, order_id: int) -> dict[str, Any]:
    order = services.order_pickup_code_refresh(resident=_user(request), order_id=order_id)
    return order_out(order, for_resident=True)


@router.get("/shop/board", response=BoardOut)
def shop_board(request: HttpRequest, outlet: int | None = None) -> dict[str, Any]:
    """Open orders of my outlets: new (paid), accepted, ready for pickup."""
    board = selectors.order_board_for_shop(actor=_user(request), outlet_id=outlet)
    return {k: [order_out(o, for_resident=False) for o in v] for k, v in board.items()}


@router.post("/shop/{order_id}/accept", response=OrderOut)
def shop_accept(request: HttpRequest, order_id: int) -> dict[str, Any]:
    return order_out(
        services.order_accept(actor=_user(request), order_id=order_id), for_resident=False
    )


@router.post("/shop/{order_id}/ready", response=OrderOut)
def shop_ready(request: HttpRequest, order_id: int) -> dict[str, Any]:
    return order_out(
        services.order_mark_ready(actor=_user(request), order_id=order_id), for_resident=False
    )


@router.post("/shop/{order_id}/handover", response=OrderOut)
def shop_handover(request: HttpRequest, order_id: int, payload: CodeIn) -> dict[str, Any]:
    """Hand the goods over against the resident's pickup code."""
    order = services.order_pickup_verify(actor=_user(request), order_id=order_id, code=payload.code)
    return order_out(order, for_resident=False)


@router.post("/shop/{order_id}/cancel", response=OrderOut)
def shop_cancel(request: HttpRequest, order_id: int, payload: ReasonIn) -> dict[str, Any]:
    order = services.order_cancel(
        actor=_user(request),
        order_id=order_id,
        reason=payload.reason or "商家取消",
        actor_kind=Actor.SHOP,
    )
    return order_out(order, for_resident=False)


@router.post("/shop/{order_id}/refund", response=OrderOut)
def shop_refund(request: HttpRequest, order_id: int, payload: RefundIn) -> dict[str, Any]:
    order = services.order_refund_partial(
        actor=_user(request),
        order_id=order_id,
        amount_fen=payload.amount_fen,
        reason=payload.reason,
    )
    return order_out(order, for_resident=False)
