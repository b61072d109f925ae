"""Reads for procurement, filtered by who asks: a shop sees its outlets' orders, rounds' own
commitments and lots; a supplier its products and the orders sent to it; residents the origin."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from linli.accounts.models import User
from linli.catalog.models import Listing, Product
from linli.inventory.models import Lot
from linli.inventory.trace import LotSale, lot_sales
from linli.procurement.access import (
    is_platform_admin,
    outlet_ids_for,
    require_head_office,
    supplier_ids_for,
)
from linli.procurement.errors import ProcurementError, ProcurementErrorCode
from linli.procurement.models import (
    Commitment,
    JointRound,
    PurchaseOrder,
    Recall,
    ReceiptLine,
    Supplier,
    SupplierProduct,
)
from linli.shops.models import Outlet

E = ProcurementErrorCode


# --- suppliers --------------------------------------------------------------------------------


def supplier_list(*, q: str = "") -> QuerySet[Supplier]:
    """Suppliers are public business records (name, kind, USCC, licences) for every shop."""
    qs = Supplier.objects.filter(active=True).annotate(
        n_products=Count("products", filter=Q(products__active=True))
    )
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(region__icontains=q) | Q(uscc=q.upper()))
    return qs.order_by("name", "pk")


def supplier_get(*, supplier_id: int) -> Supplier:
    s = Supplier.objects.filter(pk=supplier_id, active=True).prefetch_related("licences").first()
    if s is None:
        raise ProcurementError(E.SUPPLIER_NOT_FOUND)
    return s


def supplier_products(*, supplier: Supplier) -> list[SupplierProduct]:
    return list(
        SupplierProduct.objects.filter(supplier=supplier, active=True)
        .prefetch_related("tiers")
        .order_by("name", "pk")
    )


# --- purchase orders --------------------------------------------------------------------------


def _po_qs() -> QuerySet[PurchaseOrder]:
    return (
        PurchaseOrder.objects.select_related("supplier", "outlet")
        .annotate(
            total_fen=Sum(F("lines__quantity_ordered") * F("lines__unit_price_fen")),
            n_lines=Count("lines"),
        )
        .order_by("-created_at", "-pk")
    )


def purchase_orders_for_user(
    *, user: User, outlet_id: int | None = None, status: str | None = None
) -> QuerySet[PurchaseOrder]:
    qs = _po_qs().filter(outlet_id__in=outlet_ids_for(user))
    if outlet_id is not None:
        qs = qs.filter(outlet_id=outlet_id)
    if status:
        qs = qs.filter(status=status)
    return qs


def _po_detail(qs: QuerySet[PurchaseOrder], po_id: int) -> PurchaseOrder:
    po = (
        qs.filter(pk=po_id)
        .select_related("outlet__merchant", "supplier", "joint_round", "created_by")
        .prefetch_related(
            "lines__product",
            "lines__discrepancies",
            Prefetch(
                "receipts__lines",
                queryset=ReceiptLine.objects.select_related("lot", "po_line__product"),
            ),
            "receipts__received_by",
        )
        .first()
    )
    if po is None:  # the same answer for someone else's order: no probing
        raise ProcurementError(E.PO_NOT_FOUND)
    return po


def purchase_order_get_for_user(*, user: User, po_id: int) -> PurchaseOrder:
    return _po_detail(PurchaseOrder.objects.filter(outlet_id__in=outlet_ids_for(user)), po_id)


def purchase_orders_for_supplier(*, user: User, supplier_id: int) -> QuerySet[PurchaseOrder]:
    """The supplier portal: orders sent to a supplier the user works for (never drafts)."""
    if supplier_id not in supplier_ids_for(user) and not is_platform_admin(user):
        raise ProcurementError(E.SUPPLIER_NOT_FOUND)
    return _po_qs().filter(supplier_id=supplier_id).exclude(status=PurchaseOrder.Status.DRAFT)


def purchase_order_get_for_supplier(*, user: User, po_id: int) -> PurchaseOrder:
    qs = PurchaseOrder.objects.filter(supplier_id__in=supplier_ids_for(user)).exclude(
        status=PurchaseOrder.Status.DRAFT
    )
    return _po_detail(qs, po_id)


def suppliers_for_member(*, user: User) -> list[Supplier]:
    return list(Supplier.objects.filter(pk__in=supplier_ids_for(user)).order_by("pk"))


# --- joint rounds -----------------------------------------------------------------------------


def rounds_list(*, user: User, include_closed: bool = True) -> list[JointRound]:
    """Every open round (any shop may join) and recent closed ones, with `mine` = the user's
    outlets' commitments."""
    mine_ids = outlet_ids_for(user)
    qs = (
        JointRound.objects.select_related("supplier_product__supplier")
        .prefetch_related(
            "tiers",
            Prefetch(
                "commitments",
                queryset=Commitment.objects.filter(outlet_id__in=mine_ids).select_related("outlet"),
                to_attr="mine",
            ),
        )
        .order_by("status", "deadline", "pk")
    )
    if not include_closed:
        qs = qs.filter(status=JointRound.Status.OPEN)
    return list(qs[:100])


