"""Inventory API for merchants: stock and lots of my outlet, receive, write off, count. Tenancy."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from linli.accounts.models import User
from linli.catalog.models import Product
from linli.inventory import selectors, services
from linli.inventory.errors import InventoryError, InventoryErrorCode
from linli.inventory.models import Lot, StockMovement
from linli.inventory.schemas import CountIn, LotOut, MovementOut, ReceiveIn, StockOut, WriteOffIn
from linli.shops.models import Outlet

router = Router(tags=["inventory"])


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def lot_out(lot: Lot) -> LotOut:
    sl = lot.stock_level
    return LotOut(
        id=lot.pk,
        stock_level_id=lot.stock_level_id,
        product_id=sl.product_id,
        batch_no=lot.batch_no,
        expiry_date=lot.expiry_date,
        production_date=lot.production_date,
        origin=lot.origin,
        received_at=lot.received_at,
        quantity_received=lot.quantity_received,
        quantity_remaining=lot.quantity_remaining,
        days_left=getattr(lot, "days_left", None),
    )


def movement_out(m: StockMovement) -> MovementOut:
    return MovementOut(
        id=m.pk,
        reason=m.reason,
        quantity=m.quantity,
        lot_id=m.lot_id,
        batch_no=m.lot.batch_no if m.lot else None,
        ref=m.ref,
        actor=m.actor.display_name if m.actor else None,
        created_at=m.created_at,
    )


@router.get("/outlets/{outlet_id}/stock", response=list[StockOut])
def stock(request: HttpRequest, outlet_id: int) -> list[StockOut]:
    rows = selectors.stock_list_for_user(user=_user(request), outlet_id=outlet_id)
    return [
        StockOut(
            id=sl.pk,
            product_id=sl.product_id,
            product=str(sl.product),
            storage=sl.product.storage,
            on_hand=sl.on_hand,
            claimed=sl.claimed,
            available=sl.sellable,  # type: ignore[attr-defined]
            expired=sl.expired,  # type: ignore[attr-defined]
            next_expiry=sl.next_expiry,  # type: ignore[attr-defined]
            days_left=sl.days_left,  # type: ignore[attr-defined]
        )
        for sl in rows
    ]


@router.get("/outlets/{outlet_id}/lots", response=list[LotOut])
def outlet_lots(request: HttpRequest, outlet_id: int) -> list[LotOut]:
    """Every lot with stock, soonest expiry first."""
    return [
        lot_out(lot) for lot in selectors.lots_for_outlet(user=_user(request), outlet_id=outlet_id)
    ]


@router.get("/stock/{stock_level_id}/lots", response=list[LotOut])
def stock_lots(request: HttpRequest, stock_level_id: int) -> list[LotOut]:
    user = _user(request)
    sl = selectors.stock_level_get_for_user(user=user, stock_level_id=stock_level_id)
    lots = selectors.lots_for_stock(user=user, stock_level=sl, include_empty=True)
    for lot in lots:
        lot.stock_level = sl
    return [lot_out(lot) for lot in lots]


@router.get("/stock/{stock_level_id}/movements", response=list[MovementOut])
def stock_movements(request: HttpRequest, stock_level_id: int) -> list[MovementOut]:
    user = _user(request)
    sl = selectors.stock_level_get_for_user(user=user, stock_level_id=stock_level_id)
    return [movement_out(m) for m in selectors.movements_for_stock(user=user, stock_level=sl)]


@router.post("/outlets/{outlet_id}/receive", response={201: LotOut})
def receive(request: HttpRequest, outlet_id: int, payload: ReceiveIn) -> Status[LotOut]:
    outlet = Outlet.objects.filter(pk=outlet_id).first()
    if outlet is None:
        raise InventoryError(InventoryErrorCode.NOT_YOUR_OUTLET)
    product = Product.objects.filter(pk=payload.product_id).first()
    if product is None:
        raise InventoryError(InventoryErrorCode.PRODUCT_NOT_FOUND)
    lot = services.stock_receive(
        actor=_user(request),
        outlet=outlet,
        product=product,
        quantity=payload.quantity,
        batch_no=payload.batch_no,
        expiry_date=payload.expiry_date,
        origin=payload.origin,
        production_date=payload.production_date,
    )
    return Status(201, lot_out(lot))


@router.post("/lots/{lot_id}/write-off", response=MovementOut)
def write_off(request: HttpRequest, lot_id: int, payload: WriteOffIn) -> MovementOut:
    user = _user(request)
    lot = selectors.lot_get_for_user(user=user, lot_id=lot_id)
    m = services.stock_write_off(
        actor=user, lot=lot, quantity=payload.quantity, reason=payload.reason, ref=payload.ref
    )
    return movement_out(m)


@router.post("/stock/{stock_level_id}/count", response=list[MovementOut])
def count(request: HttpRequest, stock_level_id: int, payload: CountIn) -> list[MovementOut]:
    user = _user(request)
    sl = selectors.stock_level_get_for_user(user=user, stock_level_id=stock_level_id)
    moves = services.stock_count_adjust(actor=user, stock_level=sl, counted=payload.counted)
    return [movement_out(m) for m in moves]
