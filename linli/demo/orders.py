"""A few real orders for the demo, so every role opens onto something: 王芳 has an order waiting
for pickup (with its code) and a completed one (with batch and origin); a shop has a new order on
its board. Everything goes through the real services: checkout, the sandbox gateway's signed
notification, the shop's moves and the hand-over against the pickup code.

Run after the demo's own transaction has committed: payments tell orders on commit."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone

from linli.accounts.models import User
from linli.catalog.models import Listing
from linli.core.errors import LinliError
from linli.inventory.selectors import stock_available
from linli.orders.models import Checkout, Order
from linli.orders.services import (
    cart_line_set,
    checkout_submit,
    order_accept,
    order_complete,
    order_mark_ready,
    order_pickup_verify,
)
from linli.payments.gateways.sandbox import sandbox_notification
from linli.payments.services import payment_notify
from linli.shops.models import Membership
from linli.shops.nearby import nearby_for_user

RESIDENT_PHONE = "13800000001"
STAGES = ("new", "ready", "completed")


def _pay(checkout: Checkout) -> None:
    payment = checkout.payment
    assert payment is not None
    headers, body = sandbox_notification(
        settings.LINLI_PAYMENTS_SANDBOX_SECRET,
        out_trade_no=payment.out_trade_no,
        amount_fen=payment.amount_fen,
        paid=True,
    )
    payment_notify(gateway="sandbox", headers=headers, body=body.encode())


def _shops_near(resident: User) -> list[tuple[int, list[Listing], User]]:
    """Staffed shops within the walk that have two products in stock, nearest first."""
    out = []
    for item in nearby_for_user(user=resident, minutes=15).items:
        member = Membership.objects.filter(merchant=item.outlet.merchant).first()
        if member is None:
            continue
        stocked = [
            li
            for li in Listing.objects.filter(outlet=item.outlet, active=True).order_by("pk")[:8]
            if stock_available(outlet_id=li.outlet_id, product_id=li.product_id) >= 3
        ][:2]
        if len(stocked) == 2:
            out.append((item.outlet.pk, stocked, member.user))
    return out


def _morning() -> datetime:
    return timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)


def demo_orders_load() -> dict[str, int]:
    """Idempotent: nothing happens when the demo resident already has orders."""
    resident = User.objects.filter(phone=RESIDENT_PHONE).first()
    if resident is None or Order.objects.filter(resident=resident).exists():
        return {"demo orders": 0}
    try:
        shops = _shops_near(resident)
    except LinliError:
        return {"demo orders": 0}
    if not shops:
        return {"demo orders": 0}
    made = 0
    for i, stage in enumerate(STAGES):
        _outlet_id, listings, staff = shops[i % len(shops)]
        for li in listings:
            cart_line_set(resident=resident, listing_id=li.pk, quantity=1)
        # the story happens at 10:00, when the demo's shops are open, whatever the hour now
        checkout = checkout_submit(
            resident=resident, idempotency_key=f"demo-{stage}", hours_at=_morning()
        )
        _pay(checkout)
        order = checkout.orders.get()
        if stage in ("ready", "completed"):
            order_accept(actor=staff, order_id=order.pk)
            order = order_mark_ready(actor=staff, order_id=order.pk)
        if stage == "completed":
            order_pickup_verify(actor=staff, order_id=order.pk, code=order.pickup_code)
            order_complete(resident=resident, order_id=order.pk)
        made += 1
    return {"demo orders": made}
