"""Receiving a purchase order into lots (origin, production date, batch, expiry), with every
mismatch recorded as a discrepancy: more than ordered (only when accepted), less (when the
order is closed short) and units refused at the door."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from linli.accounts.models import User
from linli.inventory.services import stock_receive
from linli.procurement import domain
from linli.procurement.access import require_outlet
from linli.procurement.errors import ProcurementError, ProcurementErrorCode
from linli.procurement.models import (
    Discrepancy,
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    ReceiptLine,
)
from linli.procurement.services._common import QTY_MAX, check_quantity
from linli.procurement.services.purchase_orders import wrong_status

E = ProcurementErrorCode
Status = PurchaseOrder.Status
Kind = Discrepancy.Kind


@dataclass(frozen=True)
class ReceiveLine:
    po_line_id: int
    quantity: int  # accepted into stock
    batch_no: str = ""
    expiry_date: date | None = None
    production_date: date | None = None  # or harvest date
    origin: str = ""
    rejected: int = 0  # refused at the door (damaged, wrong goods)
    note: str = ""


@transaction.atomic
def purchase_order_receive(
    *,
    actor: User | None,
    purchase_order: PurchaseOrder,
    lines: Sequence[ReceiveLine],
    close: bool = False,
    accept_over: bool = False,
    note: str = "",
    today: date | None = None,
) -> Receipt:
    """Put delivered units into stock, one lot per line. Receiving more than outstanding is
    refused (OVER_RECEIPT, nothing changes) unless `accept_over`, which records the excess as a
    discrepancy. `close` ends the order even if short, recording each shortfall."""
    po = (
        PurchaseOrder.objects.select_for_update()
        .select_related("outlet", "supplier")
        .get(pk=purchase_order.pk)
    )
    require_outlet(actor, po.outlet_id)
    if po.status not in (Status.SENT, Status.PARTLY_RECEIVED):
        raise wrong_status(po, "received")
    by_id = {
        ln.pk: ln for ln in po.lines.select_related("product", "supplier_product").order_by("pk")
    }
    checked: list[tuple[PurchaseOrderLine, ReceiveLine]] = []
    for rl in lines:
        ln = by_id.get(rl.po_line_id)
        if ln is None:
            raise ProcurementError(E.PO_LINE_NOT_FOUND)
        check_quantity(rl.quantity, low=0, high=QTY_MAX)
        check_quantity(rl.rejected, low=0, high=QTY_MAX)
        if ln.quantity_received + rl.quantity > ln.quantity_ordered and not accept_over:
            raise ProcurementError(
                E.OVER_RECEIPT,
                product=ln.product.name,
                ordered=ln.quantity_ordered,
                received=ln.quantity_received,
                quantity=rl.quantity,
            )
        checked.append((ln, rl))
    if not any(rl.quantity or rl.rejected for _, rl in checked) and not close:
        raise ProcurementError(E.RECEIPT_EMPTY)
    day = today or timezone.localdate()
    receipt = Receipt.objects.create(purchase_order=po, received_by=actor, note=(note or "")[:200])
    for ln, rl in checked:
        if rl.quantity:
            _into_lot(actor, po, ln, rl, receipt, day)
        if rl.rejected:
            Discrepancy.objects.create(
                po_line=ln,
                receipt=receipt,
                kind=Kind.REJECTED,
                quantity=rl.rejected,
                note=rl.note[:200],
            )
            ln.quantity_rejected += rl.rejected
        ln.save(update_fields=["quantity_received", "quantity_rejected"])
    if close:
        for ln in by_id.values():
            if ln.quantity_received < ln.quantity_ordered:
                Discrepancy.objects.create(
                    po_line=ln,
                    receipt=receipt,
                    kind=Kind.SHORT,
                    quantity=ln.quantity_ordered - ln.quantity_received,
                )
    po.status = domain.po_status_after_receipt(
        [(ln.quantity_ordered, ln.quantity_received) for ln in by_id.values()], close=close
    )
    if po.status == Status.RECEIVED:
        po.received_at = timezone.now()
    po.save(update_fields=["status", "received_at"])
    return receipt


def _into_lot(
    actor: User | None,
    po: PurchaseOrder,
    ln: PurchaseOrderLine,
    rl: ReceiveLine,
    receipt: Receipt,
    day: date,
) -> None:
    sp = ln.supplier_product
    expiry = rl.expiry_date
    shelf = ln.product.shelf_life_days or (sp.shelf_life_days if sp else None)
    if expiry is None and shelf:
        expiry = (rl.production_date or day) + timedelta(days=shelf)
    origin = rl.origin.strip() or (sp.origin if sp else "") or po.supplier.region
    lot = stock_receive(
        actor=actor,
        outlet=po.outlet,
        product=ln.product,
        quantity=rl.quantity,
        batch_no=rl.batch_no.strip() or f"{po.number or po.pk}-{ln.pk}",
        expiry_date=expiry,
        origin=origin[:60],
        production_date=rl.production_date,
        today=day,
    )
    ReceiptLine.objects.create(receipt=receipt, po_line=ln, lot=lot, quantity=rl.quantity)
    over = ln.quantity_received + rl.quantity - max(ln.quantity_ordered, ln.quantity_received)
    if over > 0:
        Discrepancy.objects.create(
            po_line=ln, receipt=receipt, kind=Kind.OVER, quantity=over, note=rl.note[:200]
        )
    ln.quantity_received += rl.quantity
