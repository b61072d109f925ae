"""Checkout's writes as one PostgreSQL statement (ADR 0007).

Once the cart is read and checked, a checkout whose orders claim no fulfilment capacity (store
pickup) is written on PostgreSQL by a single statement of data-modifying CTEs:

  checkout id (drawn first: the payment's reference names it) → payment → checkout (its unique
  key decides between repeated submissions before anything else is written) → one order per shop
  → their lines → the cart lines deleted → the stock claimed
  (`inventory.claim_cte`: locked in id order, one conditional UPDATE, one claim row per line).

One round trip and one prepared plan instead of ten statements, each with its own round trip,
executor start and Python wrapper. Nothing differs in what is written: the portable path in
`checkout.py` writes the same rows on SQLite, and for lockers and delivery slots, whose providers
claim capacity in statements of their own.

The statement runs without BEGIN and COMMIT of its own (two round trips fewer): a line that
cannot be had (`claim_guard`), or cart lines another checkout of the same cart deleted first
(`CART_TAKEN`), make it abort through `linli_refuse`, so nothing at all is written.
"""

from __future__ import annotations

import functools
import json
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import DatabaseError, connections, router, transaction

from linli.core.sql import InsertSelect, Positional, hot_cursor
from linli.inventory.claim_cte import (
    claim_ctes,
    claim_guard,
    claim_params,
    claim_refusal,
    refusal_reason,
)
from linli.orders.domain import Status
from linli.orders.errors import OrdersError, OrdersErrorCode
from linli.orders.models import CartLine, Checkout, Order, OrderLine
from linli.payments.models import Payment


def usable(providers_claim: bool) -> bool:
    """Only on PostgreSQL, and only when no order's fulfilment claims capacity of its own."""
    return not providers_claim and connections[router.db_for_write(Checkout)].vendor == "postgresql"


def _pad(expr: str, width: int) -> str:
    """`expr` as text, zero-padded to `width` but never cut (Python's `:0{width}d`)."""
    return f"lpad(({expr})::text, greatest({width}, length(({expr})::text)), '0')"


CART_TAKEN = "cart_taken"  # linli_refuse's reason when fewer cart lines were deleted than read


@dataclass(frozen=True)
class _Statement:
    sql: Positional
    parts: tuple[InsertSelect, ...]  # their default-valued columns are parameters


@functools.cache
def _statement() -> _Statement:
    payment = InsertSelect(
        Payment,
        source="checkout_id",
        exprs={
            "payer": "%(resident)s",
            "gateway": "%(gateway)s",
            "amount_fen": "%(total)s",
            "status": "%(payment_status)s",
            "out_trade_no": "%(out_trade_no)s",
            "reference": "'checkout:' || checkout_id.id",
            "subject": "%(subject)s",
            "idempotency_key": "'checkout:' || checkout_id.id",
            "created_at": "%(now)s",
            "updated_at": "%(now)s",
        },
    )
    checkout = InsertSelect(
        Checkout,
        source="checkout_id, new_payment",
        exprs={
            "id": "checkout_id.id",
            "resident": "%(resident)s",
            "idempotency_key": "%(key)s",
            "total_fen": "%(total)s",
            "payment": "new_payment.id",
            "created_at": "%(now)s",
            "expires_at": "%(expires_at)s",
        },
    )
    orders = InsertSelect(
        Order,
        source="new_checkout, order_src",
        exprs={
            "checkout": "new_checkout.id",
            "resident": "%(resident)s",
            "outlet": "order_src.outlet_id",
            # day + checkout + shop, as the portable path numbers them
            "number": f"%(day)s || {_pad('new_checkout.id', 6)} || {_pad('order_src.n', 2)}",
            "status": f"'{Status.PLACED.value}'",
            "fulfilment_method": "order_src.method",
            "subtotal_fen": "order_src.subtotal",
            "total_fen": "order_src.subtotal",
            "pickup_code": "order_src.code",
            "placed_at": "%(now)s",
        },
        returning=("id", "outlet_id", "number"),
    )
    lines = InsertSelect(
        OrderLine,
        source="line_src JOIN new_orders ON new_orders.outlet_id = line_src.outlet_id",
        exprs={
            "order": "new_orders.id",
            "listing": "line_src.listing_id",
            "product_id": "line_src.product_id",
            "name": "line_src.name",
            "spec": "line_src.spec",
            "storage": "line_src.storage",
            "unit_price_fen": "line_src.price",
            "quantity": "line_src.quantity",
            "line_total_fen": "line_src.price * line_src.quantity",
        },
        returning=("id", "order_id", "listing_id", "product_id", "quantity"),
    )
    sql = (
        "WITH checkout_id AS MATERIALIZED (SELECT nextval(pg_get_serial_sequence("
        f"'{Checkout._meta.db_table}', 'id')) AS id), "
        f"new_payment AS ({payment.sql()}), "
        f"new_checkout AS ({checkout.sql()}), "
        # orders and lines come as JSON: one parameter each, however many there are
        "order_src AS (SELECT * FROM json_to_recordset(%(orders)s::json) "
        "AS u(n int, outlet_id bigint, method text, subtotal bigint, code text)), "
        f"new_orders AS ({orders.sql()}), "
        "line_src AS (SELECT * FROM json_to_recordset(%(lines)s::json) AS u(outlet_id bigint, "
        "listing_id bigint, product_id bigint, name text, spec text, storage text, "
        "price bigint, quantity bigint)), "
        f"new_lines AS ({lines.sql()}), "
        f'cart_emptied AS (DELETE FROM "{CartLine._meta.db_table}" '
        "WHERE id = ANY(%(cart_lines)s::bigint[]) RETURNING id), "
        "claim_src AS (SELECT new_orders.outlet_id, new_lines.product_id, new_lines.quantity, "
        "'order-line:' || new_lines.id AS ref "
        "FROM new_lines JOIN new_orders ON new_orders.id = new_lines.order_id), "
        f"{claim_ctes('claim_src')} "
        "SELECT 'checkout', id, 0::bigint, '' FROM new_checkout "
        "UNION ALL SELECT 'payment', id, 0, '' FROM new_payment "
        "UNION ALL SELECT 'order', id, outlet_id, number FROM new_orders "
        "UNION ALL SELECT 'line', id, listing_id, '' FROM new_lines "
        # lines another checkout deleted first (the same cart, another key): place nothing
        f"UNION ALL SELECT 'refused', linli_refuse('{CART_TAKEN}'), 0, '' "
        "WHERE (SELECT count(*) FROM cart_emptied) < %(cart_line_count)s "
        f"UNION ALL {claim_guard('claim_src')}"
    )
    return _Statement(Positional(sql), (payment, checkout, orders, lines))


