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
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.accounts.models import User
from linli.community.selectors import HomePoint, home_point_columns
from linli.core import fulfilment
from linli.core.instances import model_build
from linli.core.money import format_fen
from linli.core.sql import CompiledQuery, hot_cursor, insert_rows, update_rows
from linli.core.storage import coldest
from linli.inventory.errors import InventoryError
from linli.inventory.services import ClaimRequest, stock_claims_create
from linli.orders.errors import OrdersError, OrdersErrorCode
from linli.orders.models import CartLine, Checkout, Order, OrderLine
from linli.orders.services import checkout_at_once
from linli.orders.services.cart import check_quantity
from linli.payments.services import payment_create, payment_new
from linli.shops.hours import is_open
from linli.shops.models import Outlet
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
    hours_at: datetime | None = None,
) -> Checkout:
    """Turn the resident's cart into a checkout (payment pending) with one order per shop.

    Raises OrdersError/InventoryError with nothing changed when any line cannot be had. A key
    already used returns its checkout: found when the checkout INSERT meets the unique key (or,
    the cart being empty after that first checkout, looked up), so a first submission pays no
    lookup. `hours_at`: the moment the shops' opening hours are checked for (now by default; the
    demo places its story at a time of day its shops are open, whenever it is loaded).
    """
    key = (idempotency_key or "").strip()[:64]
    if not key:
        raise OrdersError(OrdersErrorCode.CART_EMPTY)
    request = _Request(key, choices or {}, expected_total_fen, gateway, hours_at)
    try:
        return _submit(resident, request)
    except IntegrityError:
        # A parallel or earlier submission with the same key committed first: its result.
        existing = _existing(resident, key)
        if existing is None:
            raise
        return existing
    except (OrdersError, InventoryError):
        # A refusal of what the cart holds now; the key may already have its checkout (the cart
        # emptied by it, or filled again since): the first result it is.
        existing = _existing(resident, key)
        if existing is None:
            raise
        return existing


def _existing(resident: User, key: str) -> Checkout | None:
    return (
        Checkout.objects.filter(resident=resident, idempotency_key=key)
        .select_related("payment")
        .first()
    )


@dataclass(frozen=True)
class _Line:
    """A cart line as checkout reads it (one row of `_CART`, no model instances)."""

    pk: int
    quantity: int
    listing_id: int
    price_fen: int
    listing_active: bool
    outlet_id: int
    product_id: int
    name: str
    spec: str
    storage: str
    volume_ml: int | None
    weight_g: int | None


_OUTLET_COLUMNS = ("name", "active", "opening_hours", "community_id", "lat", "lon")
_HOME = home_point_columns("cart__resident_id")
# The cart with what checkout needs of listing, shop and product: one statement, compiled once.
_CART = CompiledQuery(
    lambda resident_id: (
        CartLine.objects.filter(cart__resident_id=resident_id)
        .annotate(**_HOME)
        .order_by("listing__outlet_id", "listing__product_id")
        .values_list(
            "pk",
            "quantity",
            "listing_id",
            "listing__price_fen",
            "listing__active",
            "listing__outlet_id",
            "listing__product_id",
            "listing__product__name",
            "listing__product__spec",
            "listing__product__storage",
            "listing__product__volume_ml",
            "listing__product__weight_g",
            *(f"listing__outlet__{c}" for c in _OUTLET_COLUMNS),
            *_HOME,  # the same on every row
        )
    ),
    resident_id=int,
)


@dataclass
class _Cart:
    lines: list[_Line]
    outlets: dict[int, Outlet]
    home: HomePoint | None
    by_outlet: dict[int, list[_Line]] = field(default_factory=lambda: defaultdict(list))


def _read_cart(resident: User) -> _Cart:
    cart = _Cart([], {}, None)
    rows = _CART.rows(resident_id=resident.pk)
    for row in rows:
        line = _Line(*row[:12])
        cart.lines.append(line)
        cart.by_outlet[line.outlet_id].append(line)
        if line.outlet_id not in cart.outlets:
            cart.outlets[line.outlet_id] = model_build(
                Outlet, pk=line.outlet_id, **dict(zip(_OUTLET_COLUMNS, row[12:18], strict=True))
            )
    cart.home = HomePoint(*rows[0][18:]) if rows and rows[0][18] is not None else None
    return cart


@dataclass(frozen=True)
class _Request:
    key: str
    choices: dict[int, CheckoutChoice]
    expected_total_fen: int | None
    gateway: str
    hours_at: datetime | None


