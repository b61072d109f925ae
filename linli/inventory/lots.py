"""Lot-level moves beyond receiving and selling: recall a batch, transfer stock between outlets.

Both keep the ledger invariant (every change of on_hand is one StockMovement) and the batch:
a transferred unit keeps its batch, origin and dates in a lot at the receiving outlet, so
traceability follows the goods.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from linli.accounts.models import User
from linli.inventory.errors import InventoryError, InventoryErrorCode
from linli.inventory.models import Lot, StockLevel, StockMovement
from linli.inventory.services import (
    FEFO,
    RECEIVE_MAX,
    _check_quantity,
    _lock,
    _move,
    _require_outlet,
    _write_off_expired,
)

Reason = StockMovement.Reason


@dataclass(frozen=True)
class RecallResult:
    lots: int
    written_off: int  # units taken out of stock now
    held: int  # units held by open orders: never handed over, written off once released


@transaction.atomic
def lots_recall(*, lot_ids: list[int], today: date | None = None) -> RecallResult:
    """Stop the sale of these lots at once: mark them recalled and write off every unit not held
    by an order (reason `recall`). Units held by claims stay on hand until the claim is released,
    but `stock_claims_commit` never picks a recalled lot and `stock_claim` writes them off first,
    so none is sold. Idempotent. The caller (procurement's recall) checks who may recall."""
    now = timezone.now()
    day = today or timezone.localdate()
    ids = sorted(set(lot_ids))
    Lot.objects.filter(pk__in=ids, recalled_at__isnull=True).update(recalled_at=now)
    level_ids = sorted(set(Lot.objects.filter(pk__in=ids).values_list("stock_level_id", flat=True)))
    written = 0
    for sl_id in level_ids:
        written += _write_off_expired(sl_id, today=day)
    held = sum(
        Lot.objects.filter(pk__in=ids, quantity_remaining__gt=0).values_list(
            "quantity_remaining", flat=True
        )
    )
    return RecallResult(lots=len(ids), written_off=written, held=held)


@transaction.atomic
def stock_transfer(
    *,
    actor: User | None,
    from_outlet_id: int,
    to_outlet_id: int,
    product_id: int,
    quantity: int,
    ref: str = "",
    today: date | None = None,
) -> list[Lot]:
    """Move units of a product between two outlets of one merchant (a chain's head office):
    out of the source's lots first-expiry-first (never recalled or expired ones, never below what
    orders hold), into lots with the same batch, origin and dates at the destination. Paired
    movements `transfer_out` / `transfer_in` with one ref. The actor must manage both outlets."""
    day = today or timezone.localdate()
    quantity = _check_quantity(quantity, RECEIVE_MAX)
    if from_outlet_id == to_outlet_id:
        raise InventoryError(InventoryErrorCode.TRANSFER_SAME_OUTLET)
    _require_outlet(actor, from_outlet_id)
    _require_outlet(actor, to_outlet_id)
    src_id = (
        StockLevel.objects.filter(outlet_id=from_outlet_id, product_id=product_id)
        .filter(outlet__merchant_id=F("product__merchant_id"))
        .values_list("pk", flat=True)
        .first()
    )
    if src_id is None:
        raise InventoryError(InventoryErrorCode.STOCK_NOT_FOUND)
    dst, _ = StockLevel.objects.get_or_create(outlet_id=to_outlet_id, product_id=product_id)
    if dst.outlet.merchant_id != dst.product.merchant_id:
        raise InventoryError(InventoryErrorCode.NOT_YOUR_OUTLET)
    # Lock both levels in pk order (the global lock order), then check what can leave.
    first, second = sorted((src_id, dst.pk))
    locked = {first: _lock(first), second: _lock(second)}
    src = locked[src_id]
    lots = list(
        Lot.objects.select_for_update()
        .filter(stock_level_id=src.pk, quantity_remaining__gt=0, recalled_at__isnull=True)
        .filter(Q(expiry_date__gte=day) | Q(expiry_date__isnull=True))
        .order_by(*FEFO)
    )
    movable = min(src.on_hand - src.claimed, sum(lot.quantity_remaining for lot in lots))
    if quantity > movable:
        raise InventoryError(
            InventoryErrorCode.OUT_OF_STOCK,
            product=src.product.name,
            wanted=quantity,
            left=max(0, movable),
        )
    ref = (ref or f"transfer:{from_outlet_id}>{to_outlet_id}:{timezone.now():%Y%m%d%H%M%S}")[:60]
    need = quantity
    made: list[Lot] = []
    for lot in lots:
        if need == 0:
            break
        take = min(need, lot.quantity_remaining)
        Lot.objects.filter(pk=lot.pk).update(quantity_remaining=F("quantity_remaining") - take)
        _move(src.pk, Reason.TRANSFER_OUT, -take, lot=lot, actor=actor, ref=ref)
        new = Lot.objects.create(
            stock_level=dst,
            batch_no=lot.batch_no,
            expiry_date=lot.expiry_date,
            production_date=lot.production_date,
            origin=lot.origin,
            quantity_received=take,
            quantity_remaining=take,
        )
        _move(dst.pk, Reason.TRANSFER_IN, take, lot=new, actor=actor, ref=ref)
        made.append(new)
        need -= take
    StockLevel.objects.filter(pk=src.pk).update(on_hand=F("on_hand") - quantity)
    StockLevel.objects.filter(pk=dst.pk).update(on_hand=F("on_hand") + quantity)
    return made
