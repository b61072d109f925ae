"""Procurement API (/api/v1/procurement/): suppliers, purchase orders and receiving, joint rounds,
traceability and recall, chain prices and transfers. Errors: {code, detail}; tenancy inside."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from linli.accounts.models import User
from linli.catalog.models import Product
from linli.procurement import selectors, services
from linli.procurement.errors import ProcurementError, ProcurementErrorCode
from linli.procurement.models import JointRound, PurchaseOrder, Supplier, SupplierProduct
from linli.procurement.schemas import (
    CommitIn,
    CommitmentOut,
    DiscrepancyOut,
    LineIn,
    LineOut,
    PriceIn,
    PublicLotOut,
    PurchaseOrderIn,
    PurchaseOrderOut,
    RecallIn,
    RecallOut,
    ReceiveIn,
    RoundIn,
    RoundOut,
    SaleOut,
    SupplierIn,
    SupplierOut,
    SupplierProductIn,
    SupplierProductOut,
    TierOut,
    TiersIn,
    TraceOut,
    TransferIn,
)
from linli.shops.models import Merchant, Outlet

router = Router(tags=["procurement"])
E = ProcurementErrorCode


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _get(model: type, pk: int | None, code: ProcurementErrorCode) -> object:
    obj = model.objects.filter(pk=pk).first() if pk is not None else None  # type: ignore[attr-defined]
    if obj is None:
        raise ProcurementError(code)
    return obj


def _sp_out(sp: SupplierProduct) -> SupplierProductOut:
    return SupplierProductOut(
        id=sp.pk,
        name=sp.name,
        spec=sp.spec,
        unit=sp.unit,
        origin=sp.origin,
        price_fen=sp.price_fen,
        available_quantity=sp.available_quantity,
        committed_quantity=sp.committed_quantity,
        tiers=[TierOut(min_quantity=t.min_quantity, price_fen=t.price_fen) for t in sp.tiers.all()],
    )


def _po_out(po: PurchaseOrder, *, detail: bool = False) -> PurchaseOrderOut:
    lines = list(po.lines.all()) if detail else []
    total = getattr(po, "total_fen", None)
    if total is None:
        total = sum(ln.line_total_fen for ln in po.lines.all())
    return PurchaseOrderOut(
        id=po.pk,
        number=po.number,
        status=po.status,
        outlet_id=po.outlet_id,
        supplier_id=po.supplier_id,
        supplier=po.supplier.name,
        joint_round_id=po.joint_round_id,
        expected_date=po.expected_date,
        total_fen=total or 0,
        lines=[
            LineOut(
                id=ln.pk,
                product_id=ln.product_id,
                product=ln.product.name,
                quantity_ordered=ln.quantity_ordered,
                quantity_received=ln.quantity_received,
                quantity_rejected=ln.quantity_rejected,
                unit_price_fen=ln.unit_price_fen,
                solo_price_fen=ln.solo_price_fen,
            )
            for ln in lines
        ],
        discrepancies=[
            DiscrepancyOut(po_line_id=d.po_line_id, kind=d.kind, quantity=d.quantity, note=d.note)
            for ln in lines
            for d in ln.discrepancies.all()
        ],
    )


# --- suppliers --------------------------------------------------------------------------------


@router.get("/suppliers", response=list[SupplierOut])
def suppliers(request: HttpRequest, q: str = "") -> list[Supplier]:
    return list(selectors.supplier_list(q=q[:40]))


@router.post("/suppliers", response={201: SupplierOut})
def supplier_create(request: HttpRequest, payload: SupplierIn) -> Status[Supplier]:
    data = payload.dict()
    merchant_id = data.pop("merchant_id")
    merchant = _get(Merchant, merchant_id, E.NOT_SUPPLIER_EDITOR) if merchant_id else None
    s = services.supplier_register(actor=_user(request), merchant=merchant, **data)  # type: ignore[arg-type]
    return Status(201, s)


@router.get("/suppliers/{supplier_id}/products", response=list[SupplierProductOut])
def supplier_products(request: HttpRequest, supplier_id: int) -> list[SupplierProductOut]:
    s = selectors.supplier_get(supplier_id=supplier_id)
    return [_sp_out(sp) for sp in selectors.supplier_products(supplier=s)]


@router.post("/suppliers/{supplier_id}/products", response={201: SupplierProductOut})
def supplier_product_create(
    request: HttpRequest, supplier_id: int, payload: SupplierProductIn
) -> Status[SupplierProductOut]:
    s = selectors.supplier_get(supplier_id=supplier_id)
    sp = services.supplier_product_upsert(actor=_user(request), supplier=s, **payload.dict())
    return Status(201, _sp_out(sp))


@router.put("/supplier-products/{sp_id}/tiers", response=SupplierProductOut)
def tiers_set(request: HttpRequest, sp_id: int, payload: TiersIn) -> SupplierProductOut:
    sp = _get(SupplierProduct, sp_id, E.PRODUCT_NOT_FOUND)
    services.price_tiers_set(
        actor=_user(request),
        supplier_product=sp,  # type: ignore[arg-type]
        tiers=[(t.min_quantity, t.price_fen) for t in payload.tiers],
    )
    return _sp_out(sp)  # type: ignore[arg-type]


# --- purchase orders --------------------------------------------------------------------------


@router.get("/orders", response=list[PurchaseOrderOut])
def orders(
    request: HttpRequest, outlet_id: int | None = None, status: str | None = None
) -> list[PurchaseOrderOut]:
    qs = selectors.purchase_orders_for_user(user=_user(request), outlet_id=outlet_id, status=status)
    return [_po_out(po) for po in qs[:200]]


@router.post("/orders", response={201: PurchaseOrderOut})
def order_create(request: HttpRequest, payload: PurchaseOrderIn) -> Status[PurchaseOrderOut]:
    outlet = _get(Outlet, payload.outlet_id, E.NOT_YOUR_OUTLET)
    supplier = _get(Supplier, payload.supplier_id, E.SUPPLIER_NOT_FOUND)
    po = services.purchase_order_create_draft(
        actor=_user(request),
        outlet=outlet,  # type: ignore[arg-type]
        supplier=supplier,  # type: ignore[arg-type]
        lines=[services.LineSpec(**ln.dict()) for ln in payload.lines],
        expected_date=payload.expected_date,
        note=payload.note,
    )
    return Status(201, _detail(request, po.pk))


def _detail(request: HttpRequest, po_id: int) -> PurchaseOrderOut:
    return _po_out(
        selectors.purchase_order_get_for_user(user=_user(request), po_id=po_id), detail=True
    )


@router.get("/orders/{po_id}", response=PurchaseOrderOut)
def order(request: HttpRequest, po_id: int) -> PurchaseOrderOut:
    return _detail(request, po_id)


@router.post("/orders/{po_id}/lines", response=PurchaseOrderOut)
def order_line_add(request: HttpRequest, po_id: int, payload: LineIn) -> PurchaseOrderOut:
    po = selectors.purchase_order_get_for_user(user=_user(request), po_id=po_id)
    services.purchase_order_line_add(
        actor=_user(request), purchase_order=po, line=services.LineSpec(**payload.dict())
    )
    return _detail(request, po_id)


@router.post("/orders/{po_id}/send", response=PurchaseOrderOut)
def order_send(request: HttpRequest, po_id: int) -> PurchaseOrderOut:
    po = selectors.purchase_order_get_for_user(user=_user(request), po_id=po_id)
    services.purchase_order_send(actor=_user(request), purchase_order=po)
    return _detail(request, po_id)


@router.post("/orders/{po_id}/cancel", response=PurchaseOrderOut)
def order_cancel(request: HttpRequest, po_id: int) -> PurchaseOrderOut:
    po = selectors.purchase_order_get_for_user(user=_user(request), po_id=po_id)
    services.purchase_order_cancel(actor=_user(request), purchase_order=po)
    return _detail(request, po_id)


@router.post("/orders/{po_id}/receive", response=PurchaseOrderOut)
def order_receive(request: HttpRequest, po_id: int, payload: ReceiveIn) -> PurchaseOrderOut:
    po = selectors.purchase_order_get_for_user(user=_user(request), po_id=po_id)
    services.purchase_order_receive(
        actor=_user(request),
        purchase_order=po,
        lines=[services.ReceiveLine(**ln.dict()) for ln in payload.lines],
        close=payload.close,
        accept_over=payload.accept_over,
        note=payload.note,
    )
    return _detail(request, po_id)


# --- joint rounds -----------------------------------------------------------------------------


def _round_out(rnd: JointRound) -> RoundOut:
    return RoundOut(
        id=rnd.pk,
        title=rnd.title,
        status=rnd.status,
        supplier_product_id=rnd.supplier_product_id,
        deadline=rnd.deadline,
        solo_price_fen=rnd.solo_price_fen,
        total_committed=rnd.total_committed,
        tier_price_fen=rnd.tier_price_fen,
        tiers=[
            TierOut(min_quantity=t.min_quantity, price_fen=t.price_fen) for t in rnd.tiers.all()
        ],
        mine=[
            CommitmentOut(
                outlet_id=c.outlet_id,
                quantity=c.quantity,
                unit_price_fen=c.unit_price_fen,
                saved_fen=c.saved_fen,
                purchase_order_id=c.purchase_order_id,
            )
            for c in getattr(rnd, "mine", [])
        ],
    )


@router.get("/rounds", response=list[RoundOut])
def rounds(request: HttpRequest) -> list[RoundOut]:
    return [_round_out(r) for r in selectors.rounds_list(user=_user(request))]


@router.post("/rounds", response={201: RoundOut})
def round_open(request: HttpRequest, payload: RoundIn) -> Status[RoundOut]:
    sp = _get(SupplierProduct, payload.supplier_product_id, E.PRODUCT_NOT_FOUND)
    rnd = services.round_open(
        actor=_user(request),
        supplier_product=sp,  # type: ignore[arg-type]
        title=payload.title,
        deadline=payload.deadline,
        tiers=None
        if payload.tiers is None
        else [(t.min_quantity, t.price_fen) for t in payload.tiers],
    )
    return Status(201, _round_out(selectors.round_get(user=_user(request), round_id=rnd.pk)))


@router.post("/rounds/{round_id}/commit", response=RoundOut)
def round_commit(request: HttpRequest, round_id: int, payload: CommitIn) -> RoundOut:
    user = _user(request)
    rnd = selectors.round_get(user=user, round_id=round_id)
    outlet = _get(Outlet, payload.outlet_id, E.NOT_YOUR_OUTLET)
    product = None
    if payload.product_id is not None:
        product = _get(Product, payload.product_id, E.PRODUCT_NOT_FOUND)
    services.round_commit(
        actor=user,
        joint_round=rnd,
        outlet=outlet,  # type: ignore[arg-type]
        quantity=payload.quantity,
        product=product,  # type: ignore[arg-type]
    )
    return _round_out(selectors.round_get(user=user, round_id=round_id))


@router.post("/rounds/{round_id}/close", response=RoundOut)
def round_close(request: HttpRequest, round_id: int) -> RoundOut:
    user = _user(request)
    rnd = selectors.round_get(user=user, round_id=round_id)
    services.round_close(actor=user, joint_round=rnd)
    return _round_out(selectors.round_get(user=user, round_id=round_id))


# --- traceability, recall ---------------------------------------------------------------------


@router.get("/lots/{lot_id}/trace", response=TraceOut)
def lot_trace(request: HttpRequest, lot_id: int) -> TraceOut:
    t = selectors.lot_trace_for_user(user=_user(request), lot_id=lot_id)
    lot, s, po = t.lot, t.supplier, t.purchase_order
    return TraceOut(
        lot_id=lot.pk,
        product=lot.stock_level.product.name,
        outlet=lot.stock_level.outlet.name,
        batch_no=lot.batch_no,
        origin=lot.origin,
        production_date=lot.production_date,
        expiry_date=lot.expiry_date,
        recalled=lot.recalled_at is not None,
        supplier=s.name if s else None,
        supplier_uscc=s.uscc if s else None,
        purchase_order=str(po) if po else None,
        sales=[
            SaleOut(
                ref=x.ref,
                quantity=x.quantity,
                sold_at=x.sold_at,
                order_number=x.owner.order_number if x.owner else None,
            )
            for x in t.sales
        ],
    )


@router.post("/recalls", response={201: RecallOut})
def recall(request: HttpRequest, payload: RecallIn) -> Status[object]:
    supplier = None
    if payload.supplier_id is not None:
        supplier = _get(Supplier, payload.supplier_id, E.SUPPLIER_NOT_FOUND)
    r = services.recall_create(
        actor=_user(request),
        batch_no=payload.batch_no,
        reason=payload.reason,
        product_id=payload.product_id,
        supplier=supplier,  # type: ignore[arg-type]
    )
    return Status(201, r)


@router.get("/listings/{listing_id}/trace", response=list[PublicLotOut], auth=None)
def listing_trace(request: HttpRequest, listing_id: int) -> list[object]:
    """Public: where the goods on the shelf came from (origin, batch, dates, supplier)."""
    _, lots = selectors.listing_trace_public(listing_id=listing_id)
    return list(lots)


# --- chains -----------------------------------------------------------------------------------


@router.post("/chain/prices", response=list[int])
def chain_prices(request: HttpRequest, payload: PriceIn) -> list[int]:
    product = _get(Product, payload.product_id, E.PRODUCT_NOT_FOUND)
    listings = services.chain_price_set(
        actor=_user(request),
        product=product,  # type: ignore[arg-type]
        price_fen=payload.price_fen,
        outlet_ids=payload.outlet_ids,
    )
    return [li.outlet_id for li in listings]


@router.post("/chain/transfers", response={201: list[int]})
def chain_transfer(request: HttpRequest, payload: TransferIn) -> Status[list[int]]:
    src = _get(Outlet, payload.from_outlet_id, E.NOT_YOUR_OUTLET)
    dst = _get(Outlet, payload.to_outlet_id, E.NOT_YOUR_OUTLET)
    product = _get(Product, payload.product_id, E.PRODUCT_NOT_FOUND)
    lots = services.chain_transfer(
        actor=_user(request),
        from_outlet=src,  # type: ignore[arg-type]
        to_outlet=dst,  # type: ignore[arg-type]
        product=product,  # type: ignore[arg-type]
        quantity=payload.quantity,
    )
    return Status(201, [lot.pk for lot in lots])
