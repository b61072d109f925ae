"""Joint procurement rounds (联合采购).

Capacity is claimed, never checked-then-written: a commitment changes the round's total with one
conditional UPDATE (open, before the deadline) and claims the supplier's quantity with another
(`committed + delta <= available`); the CheckConstraint `committed <= available` is the backstop.
Both run in one transaction, always round first, then supplier product (one lock order).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from linli.accounts.models import User
from linli.catalog.models import Product
from linli.catalog.services import product_create
from linli.procurement import domain
from linli.procurement.access import can_coordinate, is_platform_admin, require_outlet
from linli.procurement.errors import ProcurementError, ProcurementErrorCode
from linli.procurement.models import (
    Commitment,
    JointRound,
    PurchaseOrder,
    PurchaseOrderLine,
    RoundTier,
    SupplierProduct,
)
from linli.procurement.services._common import QTY_MAX, check_quantity
from linli.shops.models import Outlet

E = ProcurementErrorCode
Status = JointRound.Status


def _when(dt: datetime) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M")


def _tiers(round_: JointRound) -> list[domain.Tier]:
    return [domain.Tier(t.min_quantity, t.price_fen) for t in round_.tiers.all()]


@transaction.atomic
def round_open(
    *,
    actor: User | None,
    supplier_product: SupplierProduct,
    title: str,
    deadline: datetime,
    tiers: Sequence[tuple[int, int]] | None = None,
    now: datetime | None = None,
) -> JointRound:
    """Open a round for a supplier product. Tiers default to the supplier's quoted tiers."""
    if actor is None or not can_coordinate(actor):
        raise ProcurementError(E.NOT_COORDINATOR)
    if deadline <= (now or timezone.now()):
        raise ProcurementError(E.ROUND_DEADLINE_INVALID)
    if tiers is None:
        tiers = [(t.min_quantity, t.price_fen) for t in supplier_product.tiers.all()]
    try:
        checked = domain.tiers_check(tiers, base_price_fen=supplier_product.price_fen)
    except domain.TierError as e:
        raise ProcurementError(E.TIERS_INVALID, reason=str(e)) from e
    if not checked:
        raise ProcurementError(E.TIERS_INVALID, reason="no tiers")
    round_ = JointRound.objects.create(
        title=(title or supplier_product.name).strip()[:80],
        coordinator=actor,
        supplier_product=supplier_product,
        deadline=deadline,
        solo_price_fen=supplier_product.price_fen,
    )
    RoundTier.objects.bulk_create(
        RoundTier(joint_round=round_, min_quantity=t.min_quantity, price_fen=t.price_fen)
        for t in checked
    )
    return round_


def _shop_product(actor: User | None, outlet: Outlet, sp: SupplierProduct) -> Product:
    """The shop's own catalogue product the goods will be received as: found by name, or
    created from the supplier's description."""
    found = Product.objects.filter(merchant_id=outlet.merchant_id, name=sp.name).first()
    if found is not None:
        return found
    return product_create(
        actor=actor,
        merchant=outlet.merchant,
        name=sp.name,
        spec=sp.spec,
        unit=sp.unit[:8],
        origin=sp.origin,
        shelf_life_days=sp.shelf_life_days,
        storage=sp.storage,
    )


@transaction.atomic
def round_commit(
    *,
    actor: User | None,
    joint_round: JointRound,
    outlet: Outlet,
    quantity: int,
    product: Product | None = None,
    now: datetime | None = None,
) -> Commitment:
    """Set an outlet's quantity in an open round (0 withdraws). The change is claimed against
    the supplier's uncommitted quantity; after the deadline nothing changes."""
    require_outlet(actor, outlet.pk)
    quantity = check_quantity(quantity, low=0, high=QTY_MAX)
    now = now or timezone.now()
    rnd = JointRound.objects.select_related("supplier_product").get(pk=joint_round.pk)
    sp = rnd.supplier_product
    if product is not None and product.merchant_id != outlet.merchant_id:
        raise ProcurementError(E.PRODUCT_NOT_FOUND)
    if rnd.status != Status.OPEN or rnd.deadline <= now:
        raise ProcurementError(E.ROUND_CLOSED, deadline=_when(rnd.deadline))
    # The outlet's own row, locked, so one outlet's two requests cannot both apply a delta.
    commitment = (
        Commitment.objects.select_for_update().filter(joint_round=rnd, outlet=outlet).first()
    )
    if commitment is None:
        try:
            with transaction.atomic():
                Commitment.objects.create(
                    joint_round=rnd,
                    outlet=outlet,
                    product=product or _shop_product(actor, outlet, sp),
                )
        except IntegrityError:
            pass  # the same outlet's other request created it first
        commitment = Commitment.objects.select_for_update().get(joint_round=rnd, outlet=outlet)
    delta = quantity - commitment.quantity
    if delta:
        if not JointRound.objects.filter(
            pk=rnd.pk, status=Status.OPEN, deadline__gt=now, total_committed__gte=-delta
        ).update(total_committed=F("total_committed") + delta):
            raise ProcurementError(E.ROUND_CLOSED, deadline=_when(rnd.deadline))
        if not SupplierProduct.objects.filter(
            pk=sp.pk,
            available_quantity__gte=F("committed_quantity") + delta,
            committed_quantity__gte=-delta,
        ).update(committed_quantity=F("committed_quantity") + delta):
            left = (
                SupplierProduct.objects.filter(pk=sp.pk)
                .values_list("available_quantity", "committed_quantity")
                .get()
            )
            raise ProcurementError(
                E.ROUND_OVER_CAPACITY,
                product=sp.name,
                left=max(0, left[0] - left[1]) + commitment.quantity,
                unit=sp.unit,
            )
    commitment.quantity = quantity
    commitment.committed_by = actor
    commitment.updated_at = now
    if product is not None:
        commitment.product = product
    commitment.save(update_fields=["quantity", "committed_by", "updated_at", "product"])
    return commitment