def round_get(*, user: User, round_id: int) -> JointRound:
    """A round with its tiers; `mine` holds the user's commitments, `all_commitments` every
    commitment for the coordinator and the platform only."""
    rnd = (
        JointRound.objects.select_related("supplier_product__supplier", "coordinator")
        .prefetch_related("tiers")
        .filter(pk=round_id)
        .first()
    )
    if rnd is None:
        raise ProcurementError(E.ROUND_NOT_FOUND)
    commitments = rnd.commitments.select_related("outlet", "product", "purchase_order")
    rnd.mine = list(commitments.filter(outlet_id__in=outlet_ids_for(user)))  # type: ignore[attr-defined]
    coordinator = user == rnd.coordinator or is_platform_admin(user)
    rnd.all_commitments = list(commitments) if coordinator else []  # type: ignore[attr-defined]
    rnd.is_coordinator = coordinator  # type: ignore[attr-defined]
    return rnd


# --- traceability -----------------------------------------------------------------------------


@dataclass
class LotTrace:
    lot: Lot
    receipt_line: ReceiptLine | None
    sales: list[LotSale] = field(default_factory=list)

    @property
    def purchase_order(self) -> PurchaseOrder | None:
        rl = self.receipt_line
        return rl.po_line.purchase_order if rl else None

    @property
    def supplier(self) -> Supplier | None:
        po = self.purchase_order
        return po.supplier if po else None


def _lot_qs() -> QuerySet[Lot]:
    return Lot.objects.select_related(
        "stock_level__product", "stock_level__outlet__merchant"
    ).prefetch_related("recalls")


def _receipt_line(lot_ids: list[int]) -> dict[int, ReceiptLine]:
    return {
        rl.lot_id: rl
        for rl in ReceiptLine.objects.filter(lot_id__in=lot_ids).select_related(
            "po_line__purchase_order__supplier", "receipt"
        )
    }


def lot_trace_for_user(*, user: User, lot_id: int) -> LotTrace:
    """From a lot: the supplier, origin, the purchase order it came in on, the orders that sold
    it. For the shop holding it, the supplier that delivered it, or the platform."""
    lot = _lot_qs().filter(pk=lot_id).first()
    if lot is None:
        raise ProcurementError(E.LOT_NOT_FOUND)
    rl = _receipt_line([lot.pk]).get(lot.pk)
    allowed = (
        is_platform_admin(user)
        or lot.stock_level.outlet_id in outlet_ids_for(user)
        or (rl is not None and rl.po_line.purchase_order.supplier_id in supplier_ids_for(user))
    )
    if not allowed:
        raise ProcurementError(E.LOT_NOT_FOUND)
    return LotTrace(lot=lot, receipt_line=rl, sales=lot_sales(lot_ids=[lot.pk]))


