"""Writes for orders. Split by use case: cart, checkout, lifecycle (shop and resident moves),
payment events, expiry. Import from here; the submodules are an implementation detail."""

from linli.orders.services.cart import cart_clear, cart_line_add, cart_line_remove, cart_line_set
from linli.orders.services.checkout import CheckoutChoice, checkout_submit
from linli.orders.services.expiry import orders_expire_unpaid
from linli.orders.services.lifecycle import (
    order_accept,
    order_cancel,
    order_complete,
    order_mark_ready,
    order_pickup_code_refresh,
    order_pickup_verify,
    order_refund_partial,
)
from linli.orders.services.payment_events import on_payment_captured, on_refund_succeeded

__all__ = [
    "CheckoutChoice",
    "cart_clear",
    "cart_line_add",
    "cart_line_remove",
    "cart_line_set",
    "checkout_submit",
    "on_payment_captured",
    "on_refund_succeeded",
    "order_accept",
    "order_cancel",
    "order_complete",
    "order_mark_ready",
    "order_pickup_code_refresh",
    "order_pickup_verify",
    "order_refund_partial",
    "orders_expire_unpaid",
]
