"""Replenishment: forecast each product of an outlet from its sales ledger, suggest what to order,
and spot products several shops of one community need (a joint-procurement round).

Demand history is the inventory ledger (`sale` movements = units handed over), per day, for the
last `HISTORY_DAYS` days; days before a product's first stock movement are unknown (NaN), not 0.
The usual supplier of a product is the one of its latest purchase-order line (lead time from the
supplier, pack size = the supplier product's minimum order); without one, `DEFAULT_LEAD_DAYS` and
packs of 1, and no draft PO can be made for it. On order = outstanding units of draft, sent and
partly received POs. Queries are a fixed handful whatever the number of products.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import numpy as np
from django.db import transaction
from django.db.models import F, Min, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from linli.accounts.models import User
from linli.inventory.models import StockLevel, StockMovement
from linli.procurement.access import can_coordinate, require_outlet
from linli.procurement.forecast import forecast_error, order_quantity, weekday_level_forecast
from linli.procurement.models import PurchaseOrder, PurchaseOrderLine, Supplier
from linli.shops.models import Outlet

HISTORY_DAYS = 56
HORIZON = 7
DEFAULT_LEAD_DAYS = 2
REVIEW_DAYS = 7
SERVICE_LEVEL = 0.95
OPEN_PO = (
    PurchaseOrder.Status.DRAFT,
    PurchaseOrder.Status.SENT,
    PurchaseOrder.Status.PARTLY_RECEIVED,
)


@dataclass
class Line:
    stock_level_id: int
    outlet_id: int
    product_id: int
    name: str
    spec: str
    barcode: str
    on_hand: int
    claimed: int
    on_order: int = 0
    supplier_id: int | None = None
    supplier_name: str = ""
    supplier_product_id: int | None = None
    lead_days: int = DEFAULT_LEAD_DAYS
    pack_size: int = 1
    last_price_fen: int | None = None
    history: list[float] = field(default_factory=list)  # HISTORY_DAYS values, NaN unknown
    forecast: list[float] = field(default_factory=list)  # next HORIZON days
    sigma: float = 0.0
    safety: float = 0.0
    demand: float = 0.0  # over lead time + review period
    quantity: int = 0

    @property
    def key(self) -> str:
        """What makes two shops' products 'the same' for a joint round."""
        if self.supplier_product_id:
            return f"sp:{self.supplier_product_id}"
        return f"gtin:{self.barcode}" if self.barcode else f"p:{self.product_id}"


@dataclass
class Plan:
    outlet_id: int
    today: date
    days: list[date]  # history days
    lines: list[Line]
    review_days: int

    @property
    def to_order(self) -> list[Line]:
        return [x for x in self.lines if x.quantity > 0]


def _since(today: date) -> datetime:
    return timezone.make_aware(datetime.combine(today - timedelta(days=HISTORY_DAYS), time.min))


def _lines(outlet_ids: list[int]) -> list[Line]:
    rows = (
        StockLevel.objects.filter(outlet_id__in=outlet_ids, product__active=True)
        .annotate(first_move=Min("movements__created_at"))
        .values(
            "pk",
            "outlet_id",
            "product_id",
            "on_hand",
            "claimed",
            "first_move",
            name=F("product__name"),
            spec=F("product__spec"),
            barcode=F("product__barcode"),
        )
        .order_by("outlet_id", "product__name", "pk")
    )
    out = []
    for r in rows:
        line = Line(
            r["pk"],
            r["outlet_id"],
            r["product_id"],
            r["name"],
            r["spec"],
            r["barcode"],
            r["on_hand"],
            r["claimed"],
        )
        line.first_move = r["first_move"]  # type: ignore[attr-defined]
        out.append(line)
    return out