@transaction.atomic
def round_close(
    *, actor: User | None, joint_round: JointRound, now: datetime | None = None
) -> list[PurchaseOrder]:
    """At the deadline: the tier follows the total, each committed outlet gets one purchase
    order (sent) at the tier price, and its saving against buying alone is recorded. The
    supplier's committed quantity becomes sold. `actor=None` is the job. Closing twice does
    nothing the second time."""
    now = now or timezone.now()
    rnd = (
        JointRound.objects.select_for_update()
        .select_related("supplier_product__supplier")
        .get(pk=joint_round.pk)
    )
    if actor is not None and actor != rnd.coordinator and not is_platform_admin(actor):
        raise ProcurementError(E.NOT_COORDINATOR)
    if rnd.status != Status.OPEN:
        return []
    if rnd.deadline > now:
        raise ProcurementError(E.ROUND_NOT_DUE, deadline=_when(rnd.deadline))
    sp = rnd.supplier_product
    tiers = _tiers(rnd)
    commitments = list(
        # No row locks here: a commitment updates the round row first, which we hold.
        rnd.commitments.filter(quantity__gt=0).select_related("outlet")
    )
    total = sum(c.quantity for c in commitments)
    price = domain.tier_price(tiers, total=total, base_price_fen=rnd.solo_price_fen)
    day = timezone.localdate(now)
    pos: list[PurchaseOrder] = []
    for c in sorted(commitments, key=lambda c: c.outlet_id):
        solo = domain.solo_price(tiers, quantity=c.quantity, base_price_fen=rnd.solo_price_fen)
        po = PurchaseOrder.objects.create(
            outlet=c.outlet,
            supplier=sp.supplier,
            status=PurchaseOrder.Status.SENT,
            joint_round=rnd,
            expected_date=day + timedelta(days=sp.supplier.lead_time_days),
            note=rnd.title[:200],
            created_by=rnd.coordinator,
            sent_at=now,
        )
        po.number = f"PO{day:%Y%m%d}{po.pk:05d}"
        po.save(update_fields=["number"])
        PurchaseOrderLine.objects.create(
            purchase_order=po,
            product_id=c.product_id,
            supplier_product=sp,
            quantity_ordered=c.quantity,
            unit_price_fen=price,
            solo_price_fen=solo,
        )
        c.unit_price_fen = price
        c.saved_fen = domain.saving(quantity=c.quantity, solo_price_fen=solo, paid_price_fen=price)
        c.purchase_order = po
        c.save(update_fields=["unit_price_fen", "saved_fen", "purchase_order"])
        pos.append(po)
    SupplierProduct.objects.filter(pk=sp.pk).update(
        available_quantity=F("available_quantity") - total,
        committed_quantity=F("committed_quantity") - total,
    )
    rnd.status = Status.CLOSED
    rnd.tier_price_fen = price
    rnd.closed_at = now
    rnd.total_committed = total
    rnd.save(update_fields=["status", "tier_price_fen", "closed_at", "total_committed"])
    return pos


def rounds_close_due(*, now: datetime | None = None) -> int:
    """The job: close every open round whose deadline has passed; returns how many."""
    now = now or timezone.now()
    ids = list(
        JointRound.objects.filter(status=Status.OPEN, deadline__lte=now)
        .order_by("deadline", "pk")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        round_close(actor=None, joint_round=JointRound(pk=pk), now=now)
    return len(ids)


@transaction.atomic
def round_cancel(*, actor: User | None, joint_round: JointRound) -> JointRound:
    """The coordinator calls a round off before it closes: every claim goes back."""
    rnd = JointRound.objects.select_for_update().get(pk=joint_round.pk)
    if actor != rnd.coordinator and not is_platform_admin(actor):
        raise ProcurementError(E.NOT_COORDINATOR)
    if rnd.status != Status.OPEN:
        raise ProcurementError(E.ROUND_CLOSED, deadline=_when(rnd.deadline))
    SupplierProduct.objects.filter(pk=rnd.supplier_product_id).update(
        committed_quantity=F("committed_quantity") - rnd.total_committed
    )
    rnd.status = Status.CANCELLED
    rnd.closed_at = timezone.now()
    rnd.save(update_fields=["status", "closed_at"])
    return rnd
