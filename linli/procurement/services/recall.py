"""Recall a batch: stop its sale at once and tell every resident who bought it.

A shop recalls a batch among the outlets it manages; a supplier (its people, or the platform)
recalls it everywhere its purchase orders delivered it. The lots are marked recalled and written
off (inventory's `lots_recall`); units held by open orders are never handed over. Buyers are
found through the ledger (`inventory.trace.lot_sales`) and get a notification with their order.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from linli.accounts.models import User
from linli.accounts.notify import notification_send
from linli.inventory.lots import lots_recall
from linli.inventory.models import Lot
from linli.inventory.trace import lot_sales
from linli.procurement.access import (
    authenticated,
    is_platform_admin,
    outlet_ids_for,
    supplier_ids_for,
)
from linli.procurement.errors import ProcurementError, ProcurementErrorCode
from linli.procurement.models import Recall, Supplier
from linli.shops.models import Membership

E = ProcurementErrorCode


def _lots(
    actor: User | None, batch_no: str, product_id: int | None, supplier: Supplier | None
) -> list[Lot]:
    qs = Lot.objects.filter(batch_no=batch_no).select_related(
        "stock_level__product", "stock_level__outlet"
    )
    if supplier is not None:
        if not (is_platform_admin(actor) or supplier.pk in supplier_ids_for(actor)):
            raise ProcurementError(E.NOT_SUPPLIER_EDITOR)
        qs = qs.filter(receipt_line__po_line__purchase_order__supplier=supplier)
    elif not is_platform_admin(actor):
        qs = qs.filter(stock_level__outlet_id__in=outlet_ids_for(actor))
    if product_id is not None:
        qs = qs.filter(stock_level__product_id=product_id)
    return list(qs.order_by("pk"))


@transaction.atomic
def recall_create(
    *,
    actor: User | None,
    batch_no: str,
    reason: str,
    product_id: int | None = None,
    supplier: Supplier | None = None,
    today: date | None = None,
) -> Recall:
    if not authenticated(actor):
        raise ProcurementError(E.RECALL_NOTHING, batch=batch_no)
    batch_no = (batch_no or "").strip()[:40]
    reason = (reason or "").strip()[:200]
    if not reason:
        raise ProcurementError(E.RECALL_REASON)
    lots = _lots(actor, batch_no, product_id, supplier)
    if not batch_no or not lots:
        raise ProcurementError(E.RECALL_NOTHING, batch=batch_no or "—")
    lot_ids = [lot.pk for lot in lots]
    result = lots_recall(lot_ids=lot_ids, today=today)
    names = sorted({lot.stock_level.product.name for lot in lots})
    product_name = "、".join(names)[:120]
    merchant_ids = sorted({lot.stock_level.outlet.merchant_id for lot in lots})
    recall = Recall.objects.create(
        batch_no=batch_no,
        product_name=product_name,
        reason=reason,
        initiated_by=actor,
        supplier=supplier,
        merchant_id=merchant_ids[0] if supplier is None and len(merchant_ids) == 1 else None,
        units_written_off=result.written_off,
        units_held=result.held,
    )
    recall.lots.set(lot_ids)
    sales = lot_sales(lot_ids=lot_ids)
    recall.units_sold = sum(s.quantity for s in sales)
    told: set[int] = set()
    for sale in sales:
        owner = sale.owner
        if owner is None or owner.resident_id in told:
            continue
        told.add(owner.resident_id)
        notification_send(
            user=User.objects.get(pk=owner.resident_id),
            kind="recall",
            title=f"召回通知：{product_name}（批次 {batch_no}）",
            body=(
                f"您在订单 {owner.order_number} 中购买的{product_name}（批次 {batch_no}）已被召回，"
                f"原因：{reason}。请停止食用，并联系门店退货退款。"
            ),
            url=owner.url,
            sms=f"【邻里】召回通知：您购买的{product_name}（批次 {batch_no}）已召回，请停止食用并联系门店退款。",
        )
    recall.residents_notified = len(told)
    recall.save(update_fields=["units_sold", "residents_notified"])
    # The shops holding the batch hear of it too, unless they started the recall.
    staff = (
        Membership.objects.filter(
            merchant_id__in=merchant_ids,
            role__in=[Membership.Role.OWNER, Membership.Role.MANAGER, Membership.Role.FRANCHISEE],
        )
        .exclude(user=actor)
        .select_related("user")
    )
    for m in staff:
        notification_send(
            user=m.user,
            kind="recall_shop",
            title=f"召回：{product_name}（批次 {batch_no}）已停售",
            body=f"原因：{reason}。该批次已下架并报损 {result.written_off} 件。",
        )
    return recall