def _history(lines: list[Line], today: date) -> np.ndarray:
    """Units sold per line and day (HISTORY_DAYS days ending yesterday); one query."""
    index = {x.stock_level_id: i for i, x in enumerate(lines)}
    start = today - timedelta(days=HISTORY_DAYS)
    y = np.zeros((len(lines), HISTORY_DAYS))
    sales = (
        StockMovement.objects.filter(
            stock_level_id__in=list(index),
            reason=StockMovement.Reason.SALE,
            created_at__gte=_since(today),
            created_at__lt=timezone.make_aware(datetime.combine(today, time.min)),
        )
        .annotate(day=TruncDate("created_at"))
        .values("stock_level_id", "day")
        .annotate(n=Sum("quantity"))
    )
    for s in sales:
        col = (s["day"] - start).days
        if 0 <= col < HISTORY_DAYS:
            y[index[s["stock_level_id"]], col] = -s["n"]
    for i, x in enumerate(lines):
        first = x.first_move  # type: ignore[attr-defined]
        if first is not None:
            known_from = (timezone.localtime(first).date() - start).days
            y[i, : max(0, min(HISTORY_DAYS, known_from))] = np.nan
    return y


def _suppliers(lines: list[Line]) -> None:
    """Usual supplier (latest PO line) and on-order units; two queries."""
    pairs = {(x.outlet_id, x.product_id): x for x in lines}
    product_ids = {x.product_id for x in lines}
    latest = (
        PurchaseOrderLine.objects.filter(product_id__in=product_ids)
        .exclude(purchase_order__status=PurchaseOrder.Status.CANCELLED)
        .order_by("product_id", "-purchase_order__created_at", "-pk")
        .values(
            "product_id",
            "supplier_product_id",
            "purchase_order__outlet_id",
            "purchase_order__supplier_id",
            "purchase_order__supplier__name",
            "purchase_order__supplier__lead_time_days",
            "supplier_product__min_order_quantity",
            "unit_price_fen",
        )
    )
    by_product: dict[int, list[Line]] = defaultdict(list)
    for x in lines:
        by_product[x.product_id].append(x)
    seen: set[int] = set()
    for r in latest:
        if r["product_id"] in seen:
            continue
        seen.add(r["product_id"])
        for x in by_product[r["product_id"]]:
            x.last_price_fen = r["unit_price_fen"]
            x.supplier_id = r["purchase_order__supplier_id"]
            x.supplier_name = r["purchase_order__supplier__name"]
            x.supplier_product_id = r["supplier_product_id"]
            x.lead_days = r["purchase_order__supplier__lead_time_days"]
            x.pack_size = max(1, r["supplier_product__min_order_quantity"] or 1)
    open_lines = (
        PurchaseOrderLine.objects.filter(
            product_id__in=product_ids,
            purchase_order__outlet_id__in={x.outlet_id for x in lines},
            purchase_order__status__in=OPEN_PO,
        )
        .values("purchase_order__outlet_id", "product_id")
        .annotate(out=Sum(F("quantity_ordered") - F("quantity_received")))
    )
    for o in open_lines:
        line = pairs.get((o["purchase_order__outlet_id"], o["product_id"]))
        if line is not None:
            line.on_order = max(0, o["out"] or 0)


def _plan(outlet_ids: list[int], today: date, review_days: int) -> list[Line]:
    lines = _lines(outlet_ids)
    if not lines:
        return []
    y = _history(lines, today)
    _suppliers(lines)
    last = today - timedelta(days=1)
    horizon = max(HORIZON, max(x.lead_days for x in lines) + review_days)
    f = weekday_level_forecast(y, last_day=last, horizon=horizon)
    sigma = forecast_error(y, last_day=last)
    for i, x in enumerate(lines):
        cover = x.lead_days + review_days
        s = order_quantity(
            demand_over_interval=float(f[i, :cover].sum()),
            sigma_daily=float(sigma[i]),
            lead_days=x.lead_days,
            review_days=review_days,
            on_hand=x.on_hand,
            claimed=x.claimed,
            on_order=x.on_order,
            pack_size=x.pack_size,
            service_level=SERVICE_LEVEL,
        )
        x.history = y[i].tolist()
        x.forecast = f[i, :HORIZON].round(2).tolist()
        x.sigma, x.safety, x.demand, x.quantity = float(sigma[i]), s.safety, s.demand, s.quantity
    return lines


