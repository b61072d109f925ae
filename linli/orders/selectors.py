"""Reads for orders, always for someone: the resident's own orders, the shop's board."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet, Sum

from linli.accounts.models import User
from linli.orders.domain import Status
from linli.orders.errors import OrdersError, OrdersErrorCode
from linli.orders.models import Cart, CartLine, Order, OrderLine
from linli.shops.selectors import outlet_list_for_user

BOARD_COLUMNS = (Status.PAID, Status.ACCEPTED, Status.READY)


def cart_lines_for(*, resident: User) -> list[CartLine]:
    """The cart with listing, product and shop in one query."""
    return list(
        CartLine.objects.filter(cart__resident=resident)
        .select_related("listing__outlet", "listing__product")
        .order_by("listing__outlet__name", "listing__outlet_id", "added_at")
    )


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
