"""Shop reports: sales, margin, stock value and waste, by day, product and outlet.

Tenancy: the outlets are those `outlet_list_for_user` gives — a shop sees its own, a chain's head
office (owner/manager) all its outlets, a franchisee only its own.

- Sales: order lines of orders handed over (picked up or completed), dated by the hand-over.
- Cost: the purchase-order unit price of the lot each unit left from (the ledger's `sale`
  movement → lot → receipt line → PO line). Units from lots not received against a PO have no
  known cost; margin is over costed units (their revenue at the product's mean price that day),
  and `cost_coverage` says how much of the volume had a cost.
- Stock value: units left in lots × their PO cost (units without a cost counted apart).
- Waste: write-offs (expired, damaged, recalled), units and cost, by the same keys.

A fixed handful of queries whatever the period or the number of products.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import F, IntegerField, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from linli.accounts.models import User
from linli.catalog.models import Product
from linli.core.errors import CoreError, CoreErrorCode
from linli.inventory.models import Lot, StockMovement
from linli.orders.domain import Status
from linli.orders.models import OrderLine
from linli.shops.models import Outlet
from linli.shops.selectors import outlet_list_for_user

HANDED_OVER = [Status.PICKED_UP, Status.COMPLETED]
Reason = StockMovement.Reason
WASTE = [Reason.WRITE_OFF_EXPIRED, Reason.WRITE_OFF_DAMAGED, Reason.RECALL]
COST = "lot__receipt_line__po_line__unit_price_fen"


@dataclass
class Row:
    key: object
    label: str = ""
    units: int = 0
    revenue_fen: int = 0
    cost_fen: int = 0  # of the costed units
    costed_units: int = 0
    costed_revenue_fen: int = 0
    waste_units: int = 0
    waste_cost_fen: int = 0

    @property
    def margin_fen(self) -> int | None:
        """Revenue of the costed units − their cost (None when no unit had a cost)."""
        if not self.costed_units:
            return None
        return self.costed_revenue_fen - self.cost_fen

    @property
    def margin_pct(self) -> float | None:
        m = self.margin_fen
        if m is None or not self.costed_revenue_fen:
            return None
        return round(100 * m / self.costed_revenue_fen, 1)

    @property
    def cost_coverage(self) -> float | None:
        return round(100 * self.costed_units / self.units, 1) if self.units else None


@dataclass
class StockValue:
    outlet_id: int
    label: str
    units: int = 0
    value_fen: int = 0
    uncosted_units: int = 0


@dataclass
class Report:
    start: date
    end: date  # inclusive
    outlets: list[Outlet]
    by_day: list[Row] = field(default_factory=list)
    by_product: list[Row] = field(default_factory=list)
    by_outlet: list[Row] = field(default_factory=list)
    stock: list[StockValue] = field(default_factory=list)
    total: Row = field(default_factory=lambda: Row("total"))


def report_outlets(*, user: User, outlet_id: int | None = None) -> list[Outlet]:
    outlets = list(outlet_list_for_user(user=user).order_by("pk"))
    if outlet_id is not None:
        outlets = [o for o in outlets if o.pk == outlet_id]
        if not outlets:
            raise CoreError(CoreErrorCode.PERMISSION_DENIED)
    return outlets


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )


def sales_report(*, user: User, start: date, end: date, outlet_id: int | None = None) -> Report:
    outlets = report_outlets(user=user, outlet_id=outlet_id)
    ids = [o.pk for o in outlets]
    lo, hi = _bounds(start, end)
    report = Report(start, end, outlets)
    days: dict[date, Row] = {
        start + timedelta(days=i): Row(start + timedelta(days=i))
        for i in range((end - start).days + 1)
    }
    products: dict[int, Row] = defaultdict(lambda: Row(None))
    by_outlet = {o.pk: Row(o.pk, o.name) for o in outlets}

    fine: dict[tuple[date, int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    sales = (
        OrderLine.objects.filter(
            order__outlet_id__in=ids,
            order__status__in=HANDED_OVER,
            order__picked_up_at__gte=lo,
            order__picked_up_at__lt=hi,
        )
        .annotate(day=TruncDate("order__picked_up_at"))
        .values("day", "product_id", "order__outlet_id")
        .annotate(units=Sum("quantity"), revenue=Sum("line_total_fen"))
    )
    for s in sales:
        f = fine[(s["day"], s["product_id"], s["order__outlet_id"])]
        f["units"] += s["units"]
        f["revenue_fen"] += s["revenue"]
    moves = (
        StockMovement.objects.filter(
            stock_level__outlet_id__in=ids,
            reason__in=[Reason.SALE, *WASTE],
            created_at__gte=lo,
            created_at__lt=hi,
        )
        .annotate(day=TruncDate("created_at"), unit_cost=F(COST))
        .values("day", "reason", "stock_level__product_id", "stock_level__outlet_id")
        .annotate(
            units=Sum(-F("quantity")),
            costed=Sum(-F("quantity"), filter=Q(unit_cost__isnull=False)),
            cost=Sum(-F("quantity") * F("unit_cost"), output_field=IntegerField()),
        )
    )
    for m in moves:
        f = fine[(m["day"], m["stock_level__product_id"], m["stock_level__outlet_id"])]
        if m["reason"] == Reason.SALE:
            f["cost_fen"] += m["cost"] or 0
            f["costed_units"] += m["costed"] or 0
        else:
            f["waste_units"] += m["units"] or 0
            f["waste_cost_fen"] += m["cost"] or 0
    for (day, product_id, outlet), f in fine.items():
        # Revenue of the costed units at this product's mean price that day.
        costed = min(f["costed_units"], f["units"])
        f["costed_revenue_fen"] = round(f["revenue_fen"] * costed / f["units"]) if costed else 0
        for row in (days.get(day), products[product_id], by_outlet.get(outlet), report.total):
            if row is not None:
                for k, v in f.items():
                    setattr(row, k, getattr(row, k) + v)
    names = dict(Product.objects.filter(pk__in=list(products)).values_list("pk", "name"))
    for pid, row in products.items():
        row.key, row.label = pid, names.get(pid, str(pid))
    report.by_day = list(days.values())
    report.by_product = sorted(products.values(), key=lambda r: (-r.revenue_fen, r.label))
    report.by_outlet = list(by_outlet.values())
    report.stock = stock_value(outlets)
    return report


def stock_value(outlets: list[Outlet]) -> list[StockValue]:
    """Units in stock and their value at PO cost, per outlet (one query)."""
    out = {o.pk: StockValue(o.pk, o.name) for o in outlets}
    rows = (
        Lot.objects.filter(stock_level__outlet_id__in=list(out), quantity_remaining__gt=0)
        .annotate(unit_cost=F("receipt_line__po_line__unit_price_fen"))
        .values("stock_level__outlet_id")
        .annotate(
            units=Sum("quantity_remaining"),
            value=Sum(F("quantity_remaining") * F("unit_cost"), output_field=IntegerField()),
            uncosted=Sum("quantity_remaining", filter=Q(unit_cost__isnull=True)),
        )
    )
    for r in rows:
        v = out[r["stock_level__outlet_id"]]
        v.units, v.value_fen, v.uncosted_units = r["units"], r["value"] or 0, r["uncosted"] or 0
    return list(out.values())
