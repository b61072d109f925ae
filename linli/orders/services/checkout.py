"""Checkout: the cart becomes one payment and one order per shop, all or nothing.

Everything is claimed inside one transaction: stock by a conditional UPDATE per line (inventory),
locker compartments or delivery slots by their providers. Lines are claimed in a fixed order
(outlet, product) so two checkouts never wait on each other crosswise. The same idempotency key
returns the first checkout, even when two submissions race: the checkout row is inserted first
and its unique key decides.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.accounts.models import User
from linli.catalog.models import Listing
from linli.core import fulfilment
from linli.core.money import format_fen
from linli.core.storage import coldest
from linli.inventory.services import ClaimRequest, stock_claims_create
from linli.orders.domain import Status
from linli.orders.errors import OrdersError, OrdersErrorCode
from linli.orders.models import CartLine, Checkout, Order, OrderEvent, OrderLine
from linli.orders.services.cart import check_quantity
from linli.payments.services import payment_create
from linli.shops.hours import is_open
from linli.shops.nearby import walk_minutes_for_user


@dataclass(frozen=True)
class CheckoutChoice:
    """The fulfilment the resident picked for one shop's order."""

    outlet_id: int
    method: str = "store_pickup"
    data: dict[str, Any] = field(default_factory=dict)


def unpaid_minutes() -> int:
    return int(getattr(settings, "LINLI_UNPAID_ORDER_MINUTES", 15))


def new_pickup_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def checkout_submit(
    *,
    resident: User,
    idempotency_key: str,
    choices: dict[int, CheckoutChoice] | None = None,
    expected_total_fen: int | None = None,
    gateway: str = "sandbox",
) -> Checkout:
    """Turn the resident's cart into a checkout (payment pending) with one order per shop.

    Raises OrdersError/InventoryError with nothing changed when any line cannot be had.
    """
    key = (idempotency_key or "").strip()[:64]
    if not key:
        raise OrdersError(OrdersErrorCode.CART_EMPTY)
    existing = Checkout.objects.filter(resident=resident, idempotency_key=key).first()
    if existing is not None:
        return existing
    try:
        return _submit(resident, key, choices or {}, expected_total_fen, gateway)
    except IntegrityError:
        # A parallel submission with the same key committed first: answer with its result.
        existing = Checkout.objects.filter(resident=resident, idempotency_key=key).first()
        if existing is None:
            raise
        return existing


@transaction.atomic
def _submit(
    resident: User,
    key: str,
    choices: dict[int, CheckoutChoice],
    expected_total_fen: int | None,
    gateway: str,
) -> Checkout:
    lines = list(
        CartLine.objects.filter(cart__resident=resident)
        .select_related("listing__outlet", "listing__product")
        .order_by("listing__outlet_id", "listing__product_id")
    )
    if not lines:
        raise OrdersError(OrdersErrorCode.CART_EMPTY)
    by_outlet: dict[int, list[CartLine]] = defaultdict(list)
    for line in lines:
        check_quantity(line.quantity)
        _check_listing(line.listing)
        by_outlet[line.listing.outlet_id].append(line)

    _check_in_range(resident, by_outlet, lines)
    total = sum(line.listing.price_fen * line.quantity for line in lines)
    if expected_total_fen is not None and expected_total_fen != total:
        raise OrdersError(
            OrdersErrorCode.PRICE_CHANGED,
            actual=format_fen(total),
            expected=format_fen(expected_total_fen),
        )

    now = timezone.now()
    expires_at = now + timedelta(minutes=unpaid_minutes())
    # Inserted first: a racing submission with the same key fails here, before claiming.
    checkout = Checkout.objects.create(
        resident=resident, idempotency_key=key, total_fen=total, expires_at=expires_at
    )
    orders = _create_orders(checkout, resident, by_outlet, choices, expires_at)
    checkout.payment = payment_create(
        payer=resident,
        amount_fen=total,
        reference=checkout.reference,
        subject=_subject(lines),
        idempotency_key=f"checkout:{checkout.pk}",
        gateway=gateway,
    )
    checkout.save(update_fields=["payment"])
    CartLine.objects.filter(pk__in=[line.pk for line in lines]).delete()
    _keep(checkout, "orders", orders)
    return checkout


def _keep(instance: Any, related: str, objects: list[Any]) -> None:
    """Hand the rows just written to `instance.<related>.all()` as if prefetched, so that the
    response is built without reading them back."""
    qs = getattr(instance, related).all()
    qs._result_cache = objects
    qs._prefetch_done = True
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[related] = qs


