"""One cart over every shop of the resident's 15-minute circle."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connections, router
from django.utils import timezone

from linli.accounts.models import User
from linli.catalog.models import Listing
from linli.core.sql import hot_cursor
from linli.orders.errors import OrdersError, OrdersErrorCode
from linli.orders.models import Cart, CartLine
from linli.shops.models import Outlet


def max_quantity() -> int:
    return int(getattr(settings, "LINLI_MAX_LINE_QUANTITY", 99))


def check_quantity(quantity: int) -> None:
    if not isinstance(quantity, int) or not 1 <= quantity <= max_quantity():
        raise OrdersError(OrdersErrorCode.INVALID_QUANTITY, max=max_quantity())


@cache
def _upsert_sql(add: bool) -> str:
    """Set the line only if the listing is sold by an open outlet and the cart exists; returns the
    line's id, the cart's id and the quantity now in the cart, or no row. `add`: the quantity is
    added to what the line holds, in the same statement (two taps at once both count), and only
    while the sum stays within the limit (the last parameter). Portable: SQLite ≥ 3.35 and
    PostgreSQL (SQLite wants the WHERE before ON CONFLICT, which this has)."""
    cl, c = CartLine._meta.db_table, Cart._meta.db_table
    li, o = Listing._meta.db_table, Outlet._meta.db_table
    on_conflict = (
        f'"quantity" = "{cl}"."quantity" + EXCLUDED."quantity"'
        f' WHERE "{cl}"."quantity" + EXCLUDED."quantity" <= %s'
        if add
        else '"quantity" = EXCLUDED."quantity"'
    )
    return (
        f'INSERT INTO "{cl}" ("cart_id", "listing_id", "quantity", "added_at")'
        f' SELECT c."id", li."id", %s, %s FROM "{li}" li'
        f' INNER JOIN "{o}" o ON o."id" = li."outlet_id"'
        f' INNER JOIN "{c}" c ON c."resident_id" = %s'
        ' WHERE li."id" = %s AND li."active" AND o."active"'
        f' ON CONFLICT ("cart_id", "listing_id") DO UPDATE SET {on_conflict}'
        ' RETURNING "id", "cart_id", "quantity"'
    )


@cache
def _cart_create_sql() -> str:
    c = Cart._meta.db_table
    return (
        f'INSERT INTO "{c}" ("resident_id", "updated_at") VALUES (%s, %s)'
        ' ON CONFLICT ("resident_id") DO NOTHING'
    )


@cache
def _line_delete_sql() -> str:
    cl, c = CartLine._meta.db_table, Cart._meta.db_table
    return (
        f'DELETE FROM "{cl}" WHERE "listing_id" = %s'
        f' AND "cart_id" = (SELECT c."id" FROM "{c}" c WHERE c."resident_id" = %s)'
    )


def _write(sql: str, params: Sequence[Any]) -> tuple[int, ...] | None:
    """One statement, in the caller's transaction if there is one, else committed on its own:
    no BEGIN/COMMIT round trips (`bulk_create` and `delete()` add them). Its first row, if any."""
    connection = connections[router.db_for_write(CartLine)]
    with hot_cursor(connection.alias) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() if cursor.description else None


def _now() -> Any:
    return connections[router.db_for_write(CartLine)].ops.adapt_datetimefield_value(timezone.now())


def _upsert(
    *, resident_id: int, listing_id: int, quantity: int, add: bool
) -> tuple[int, int, int] | None:
    params = [quantity, _now(), resident_id, listing_id] + ([max_quantity()] if add else [])
    row = _write(_upsert_sql(add), params)
    return (row[0], row[1], row[2]) if row else None


def _raise_unavailable(listing_id: int) -> None:
    """Why the upsert set nothing, if it was the listing: gone, delisted or its shop closed."""
    row = (
        Listing.objects.filter(pk=listing_id)
        .values_list("active", "outlet__active", "product__name")
        .first()
    )
    if row is None:
        raise OrdersError(OrdersErrorCode.LISTING_UNAVAILABLE, name=str(listing_id))
    active, outlet_active, name = row
    if not (active and outlet_active):
        raise OrdersError(OrdersErrorCode.LISTING_UNAVAILABLE, name=name)


def cart_line_set(*, resident: User, listing_id: int, quantity: int) -> CartLine | None:
    """Put `quantity` of a listing in the cart (0 removes it). Stock is claimed at checkout.

    One statement when the cart exists: INSERT … SELECT from the listing joined to its outlet
    and the resident's cart, WHERE both are active, ON CONFLICT (cart, listing) DO UPDATE SET
    quantity. No row back means an unavailable listing (read again for the message) or no cart
    yet: the cart is then made with INSERT … ON CONFLICT DO NOTHING (a concurrent request may
    make it first) and the upsert repeated. No transaction needed."""
    if quantity == 0:
        cart_line_remove(resident=resident, listing_id=listing_id)
        return None
    check_quantity(quantity)
    return _put(resident, listing_id, quantity, add=False)


def cart_line_add(*, resident: User, listing_id: int, quantity: int = 1) -> CartLine:
    """The shop page's "加入购物车": add to what is already in the cart, within the line limit.

    The same single statement as `cart_line_set`, adding in the database: two taps at the same
    moment make two more, never one (a read-then-set would lose one)."""
    check_quantity(quantity)
    return _put(resident, listing_id, quantity, add=True)


def _put(resident: User, listing_id: int, quantity: int, *, add: bool) -> CartLine:
    """The upsert; no row back means the listing is unavailable, the line would pass the limit
    (`add`), or the resident has no cart yet: then the cart is made and the upsert tried again
    (a listing delisted, a shop closed or a line filled up in between is caught the same way)."""
    for attempt in range(2):
        got = _upsert(resident_id=resident.pk, listing_id=listing_id, quantity=quantity, add=add)
        if got is not None:
            line_id, cart_id, now_in_cart = got
            return CartLine(
                pk=line_id, cart_id=cart_id, listing_id=listing_id, quantity=now_in_cart
            )
        _raise_unavailable(listing_id)
        if add and _over_limit(resident, listing_id, quantity):
            raise OrdersError(OrdersErrorCode.INVALID_QUANTITY, max=max_quantity())
        if attempt == 0:
            _write(_cart_create_sql(), [resident.pk, _now()])
    raise OrdersError(OrdersErrorCode.LISTING_UNAVAILABLE, name=str(listing_id))


def _over_limit(resident: User, listing_id: int, quantity: int) -> bool:
    current = (
        CartLine.objects.filter(cart__resident=resident, listing_id=listing_id)
        .values_list("quantity", flat=True)
        .first()
    )
    return current is not None and current + quantity > max_quantity()


def cart_line_remove(*, resident: User, listing_id: int) -> None:
    _write(_line_delete_sql(), [listing_id, resident.pk])


def cart_clear(*, resident: User, outlet_ids: list[int] | None = None) -> None:
    lines = CartLine.objects.filter(cart__resident=resident)
    if outlet_ids is not None:
        lines = lines.filter(listing__outlet_id__in=outlet_ids)
    lines.delete()