def reorder_plan(
    *, user: User | None, outlet_id: int, today: date | None = None, review_days: int = REVIEW_DAYS
) -> Plan:
    """Suggestions for one outlet the user manages, biggest orders first."""
    require_outlet(user, outlet_id)
    day = today or timezone.localdate()
    lines = _plan([outlet_id], day, review_days)
    lines.sort(key=lambda x: (-x.quantity, x.name))
    days = [day - timedelta(days=HISTORY_DAYS - i) for i in range(HISTORY_DAYS)]
    return Plan(outlet_id, day, days, lines, review_days)


@dataclass(frozen=True)
class JointSuggestion:
    key: str
    name: str
    supplier_product_id: int | None
    shops: int  # outlets of the community that need it, this one included
    quantity: int  # their suggested quantities together
    can_open: bool  # the user may open a round (a coordinator) and there is a supplier product


def joint_suggestions(
    *, user: User | None, outlet_id: int, today: date | None = None, plan: Plan | None = None
) -> list[JointSuggestion]:
    """Products this outlet should order that ≥ 2 shops of its community need too."""
    require_outlet(user, outlet_id)
    day = today or timezone.localdate()
    community_id = Outlet.objects.filter(pk=outlet_id).values_list("community_id", flat=True)[0]
    others = list(
        Outlet.objects.filter(community_id=community_id, active=True)
        .exclude(pk=outlet_id)
        .values_list("pk", flat=True)
    )
    mine = (
        plan.to_order if plan else reorder_plan(user=user, outlet_id=outlet_id, today=day).to_order
    )
    if not others or not mine:
        return []
    need: dict[str, list[Line]] = defaultdict(list)
    for x in _plan(others, day, REVIEW_DAYS):
        if x.quantity > 0:
            need[x.key].append(x)
    coordinator = can_coordinate(user)
    out = []
    for x in mine:
        if need.get(x.key):
            shops = {y.outlet_id for y in need[x.key]} | {x.outlet_id}
            total = x.quantity + sum(y.quantity for y in need[x.key])
            out.append(
                JointSuggestion(
                    x.key,
                    x.name,
                    x.supplier_product_id,
                    len(shops),
                    total,
                    coordinator and x.supplier_product_id is not None,
                )
            )
    return out


@transaction.atomic
def reorder_create_drafts(
    *, actor: User | None, outlet_id: int, today: date | None = None
) -> tuple[list[PurchaseOrder], list[str]]:
    """One draft PO per usual supplier with the suggested quantities (through the procurement
    service, looked up when called). Returns the POs and the products left out (no supplier)."""
    from linli.procurement.services import LineSpec, purchase_order_create_draft

    plan = reorder_plan(user=actor, outlet_id=outlet_id, today=today)
    outlet = Outlet.objects.select_related("merchant").get(pk=outlet_id)
    by_supplier: dict[int, list[Line]] = defaultdict(list)
    skipped = []
    for x in plan.to_order:
        if x.supplier_id is None:
            skipped.append(x.name)
        else:
            by_supplier[x.supplier_id].append(x)
    suppliers = Supplier.objects.in_bulk(list(by_supplier))
    pos = [
        purchase_order_create_draft(
            actor=actor,
            outlet=outlet,
            supplier=suppliers[sid],
            lines=[
                LineSpec(
                    product_id=x.product_id,
                    quantity=x.quantity,
                    supplier_product_id=x.supplier_product_id,
                    unit_price_fen=None if x.supplier_product_id else x.last_price_fen,
                )
                for x in lines
            ],
            note="reorder suggestion",
        )
        for sid, lines in sorted(by_supplier.items())
    ]
    return pos, skipped