def _submit(resident: User, request: _Request) -> Checkout:
    cart = _read_cart(resident)
    if not cart.lines:
        raise OrdersError(OrdersErrorCode.CART_EMPTY)
    providers = _providers(cart.by_outlet, request.choices)
    at_once = checkout_at_once.usable(providers_claim=any(p.claims for p, _ in providers.values()))
    # The portable path writes in a transaction; the one statement is a transaction of its own.
    with nullcontext() if at_once else transaction.atomic():
        return _write(resident, request, cart, providers, at_once)


def _write(
    resident: User, request: _Request, cart: _Cart, providers: Providers, at_once: bool
) -> Checkout:
    lines, by_outlet, outlets = cart.lines, cart.by_outlet, cart.outlets
    key, expected_total_fen, gateway = request.key, request.expected_total_fen, request.gateway
    now = timezone.now()
    expires_at = now + timedelta(minutes=unpaid_minutes())
    total = sum(line.price_fen * line.quantity for line in lines)
    checkout = model_build(
        Checkout,
        resident=resident,
        idempotency_key=key,
        total_fen=total,
        expires_at=expires_at,
        created_at=now,
    )
    if not at_once:
        # Inserted first: the key decides between racing or repeated submissions before any
        # check or claim (the loser's IntegrityError is answered with the winner's checkout).
        insert_rows([checkout])
    local_now = timezone.localtime(request.hours_at or now)  # once: each call reads the zone
    for line in lines:
        check_quantity(line.quantity)
        _check_listing(line, outlets[line.outlet_id], local_now)
    _check_in_range(resident, outlets, cart.home)
    if expected_total_fen is not None and expected_total_fen != total:
        raise OrdersError(
            OrdersErrorCode.PRICE_CHANGED,
            actual=format_fen(total),
            expected=format_fen(expected_total_fen),
        )
    day = _day(now)
    orders, order_lines = _build_orders(checkout, resident, by_outlet, outlets, providers, now, day)
    payment_args: dict[str, Any] = {
        "payer": resident,
        "amount_fen": total,
        "subject": _subject(lines),
        "gateway": gateway,
        "handed_over": True,  # the answer carries what the resident needs to pay
    }
    if at_once:
        # reference and key name the checkout, whose id the statement draws: checked here in
        # the shape they will have, set by checkout_write
        checkout.payment = payment_new(
            reference="checkout:0", idempotency_key="checkout:0", **payment_args
        )
        checkout_at_once.checkout_write(
            checkout=checkout,
            orders=orders,
            order_lines=order_lines,
            payment=checkout.payment,
            cart_line_ids=[line.pk for line in lines],
            now=now,
            day=day,
        )
    else:
        _write_orders(orders, order_lines)
        checkout.payment = payment_create(
            reference=checkout.reference,
            idempotency_key=checkout.reference,
            new=True,  # the checkout row was inserted just now: its key cannot exist yet
            **payment_args,
        )
        update_rows(Checkout, {"payment": checkout.payment.pk}, pk=checkout.pk)
        with hot_cursor() as cursor:
            cursor.execute(
                f'DELETE FROM "{CartLine._meta.db_table}" WHERE "id" IN '
                f"({', '.join(['%s'] * len(lines))})",
                [line.pk for line in lines],
            )
            if cursor.rowcount < len(lines):  # another checkout of this cart got there first
                raise OrdersError(OrdersErrorCode.CART_CHANGED)
        # Claims last: the rows they lock (a popular product's stock, a locker) are held only
        # until the commit that follows, not through the rest of the writes.
        _claim(orders, order_lines, by_outlet, providers, resident, expires_at)
    for order in orders:
        _keep(order, "lines", order_lines[order.outlet_id])
    _keep(checkout, "orders", orders)
    return checkout


def _day(now: datetime) -> str:
    """The order numbers' day: the checkout's, in local time."""
    return f"{timezone.localdate(now):%Y%m%d}"


def _keep(instance: Any, related: str, objects: list[Any]) -> None:
    """Hand the rows just written to `instance.<related>.all()` as if prefetched, so that the
    response is built without reading them back."""
    qs = getattr(instance, related).all()
    qs._result_cache = objects
    qs._prefetch_done = True
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[related] = qs


def _check_listing(line: _Line, outlet: Outlet, local_now: datetime) -> None:
    if not line.listing_active:
        raise OrdersError(OrdersErrorCode.LISTING_UNAVAILABLE, name=line.name)
    if not outlet.active or not is_open(outlet.opening_hours, local_now):
        raise OrdersError(OrdersErrorCode.SHOP_CLOSED, shop=outlet.name)