def lots_by_batch_for_user(*, user: User, batch_no: str) -> list[LotTrace]:
    """The recall page's search: lots of this batch in the outlets the user manages."""
    batch_no = (batch_no or "").strip()
    if not batch_no:
        return []
    qs = _lot_qs().filter(batch_no=batch_no)
    if not is_platform_admin(user):
        qs = qs.filter(stock_level__outlet_id__in=outlet_ids_for(user))
    lots = list(qs.order_by("pk")[:200])
    rls = _receipt_line([lot.pk for lot in lots])
    return [LotTrace(lot=lot, receipt_line=rls.get(lot.pk)) for lot in lots]


def recalls_for_user(*, user: User) -> list[Recall]:
    if is_platform_admin(user):
        qs = Recall.objects.all()
    else:
        outlets = outlet_ids_for(user)
        qs = Recall.objects.filter(
            Q(initiated_by=user)
            | Q(lots__stock_level__outlet_id__in=outlets)
            | Q(supplier_id__in=supplier_ids_for(user))
        ).distinct()
    return list(qs.select_related("supplier", "initiated_by")[:50])


@dataclass(frozen=True)
class PublicLot:
    """What a resident sees of a lot on sale: origin, batch, dates and where it came from."""

    batch_no: str
    origin: str
    production_date: date | None
    expiry_date: date | None
    received_at: object
    supplier_name: str
    supplier_kind: str


def listing_trace_public(
    *, listing_id: int, today: date | None = None
) -> tuple[Listing, list[PublicLot]]:
    """The lots of a listing's product now on the shelf (not expired, not recalled), first to
    be sold first, with the supplier each came from."""
    listing = (
        Listing.objects.select_related("product", "outlet")
        .filter(pk=listing_id, active=True, outlet__active=True)
        .first()
    )
    if listing is None:
        raise ProcurementError(E.PRODUCT_NOT_FOUND)
    day = today or timezone.localdate()
    lots = list(
        Lot.objects.filter(
            stock_level__outlet_id=listing.outlet_id,
            stock_level__product_id=listing.product_id,
            quantity_remaining__gt=0,
            recalled_at__isnull=True,
        )
        .filter(Q(expiry_date__gte=day) | Q(expiry_date__isnull=True))
        .order_by(F("expiry_date").asc(nulls_last=True), "received_at", "pk")[:10]
    )
    rls = _receipt_line([lot.pk for lot in lots])
    out = []
    for lot in lots:
        supplier = rls[lot.pk].po_line.purchase_order.supplier if lot.pk in rls else None
        out.append(
            PublicLot(
                batch_no=lot.batch_no,
                origin=lot.origin,
                production_date=lot.production_date,
                expiry_date=lot.expiry_date,
                received_at=lot.received_at,
                supplier_name=supplier.name if supplier else "",
                supplier_kind=supplier.get_kind_display() if supplier else "",
            )
        )
    return listing, out


# --- chains -----------------------------------------------------------------------------------


@dataclass
class ChainRow:
    product: Product
    cells: list[Listing | None]


def chain_overview(*, user: User, merchant_id: int) -> tuple[list[Outlet], list[ChainRow]]:
    """The head office's matrix: every product × every outlet with its price and on/off."""
    require_head_office(user, merchant_id)
    outlets = list(Outlet.objects.filter(merchant_id=merchant_id).order_by("pk"))
    products = list(Product.objects.filter(merchant_id=merchant_id, active=True).order_by("name"))
    listings = {
        (li.product_id, li.outlet_id): li
        for li in Listing.objects.filter(product__merchant_id=merchant_id)
    }
    rows = [ChainRow(p, [listings.get((p.pk, o.pk)) for o in outlets]) for p in products]
    return outlets, rows
