"""Purchase orders: a draft for one outlet and one supplier, its lines, send, cancel.

`purchase_order_create_draft` is also what the reorder page calls with suggested quantities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from linli.accounts.models import User
from linli.catalog.models import Product
from linli.procurement import domain
from linli.procurement.access import require_outlet
from linli.procurement.errors import ProcurementError, ProcurementErrorCode
from linli.procurement.models import PurchaseOrder, PurchaseOrderLine, Supplier, SupplierProduct
from linli.procurement.services._common import check_price, check_quantity
from linli.shops.models import Outlet

E = ProcurementErrorCode
Status = PurchaseOrder.Status


@dataclass(frozen=True)
class LineSpec:
    """One line to order: the shop's product, how many, at what unit price (fen). With a
    `supplier_product_id` and no price, the supplier's price for that quantity is used."""

    product_id: int
    quantity: int
    unit_price_fen: int | None = None
    supplier_product_id: int | None = None


def _status_label(po: PurchaseOrder) -> str:
    return str(Status(po.status).label)


def wrong_status(po: PurchaseOrder, action: str) -> ProcurementError:
    return ProcurementError(E.PO_WRONG_STATUS, status=_status_label(po), action=action)


def _line(po: PurchaseOrder, spec: LineSpec) -> PurchaseOrderLine:
    quantity = check_quantity(spec.quantity)
    product = Product.objects.filter(pk=spec.product_id, merchant_id=po.outlet.merchant_id).first()
    if product is None:
        raise ProcurementError(E.PRODUCT_NOT_FOUND)
    sp = None
    if spec.supplier_product_id is not None:
        sp = (
            SupplierProduct.objects.filter(pk=spec.supplier_product_id, supplier_id=po.supplier_id)
            .prefetch_related("tiers")
            .first()
        )
        if sp is None:
            raise ProcurementError(E.PRODUCT_NOT_FOUND)
    if spec.unit_price_fen is None:
        if sp is None:
            raise ProcurementError(E.INVALID_PRICE, price=None)
        tiers = [domain.Tier(t.min_quantity, t.price_fen) for t in sp.tiers.all()]
        price = domain.tier_price(tiers, total=quantity, base_price_fen=sp.price_fen)
    else:
        price = check_price(spec.unit_price_fen)
    return PurchaseOrderLine(
        purchase_order=po,
        product=product,
        supplier_product=sp,
        quantity_ordered=quantity,
        unit_price_fen=price,
    )


def _lock(po: PurchaseOrder) -> PurchaseOrder:
    return PurchaseOrder.objects.select_for_update().select_related("outlet").get(pk=po.pk)


@transaction.atomic
def purchase_order_create_draft(
    *,
    actor: User | None,
    outlet: Outlet,
    supplier: Supplier,
    lines: Sequence[LineSpec] = (),
    expected_date: date | None = None,
    note: str = "",
) -> PurchaseOrder:
    """A draft purchase order for an outlet the actor manages. Lines are optional (add later)."""
    require_outlet(actor, outlet.pk)
    if not supplier.active:
        raise ProcurementError(E.SUPPLIER_NOT_FOUND)
    if expected_date is None:
        expected_date = timezone.localdate() + timedelta(days=supplier.lead_time_days)
    po = PurchaseOrder.objects.create(
        outlet=outlet,
        supplier=supplier,
        expected_date=expected_date,
        note=(note or "")[:200],
        created_by=actor,
    )
    PurchaseOrderLine.objects.bulk_create([_line(po, spec) for spec in lines])
    return po


@transaction.atomic
def purchase_order_line_add(
    *, actor: User | None, purchase_order: PurchaseOrder, line: LineSpec
) -> PurchaseOrderLine:
    po = _lock(purchase_order)
    require_outlet(actor, po.outlet_id)
    if po.status != Status.DRAFT:
        raise wrong_status(po, "changed")
    new = _line(po, line)
    existing = po.lines.filter(product_id=new.product_id).first()
    if existing is not None:  # one line per product: the quantity adds up
        existing.quantity_ordered = check_quantity(existing.quantity_ordered + new.quantity_ordered)
        existing.unit_price_fen = new.unit_price_fen
        existing.save(update_fields=["quantity_ordered", "unit_price_fen"])
        return existing
    new.save()
    return new


@transaction.atomic
def purchase_order_line_remove(
    *, actor: User | None, purchase_order: PurchaseOrder, line_id: int
) -> None:
    po = _lock(purchase_order)
    require_outlet(actor, po.outlet_id)
    if po.status != Status.DRAFT:
        raise wrong_status(po, "changed")
    if not po.lines.filter(pk=line_id).delete()[0]:
        raise ProcurementError(E.PO_LINE_NOT_FOUND)


@transaction.atomic
def purchase_order_send(*, actor: User | None, purchase_order: PurchaseOrder) -> PurchaseOrder:
    """Draft → sent: numbered, visible to the supplier on its portal."""
    po = _lock(purchase_order)
    require_outlet(actor, po.outlet_id)
    if po.status != Status.DRAFT:
        raise wrong_status(po, "sent")
    if not po.lines.exists():
        raise ProcurementError(E.PO_EMPTY)
    now = timezone.now()
    po.status = Status.SENT
    po.sent_at = now
    po.number = po.number or f"PO{timezone.localdate():%Y%m%d}{po.pk:05d}"
    po.save(update_fields=["status", "sent_at", "number"])
    return po


@transaction.atomic
def purchase_order_cancel(*, actor: User | None, purchase_order: PurchaseOrder) -> PurchaseOrder:
    """A draft, or a sent order nothing was received against, can be cancelled."""
    po = _lock(purchase_order)
    require_outlet(actor, po.outlet_id)
    if po.status not in (Status.DRAFT, Status.SENT):
        raise wrong_status(po, "cancelled")
    po.status = Status.CANCELLED
    po.cancelled_at = timezone.now()
    po.save(update_fields=["status", "cancelled_at"])
    return po