def _check_in_range(resident: User, outlets: dict[int, Outlet], home: HomePoint | None) -> None:
    """Only shops of the resident's own 15-minute circle, measured on the street network."""
    limit = settings.LINLI_CIRCLE_MINUTES
    minutes = walk_minutes_for_user(
        user=resident, outlets=outlets.values(), minutes=limit, home=home
    )
    for outlet in outlets.values():
        walk = minutes.get(outlet.pk)
        if walk is None or walk > limit:
            raise OrdersError(OrdersErrorCode.OUT_OF_RANGE, shop=outlet.name, minutes=limit)


Providers = dict[int, tuple[fulfilment.FulfilmentProvider, CheckoutChoice]]


def _providers(by_outlet: dict[int, list[_Line]], choices: dict[int, CheckoutChoice]) -> Providers:
    """Each shop's fulfilment method (store pickup unless the resident chose another)."""
    providers = {}
    for outlet_id in by_outlet:
        choice = choices.get(outlet_id) or CheckoutChoice(outlet_id=outlet_id)
        provider = fulfilment.get(choice.method)
        if provider is None:
            raise OrdersError(OrdersErrorCode.FULFILMENT_UNKNOWN, method=choice.method)
        providers[outlet_id] = (provider, choice)
    return providers


def _build_orders(
    checkout: Checkout,
    resident: User,
    by_outlet: dict[int, list[_Line]],
    outlets: dict[int, Outlet],
    providers: Providers,
    now: datetime,
    day: str,
) -> tuple[list[Order], dict[int, list[OrderLine]]]:
    """One order per shop with its lines (unsaved). Numbered day + checkout + shop when the
    checkout has its pk (the statement written at once numbers them the same way itself)."""
    orders = []
    for n, (outlet_id, lines) in enumerate(by_outlet.items(), start=1):
        subtotal = sum(line.price_fen * line.quantity for line in lines)
        orders.append(
            model_build(
                Order,
                checkout=checkout,
                resident=resident,
                outlet=outlets[outlet_id],
                number=f"{day}{checkout.pk:06d}{n:02d}" if checkout.pk else None,
                fulfilment_method=providers[outlet_id][0].method,
                subtotal_fen=subtotal,
                total_fen=subtotal,
                pickup_code=new_pickup_code(),
                placed_at=now,
            )
        )
    order_lines: dict[int, list[OrderLine]] = {}
    for order, lines in zip(orders, by_outlet.values(), strict=True):
        order_lines[order.outlet_id] = [
            model_build(
                OrderLine,
                order=order,
                listing_id=line.listing_id,
                product_id=line.product_id,
                name=line.name,
                spec=line.spec or "",
                storage=line.storage or "ambient",
                unit_price_fen=line.price_fen,
                quantity=line.quantity,
                line_total_fen=line.price_fen * line.quantity,
            )
            for line in lines
        ]
    return orders, order_lines


def _write_orders(orders: list[Order], order_lines: dict[int, list[OrderLine]]) -> None:
    """The portable path: orders and their lines in two INSERTs. The placing needs no event row:
    the order row records it (`selectors.order_timeline` shows it; ADR 0009)."""
    insert_rows(orders)
    for order in orders:  # the lines were built before their order had a pk
        for ol in order_lines[order.outlet_id]:
            ol.order = order
    insert_rows([ol for ols in order_lines.values() for ol in ols])


def _claim(
    orders: list[Order],
    order_lines: dict[int, list[OrderLine]],
    by_outlet: dict[int, list[_Line]],
    providers: Providers,
    resident: User,
    expires_at: datetime,
) -> None:
    """What the orders need, all or nothing: each order's fulfilment (a locker compartment, a
    slot's capacity) by its provider, then the stock of every line (one conditional UPDATE each,
    in (outlet, product) order)."""
    for order, lines in zip(orders, by_outlet.values(), strict=True):
        provider, choice = providers[order.outlet_id]
        parcel = fulfilment.Parcel(
            outlet_id=order.outlet_id,
            volume_ml=sum((line.volume_ml or 0) * line.quantity for line in lines),
            weight_g=sum((line.weight_g or 0) * line.quantity for line in lines),
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
    stock_claims_create(
        requests=[
            ClaimRequest(order.outlet_id, ol.product_id, ol.quantity, ol.claim_ref)
            for order in orders
            for ol in order_lines[order.outlet_id]
        ],
        expires_at=expires_at,
    )


def _subject(lines: list[_Line]) -> str:
    first = lines[0].name
    return first if len(lines) == 1 else f"{first} 等 {len(lines)} 件商品"
