"""Reads for orders, always for someone: the resident's own orders, the shop's board."""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from django.db import router
from django.db.models import Prefetch, QuerySet, Sum

from linli.accounts.models import User
from linli.catalog.models import Listing, Product
from linli.core.sql import hot_cursor
from linli.orders.domain import Status
from linli.orders.errors import OrdersError, OrdersErrorCode
from linli.orders.models import Cart, CartLine, Order, OrderEvent, OrderLine
from linli.shops.models import Outlet
from linli.shops.selectors import outlet_list_for_user

BOARD_COLUMNS = (Status.PAID, Status.ACCEPTED, Status.READY)


def cart_lines_for(*, resident: User) -> list[CartLine]:
    """The cart with listing, product and shop in one query, as model instances (the cart page
    needs whole products and outlets). The API reads `cart_rows_for` instead."""
    return list(
        CartLine.objects.filter(cart__resident=resident)
        .select_related("listing__outlet", "listing__product")
        .order_by("listing__outlet__name", "listing__outlet_id", "added_at")
    )


class CartRow(NamedTuple):
    listing_id: int
    quantity: int
    outlet_id: int
    outlet: str
    product: str
    spec: str
    storage: str
    price_fen: int


@cache
def _cart_rows_sql() -> str:
    # Hand-written because it is on every cart request: the ORM spent ~0.7 ms building and
    # compiling this join, and the cart found by a scalar subquery (rather than a join) halves
    # PostgreSQL's planning. Portable (SQLite, PostgreSQL); ints and strings need no converters.
    cl, c = CartLine._meta.db_table, Cart._meta.db_table
    li, o, p = Listing._meta.db_table, Outlet._meta.db_table, Product._meta.db_table
    return (
        'SELECT cl."listing_id", cl."quantity", li."outlet_id", o."name", p."name", p."spec",'
        f' p."storage", li."price_fen" FROM "{cl}" cl'
        f' INNER JOIN "{li}" li ON li."id" = cl."listing_id"'
        f' INNER JOIN "{o}" o ON o."id" = li."outlet_id"'
        f' INNER JOIN "{p}" p ON p."id" = li."product_id"'
        f' WHERE cl."cart_id" = (SELECT c."id" FROM "{c}" c WHERE c."resident_id" = %s)'
        ' ORDER BY o."name", li."outlet_id", cl."added_at", cl."id"'
    )


def cart_rows_for(*, resident: User) -> list[CartRow]:
    """The resident's cart lines with only what the API shows, by shop: one statement."""
    with hot_cursor(router.db_for_read(CartLine)) as cursor:
        cursor.execute(_cart_rows_sql(), [resident.pk])
        return [CartRow(*row) for row in cursor.fetchall()]


def cart_count(*, resident: User) -> int:
    """Units in the cart, as the badge on the cart icon shows them."""
    total = CartLine.objects.filter(cart__resident=resident).aggregate(n=Sum("quantity"))["n"]
    return int(total or 0)


def order_list_for_resident(*, resident: User, limit: int = 50) -> QuerySet[Order]:
    return (
        Order.objects.filter(resident=resident)
        .select_related("outlet")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("pk")))
        .order_by("-placed_at", "-pk")[:limit]
    )


def order_get_for_resident(*, resident: User, order_id: int) -> Order:
    order = (
        Order.objects.filter(pk=order_id, resident=resident)
        .select_related("outlet", "checkout__payment")
        .prefetch_related("lines", "events")
        .first()
    )
    if order is None:
        raise OrdersError(OrdersErrorCode.ORDER_NOT_FOUND)
    return order


def order_board_for_shop(*, actor: User, outlet_id: int | None = None) -> dict[str, list[Order]]:
    """Open orders of the actor's outlets by column (new → accepted → ready), oldest first."""
    outlets = outlet_list_for_user(user=actor)
    if outlet_id is not None:
        outlets = outlets.filter(pk=outlet_id)
    orders = (
        Order.objects.filter(outlet__in=outlets, status__in=BOARD_COLUMNS)
        .select_related("outlet", "resident")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("pk")))
        .order_by("placed_at", "pk")
    )
    board: dict[str, list[Order]] = {s.value: [] for s in BOARD_COLUMNS}
    for order in orders:
        board[order.status].append(order)
    return board


def order_get_for_shop(*, actor: User, order_id: int) -> Order:
    order = (
        Order.objects.filter(pk=order_id, outlet__in=outlet_list_for_user(user=actor))
        .select_related("outlet", "resident")
        .prefetch_related("lines", "events")
        .first()
    )
    if order is None:
        raise OrdersError(OrdersErrorCode.ORDER_NOT_FOUND)
    return order


def cart_get_or_none(*, resident: User) -> Cart | None:
    return Cart.objects.filter(resident=resident).first()


def order_timeline(order: Order) -> list[OrderEvent]:
    """The order's history as residents and shops see it, oldest first: its placing, then every
    status change (`order.events`, prefetched by the order getters).

    The placing is the order row itself (placed at, by its resident), so no event row is
    written for it at checkout (ADR 0009); it is shown from the row. Orders placed before that
    kept their stored "placed" event, shown once."""
    events = list(order.events.all())
    if events and events[0].target == Status.PLACED:
        return events
    placed = OrderEvent(
        order=order,
        source="",
        target=Status.PLACED,
        actor_kind="resident",
        actor_id=order.resident_id,
        at=order.placed_at,
    )
    return [placed, *events]
