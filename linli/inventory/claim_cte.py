"""Stock claims as part of a caller's single PostgreSQL statement (checkout's writes at once).

The same rule as `services._claim_sql` (`stale_units_sql`), for many lines in one go: `claimed`
goes up only where `on_hand - claimed - units of expired or recalled lots >= quantity`, and a
claim row is written for each line that got its units. Rows are locked first, in stock level id
order (the order releases and hand-overs use), so two checkouts never wait on each other
crosswise.

The caller's statement must define a relation `<source>(outlet_id, product_id, quantity, ref)`;
these CTEs follow it and leave `stock_claimed(id, ref, stock_level_id)`, one row per line that was
claimed. `claim_guard(source)` is a branch for the caller's final SELECT that aborts the whole
statement when a line got nothing (`linli_refuse`, migration 0004: SQLSTATE LL409), so the
statement can run on its own, without a transaction to roll back; `claim_refusal` turns that
error into OUT_OF_STOCK for the first such line in (outlet, product) order.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import DatabaseError
from django.utils import timezone

from linli.core.sql import InsertSelect
from linli.inventory.errors import InventoryError
from linli.inventory.models import StockClaim, StockLevel
from linli.inventory.services import stale_units_sql, stock_shortfall

ACTIVE = StockClaim.Status.ACTIVE.value
REFUSED = "LL409"  # linli_refuse's SQLSTATE


# The claim rows, from the stock levels the UPDATE below took units from.
_INSERT = InsertSelect(
    StockClaim,
    source="stock_taken",
    exprs={
        "stock_level": "stock_taken.id",
        "quantity": "stock_taken.quantity",
        "ref": "stock_taken.ref",
        "expires_at": "%(claim_expires_at)s",
        "status": f"'{ACTIVE}'",
        "created_at": "%(claim_now)s",
    },
    returning=('"id"', '"ref"', '"stock_level_id"'),
)


def claim_ctes(source: str) -> str:
    """The CTEs (without the leading WITH, to follow the caller's own) that claim `source`."""
    sl = StockLevel._meta.db_table
    stale = stale_units_sql("s", "%(claim_day)s")
    return (
        f"stock_locked AS (SELECT s.id FROM {sl} s JOIN {source} r"
        " ON s.outlet_id = r.outlet_id AND s.product_id = r.product_id"
        " ORDER BY s.id FOR UPDATE OF s), "
        f"stock_taken AS (UPDATE {sl} s SET claimed = s.claimed + r.quantity FROM {source} r"
        " WHERE s.id IN (SELECT id FROM stock_locked)"
        " AND s.outlet_id = r.outlet_id AND s.product_id = r.product_id"
        f" AND s.on_hand - s.claimed - {stale} >= r.quantity"
        " RETURNING s.id, r.ref, r.quantity), "
        f"stock_claimed AS ({_INSERT.sql()})"
    )


def claim_guard(source: str) -> str:
    """`SELECT <kind>, <id>, <key>, <text>` that raises LL409 ("short:outlet:product:quantity")
    for the first line of `source` without a claim, and returns no row otherwise."""
    return (
        "SELECT 'refused', linli_refuse(short.reason), 0::bigint, '' FROM ("
        "SELECT 'short:' || r.outlet_id || ':' || r.product_id || ':' || r.quantity AS reason"
        f" FROM {source} r WHERE r.ref NOT IN (SELECT ref FROM stock_claimed)"
        " ORDER BY r.outlet_id, r.product_id LIMIT 1) short"
    )


def refusal_reason(error: DatabaseError) -> str | None:
    """The reason a statement gave `linli_refuse`, or None for any other error."""
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) != REFUSED:
        return None
    return str(getattr(getattr(cause, "diag", None), "message_primary", "") or "")


def claim_refusal(error: DatabaseError) -> InventoryError | None:
    """OUT_OF_STOCK for a statement that `claim_guard` aborted; None for any other error."""
    reason = refusal_reason(error) or ""
    if not reason.startswith("short:"):
        return None
    _kind, outlet_id, product_id, quantity = reason.split(":")
    return stock_shortfall(int(outlet_id), int(product_id), int(quantity))


def claim_params(expires_at: datetime, now: datetime) -> dict[str, Any]:
    return {
        **_INSERT.params(),
        "claim_expires_at": expires_at,
        "claim_now": now,
        "claim_day": timezone.localdate(now),
    }
