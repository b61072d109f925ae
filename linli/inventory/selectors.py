"""Reads for inventory. Merchant-side reads take the user and check the outlet is theirs."""

from __future__ import annotations

from datetime import date

from django.db.models import Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from linli.accounts.models import User
from linli.catalog.permissions import can_manage_outlet
from linli.inventory.errors import InventoryError, InventoryErrorCode
from linli.inventory.models import Lot, StockClaim, StockLevel, StockMovement
from linli.inventory.services import FEFO


def _expired_units(day: date) -> Coalesce:
    return Coalesce(
        Sum(
            "lots__quantity_remaining",
            filter=(Q(lots__expiry_date__lt=day) | Q(lots__recalled_at__isnull=False))
            & Q(lots__quantity_remaining__gt=0),
        ),
        0,
    )


def stock_available(*, outlet_id: int, product_id: int, today: date | None = None) -> int:
    """Units a resident can order now: on_hand − claimed, less expired lots not yet written off."""
    day = today or timezone.localdate()
    row = (
        StockLevel.objects.filter(outlet_id=outlet_id, product_id=product_id)
        .annotate(expired=_expired_units(day))
        .values("on_hand", "claimed", "expired")
        .first()
    )
    if row is None:
        return 0
    return max(0, row["on_hand"] - row["claimed"] - row["expired"])


def stock_available_many(*, outlet_id: int, product_ids: list[int]) -> dict[int, int]:
    """The same for many products of one outlet (one query), e.g. to mark items sold out."""
    day = timezone.localdate()
    rows = (
        StockLevel.objects.filter(outlet_id=outlet_id, product_id__in=product_ids)
        .annotate(expired=_expired_units(day))
        .values_list("product_id", "on_hand", "claimed", "expired")
    )
    return {pid: max(0, oh - cl - ex) for pid, oh, cl, ex in rows}


def _require(user: User, outlet_id: int) -> None:
    if not can_manage_outlet(actor=user, outlet_id=outlet_id):
        raise InventoryError(InventoryErrorCode.NOT_YOUR_OUTLET)


def stock_list_for_user(
    *, user: User, outlet_id: int, today: date | None = None
) -> list[StockLevel]:
    """An outlet's stock with `expired` (units in expired lots not yet written off), `sellable`
    (what `stock_available` says), `next_expiry` and `days_left`."""
    _require(user, outlet_id)
    day = today or timezone.localdate()
    qs = (
        StockLevel.objects.filter(outlet_id=outlet_id)
        .select_related("product", "product__category")
        .annotate(
            expired=_expired_units(day),
            next_expiry=Min("lots__expiry_date", filter=Q(lots__quantity_remaining__gt=0)),
        )
        .order_by("product__category__sort", "product__name")
    )
    rows: list[StockLevel] = list(qs)
    for sl in rows:
        sl.days_left = (sl.next_expiry - day).days if sl.next_expiry else None  # type: ignore[attr-defined]
        sl.sellable = max(0, sl.on_hand - sl.claimed - sl.expired)  # type: ignore[attr-defined]
    return rows


def stock_level_get_for_user(*, user: User, stock_level_id: int) -> StockLevel:
    sl = StockLevel.objects.select_related("product", "outlet").filter(pk=stock_level_id).first()
    if sl is None:
        raise InventoryError(InventoryErrorCode.STOCK_NOT_FOUND)
    _require(user, sl.outlet_id)
    return sl


def lot_get_for_user(*, user: User, lot_id: int) -> Lot:
    lot = Lot.objects.select_related("stock_level__product").filter(pk=lot_id).first()
    if lot is None:
        raise InventoryError(InventoryErrorCode.LOT_NOT_FOUND)
    _require(user, lot.stock_level.outlet_id)
    return lot


def lots_for_stock(
    *, user: User, stock_level: StockLevel, include_empty: bool = False, today: date | None = None
) -> list[Lot]:
    """Lots in first-expiry-first-out order, each with `days_left` (negative: expired)."""
    _require(user, stock_level.outlet_id)
    day = today or timezone.localdate()
    qs = Lot.objects.filter(stock_level=stock_level)
    if not include_empty:
        qs = qs.filter(quantity_remaining__gt=0)
    lots = list(qs.order_by(*FEFO))
    for lot in lots:
        lot.days_left = (lot.expiry_date - day).days if lot.expiry_date else None  # type: ignore[attr-defined]
    return lots


def lots_for_outlet(*, user: User, outlet_id: int, today: date | None = None) -> list[Lot]:
    """Every lot with stock at an outlet, soonest expiry first (the shop's expiry watch list)."""
    _require(user, outlet_id)
    day = today or timezone.localdate()
    lots = list(
        Lot.objects.filter(stock_level__outlet_id=outlet_id, quantity_remaining__gt=0)
        .select_related("stock_level__product")
        .order_by(*FEFO)
    )
    for lot in lots:
        lot.days_left = (lot.expiry_date - day).days if lot.expiry_date else None  # type: ignore[attr-defined]
    return lots


def movements_for_stock(
    *, user: User, stock_level: StockLevel, limit: int = 100
) -> QuerySet[StockMovement]:
    _require(user, stock_level.outlet_id)
    return (
        StockMovement.objects.filter(stock_level=stock_level)
        .select_related("lot", "actor")
        .order_by("-created_at", "-pk")[:limit]
    )


def movements_for_outlet(*, user: User, outlet_id: int, limit: int = 50) -> QuerySet[StockMovement]:
    _require(user, outlet_id)
    return (
        StockMovement.objects.filter(stock_level__outlet_id=outlet_id)
        .select_related("lot", "actor", "stock_level__product")
        .order_by("-created_at", "-pk")[:limit]
    )


def claims_for_refs(*, refs: list[str]) -> QuerySet[StockClaim]:
    """For orders: the claims behind its lines (all statuses)."""
    return StockClaim.objects.filter(ref__in=refs).order_by("pk")