def checkout_write(
    *,
    checkout: Checkout,
    orders: list[Order],
    order_lines: dict[int, list[OrderLine]],
    payment: Payment,
    cart_line_ids: list[int],
    now: datetime,
    day: str,
) -> None:
    """Write the checkout, its payment, orders and lines, empty the cart and claim the
    stock, in one statement, all or nothing. Sets the pks (and order numbers) on the objects
    given. Raises OUT_OF_STOCK (nothing written) for the first line that cannot be had, and
    IntegrityError when the checkout's key is taken."""
    statement = _statement()
    every_line = [ol for o in orders for ol in order_lines[o.outlet_id]]
    params: dict[str, Any] = {}
    for part in statement.parts:
        params.update(part.params())
    params.update(claim_params(checkout.expires_at, now))
    params.update(
        resident=checkout.resident_id,
        key=checkout.idempotency_key,
        total=checkout.total_fen,
        expires_at=checkout.expires_at,
        now=now,
        day=day,
        gateway=payment.gateway,
        payment_status=payment.status,
        out_trade_no=payment.out_trade_no,
        subject=payment.subject,
        orders=json.dumps(
            [
                {
                    "n": n,
                    "outlet_id": o.outlet_id,
                    "method": o.fulfilment_method,
                    "subtotal": o.subtotal_fen,
                    "code": o.pickup_code,
                }
                for n, o in enumerate(orders, start=1)
            ]
        ),
        lines=json.dumps(
            [
                {
                    "outlet_id": ol.order.outlet_id,
                    "listing_id": ol.listing_id,
                    "product_id": ol.product_id,
                    "name": ol.name,
                    "spec": ol.spec,
                    "storage": ol.storage,
                    "price": ol.unit_price_fen,
                    "quantity": ol.quantity,
                }
                for ol in every_line
            ],
            ensure_ascii=False,
        ),
        cart_lines=cart_line_ids,
        cart_line_count=len(cart_line_ids),
    )
    alias = router.db_for_write(Checkout)
    # On its own the statement is its own transaction; inside a caller's, a savepoint keeps that
    # one usable should the statement be refused.
    inside = connections[alias].in_atomic_block
    try:
        with (
            transaction.atomic(using=alias) if inside else nullcontext(),
            hot_cursor(alias, raw=True) as cursor,
        ):
            cursor.execute(statement.sql.sql, statement.sql.params(params))
            rows = cursor.fetchall()
    except DatabaseError as e:
        if refusal_reason(e) == CART_TAKEN:
            raise OrdersError(OrdersErrorCode.CART_CHANGED) from None
        refusal = claim_refusal(e)
        if refusal is None:
            raise
        raise refusal from None
    by_outlet = {o.outlet_id: o for o in orders}
    by_listing = {ol.listing_id: ol for ol in every_line}
    for kind, pk, key, text in rows:
        if kind == "checkout":
            checkout.pk = pk
        elif kind == "payment":
            payment.pk = pk
        elif kind == "order":
            by_outlet[key].pk, by_outlet[key].number = pk, text
        elif kind == "line":
            by_listing[key].pk = pk
    payment.reference = payment.idempotency_key = checkout.reference
    payment.created_at = payment.updated_at = now
    # relations set while the rows had no pks: set again for their ids
    checkout.payment = payment
    for order in orders:
        order.checkout = checkout
        for ol in order_lines[order.outlet_id]:
            ol.order = order
    for obj in (checkout, payment, *orders, *every_line):
        obj._state.adding = False
        obj._state.db = alias
