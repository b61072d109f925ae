"""Stock alerts for a shop: lots expiring within N days, products running low.

Low stock: available (on hand − claimed − units in expired lots) at or below a threshold. The
threshold is the listing's `low_stock_threshold` when the shop set one, else derived from sales:
the mean daily units sold over the last `SALES_DAYS` days × `COVER_DAYS` (rounded up), i.e. "less
than three days of selling left". The reorder page (procurement) has the full forecast.

Reads take the user and check the outlet (one query each); `stock_alerts_daily` is the job.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from linli.accounts.models import User
from linli.catalog.models import Listing
from linli.catalog.permissions import can_manage_outlet
from linli.core.events import publish
from linli.inventory.errors import InventoryError, InventoryErrorCode
from linli.inventory.models import Lot, StockLevel, StockMovement

EXPIRY_DAYS = 3
SALES_DAYS = 28
COVER_DAYS = 3
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LowStock:
    stock_level_id: int
    product_id: int
    name: str
    spec: str
    available: int
    threshold: int
    derived: bool  # True: from recent sales, False: set by the shop
    daily_sales: float


@dataclass(frozen=True)
class StockAlertsRaised:
    """Published by the daily job for each outlet with something to act on."""

    outlet_id: int
    expiring: int
    low: int


def _require(user: User | None, outlet_id: int) -> None:
    if not can_manage_outlet(actor=user, outlet_id=outlet_id):
        raise InventoryError(InventoryErrorCode.NOT_YOUR_OUTLET)


def _expiring(outlet_id: int, days: int, day: date) -> list[Lot]:
    lots = list(
        Lot.objects.filter(
            stock_level__outlet_id=outlet_id,
            quantity_remaining__gt=0,
            expiry_date__isnull=False,
            expiry_date__lte=day + timedelta(days=days),
        )
        .select_related("stock_level__product")
        .order_by("expiry_date", "pk")
    )
    for lot in lots:
        lot.days_left = (lot.expiry_date - day).days  # type: ignore[attr-defined,operator]
    return lots


def expiring_lots(
    *, user: User | None, outlet_id: int, days: int = EXPIRY_DAYS, today: date | None = None
) -> list[Lot]:
    """Lots with stock whose expiry date is within `days` days (already expired ones first)."""
    _require(user, outlet_id)
    return _expiring(outlet_id, days, today or timezone.localdate())


def _low(outlet_id: int, day: date) -> list[LowStock]:
    since = timezone.make_aware(datetime.combine(day - timedelta(days=SALES_DAYS), time.min))
    sold = (
        StockMovement.objects.filter(
            stock_level_id=OuterRef("pk"), reason=StockMovement.Reason.SALE, created_at__gte=since
        )
        .values("stock_level_id")
        .annotate(n=Sum("quantity"))
        .values("n")
    )
    threshold = Listing.objects.filter(
        outlet_id=OuterRef("outlet_id"), product_id=OuterRef("product_id")
    ).values("low_stock_threshold")[:1]
    rows = (
        StockLevel.objects.filter(outlet_id=outlet_id)
        .annotate(
            expired=Coalesce(
                Sum(
                    "lots__quantity_remaining",
                    filter=Q(lots__expiry_date__lt=day, lots__quantity_remaining__gt=0),
                ),
                0,
            ),
            sold=Coalesce(Subquery(sold, output_field=IntegerField()), Value(0)),
            threshold=Subquery(threshold, output_field=IntegerField()),
            name=F("product__name"),
            spec=F("product__spec"),
        )
        .filter(product__active=True)
        .values(
            "pk", "product_id", "on_hand", "claimed", "expired", "sold", "threshold", "name", "spec"
        )
    )
    out = []
    for r in rows:
        daily = -r["sold"] / SALES_DAYS
        derived = r["threshold"] is None
        limit = math.ceil(daily * COVER_DAYS - 1e-9) if derived else r["threshold"]
        available = max(0, r["on_hand"] - r["claimed"] - r["expired"])
        if limit > 0 and available <= limit:
            out.append(
                LowStock(
                    r["pk"],
                    r["product_id"],
                    r["name"],
                    r["spec"],
                    available,
                    limit,
                    derived,
                    round(daily, 2),
                )
            )
    return sorted(out, key=lambda x: (x.available - x.threshold, x.name))


def low_stock(*, user: User | None, outlet_id: int, today: date | None = None) -> list[LowStock]:
    """Products at or below their threshold, the most short first."""
    _require(user, outlet_id)
    return _low(outlet_id, today or timezone.localdate())


def alerts_for_user(
    *, user: User | None, outlet_id: int, days: int = EXPIRY_DAYS, today: date | None = None
) -> tuple[list[Lot], list[LowStock]]:
    """Both lists for the stock page: one permission check, two queries."""
    _require(user, outlet_id)
    day = today or timezone.localdate()
    return _expiring(outlet_id, days, day), _low(outlet_id, day)


def stock_alerts_daily(*, days: int = EXPIRY_DAYS, today: date | None = None) -> int:
    """The job: for each outlet with stock, publish `StockAlertsRaised` when something expires
    within `days` days or runs low. Returns the number of outlets alerted."""
    day = today or timezone.localdate()
    outlets = StockLevel.objects.values_list("outlet_id", flat=True).distinct().order_by()
    alerted = 0
    for outlet_id in sorted(set(outlets)):
        expiring = len(_expiring(outlet_id, days, day))
        low = len(_low(outlet_id, day))
        if expiring or low:
            alerted += 1
            log.info("stock alerts: outlet %s, %s lots expiring, %s low", outlet_id, expiring, low)
            publish(StockAlertsRaised(outlet_id=outlet_id, expiring=expiring, low=low))
    return alerted