def _check_listing(listing: Listing) -> None:
    outlet = listing.outlet
    if not listing.active:
        raise OrdersError(OrdersErrorCode.LISTING_UNAVAILABLE, name=listing.product.name)
    if not outlet.active or not is_open(outlet.opening_hours, timezone.localtime()):
        raise OrdersError(OrdersErrorCode.SHOP_CLOSED, shop=outlet.name)


def _check_in_range(
    resident: User, by_outlet: dict[int, list[CartLine]], lines: list[CartLine]
) -> None:
    """Only shops of the resident's own 15-minute circle, measured on the street network."""
    limit = settings.LINLI_CIRCLE_MINUTES
    outlets = [outlet_lines[0].listing.outlet for outlet_lines in by_outlet.values()]
    minutes = walk_minutes_for_user(user=resident, outlets=outlets, minutes=limit)
    for outlet_id, outlet_lines in by_outlet.items():
        walk = minutes.get(outlet_id)
        if walk is None or walk > limit:
            raise OrdersError(
                OrdersErrorCode.OUT_OF_RANGE,
                shop=outlet_lines[0].listing.outlet.name,
                minutes=limit,
            )


def _create_orders(
    checkout: Checkout,
    resident: User,
    by_outlet: dict[int, list[CartLine]],
    choices: dict[int, CheckoutChoice],
    expires_at: Any,
) -> list[Order]:
    """One order per shop, written in few statements: one INSERT for the orders, one for their
    lines, the stock claims of every line (one conditional UPDATE each), the fulfilment claims,
    one INSERT for the "placed" events."""
    providers = {}
    for outlet_id in by_outlet:
        choice = choices.get(outlet_id) or CheckoutChoice(outlet_id=outlet_id)
        provider = fulfilment.get(choice.method)
        if provider is None:
            raise OrdersError(OrdersErrorCode.FULFILMENT_UNKNOWN, method=choice.method)
        providers[outlet_id] = (provider, choice)
    day = f"{timezone.localdate():%Y%m%d}"
    orders = []
    for n, (outlet_id, lines) in enumerate(by_outlet.items(), start=1):
        subtotal = sum(line.listing.price_fen * line.quantity for line in lines)
        orders.append(
            Order(
                checkout=checkout,
                resident=resident,
                outlet=lines[0].listing.outlet,
                # day + checkout + shop: unique, known before the insert (no second write)
                number=f"{day}{checkout.pk:06d}{n:02d}",
                fulfilment_method=providers[outlet_id][0].method,
                subtotal_fen=subtotal,
                total_fen=subtotal,
                pickup_code=new_pickup_code(),
            )
        )
    Order.objects.bulk_create(orders)
    order_lines: dict[int, list[OrderLine]] = {}
    for order, lines in zip(orders, by_outlet.values(), strict=True):
        order_lines[order.outlet_id] = [
            OrderLine(
                order=order,
                listing=line.listing,
                product_id=line.listing.product_id,
                name=line.listing.product.name,
                spec=getattr(line.listing.product, "spec", "") or "",
                storage=getattr(line.listing.product, "storage", "ambient") or "ambient",
                unit_price_fen=line.listing.price_fen,
                quantity=line.quantity,
                line_total_fen=line.listing.price_fen * line.quantity,
            )
            for line in lines
        ]
    everything = [ol for ols in order_lines.values() for ol in ols]
    OrderLine.objects.bulk_create(everything)
    stock_claims_create(
        requests=[
            ClaimRequest(ol.order.outlet_id, ol.product_id, ol.quantity, ol.claim_ref)
            for ol in everything
        ],
        expires_at=expires_at,
    )
    for order, lines in zip(orders, by_outlet.values(), strict=True):
        provider, choice = providers[order.outlet_id]
        parcel = fulfilment.Parcel(
            outlet_id=order.outlet_id,
            volume_ml=sum((line.listing.product.volume_ml or 0) * line.quantity for line in lines),
            weight_g=sum((line.listing.product.weight_g or 0) * line.quantity for line in lines),
            storage=coldest([ol.storage for ol in order_lines[order.outlet_id]]),
        )
        order.fulfilment_data = provider.claim(
            order_id=order.pk,
            resident_id=resident.pk,
            parcel=parcel,
            data=choice.data,
            expires_at=expires_at,
        )
        if order.fulfilment_data:
            order.save(update_fields=["fulfilment_data"])
        _keep(order, "lines", order_lines[order.outlet_id])
    OrderEvent.objects.bulk_create(
        OrderEvent(
            order=order, source="", target=Status.PLACED, actor_kind="resident", actor=resident
        )
        for order in orders
    )
    return orders


def _subject(lines: list[CartLine]) -> str:
    first = lines[0].listing.product.name
    return first if len(lines) == 1 else f"{first} 等 {len(lines)} 件商品"
