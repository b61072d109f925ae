"""Stock claims as part of a caller's single PostgreSQL statement (checkout's writes at once).

The same rule as `services._claim_sql`, for many lines in one go: `claimed` goes up only where
`on_hand - claimed - units of expired or recalled lots >= quantity`, and a claim row is written for
each line that got its units. Rows are locked first, in stock level id order (the order releases
and hand-overs use), so two checkouts never wait on each other crosswise.

The caller's statement must define a relation `<source>(outlet_id, product_id, quantity, ref)`;
these CTEs follow it and leave `stock_claimed(id, ref, stock_level_id)`, one row per line that was
claimed. Fewer rows than lines means a shortfall: the caller rolls its transaction back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from linli.core.sql import InsertSelect
from linli.inventory.models import Lot, StockClaim, StockLevel

ACTIVE = StockClaim.Status.ACTIVE.value


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
    sl, lot = StockLevel._meta.db_table, Lot._meta.db_table
    return (
        f"stock_locked AS (SELECT s.id FROM {sl} s JOIN {source} r"
        " ON s.outlet_id = r.outlet_id AND s.product_id = r.product_id"
        " ORDER BY s.id FOR UPDATE OF s), "
        f"stock_taken AS (UPDATE {sl} s SET claimed = s.claimed + r.quantity FROM {source} r"
        " WHERE s.id IN (SELECT id FROM stock_locked)"
        " AND s.outlet_id = r.outlet_id AND s.product_id = r.product_id"
        " AND s.on_hand - s.claimed - COALESCE((SELECT SUM(l.quantity_remaining)"
        f" FROM {lot} l WHERE l.stock_level_id = s.id AND l.quantity_remaining > 0"
        " AND (l.expiry_date < %(claim_day)s OR l.recalled_at IS NOT NULL)), 0) >= r.quantity"
        " RETURNING s.id, r.ref, r.quantity), "
        f"stock_claimed AS ({_INSERT.sql()})"
    )


def claim_params(expires_at: datetime, now: datetime) -> dict[str, Any]:
    return {
        **_INSERT.params(),
        "claim_expires_at": expires_at,
        "claim_now": now,
        "claim_day": timezone.localdate(now),
    }
