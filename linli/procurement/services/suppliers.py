"""Suppliers: register with a checked USCC, licences, people, products, prices and tiers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.accounts.models import Role, User
from linli.accounts.services import role_grant
from linli.core.storage import StorageClass
from linli.procurement import domain
from linli.procurement.access import authenticated, is_platform_admin, require_supplier_editor
from linli.procurement.errors import ProcurementError, ProcurementErrorCode
from linli.procurement.models import (
    PriceTier,
    Supplier,
    SupplierLicence,
    SupplierMember,
    SupplierProduct,
)
from linli.procurement.services._common import QTY_MAX, check_price, check_quantity, is_int
from linli.shops.licences import UsccVerdict, food_licence_format_ok, uscc_check
from linli.shops.models import Membership, Merchant

E = ProcurementErrorCode


@transaction.atomic
def supplier_register(
    *,
    actor: User | None,
    name: str,
    kind: str,
    uscc: str,
    merchant: Merchant | None = None,
    accept_legacy: bool = False,
    legal_representative: str = "",
    phone: str = "",
    address: str = "",
    region: str = "",
    lead_time_days: int = 2,
) -> Supplier:
    """A shop (a member of `merchant`) or the platform registers a supplier. The USCC must pass
    GB 32100 (a legacy code only with consent); one supplier per code."""
    if not authenticated(actor):
        raise ProcurementError(E.NOT_SUPPLIER_EDITOR)
    if merchant is not None:
        if (
            not Membership.objects.filter(user=actor, merchant=merchant)
            .exclude(role=Membership.Role.FRANCHISEE)
            .exists()
        ):
            raise ProcurementError(E.NOT_SUPPLIER_EDITOR)
    elif not is_platform_admin(actor):
        raise ProcurementError(E.NOT_SUPPLIER_EDITOR)
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ProcurementError(E.SUPPLIER_INVALID, reason="name")
    if kind not in Supplier.Kind.values:
        raise ProcurementError(E.SUPPLIER_INVALID, reason=f"kind={kind}")
    if not is_int(lead_time_days) or not 0 <= lead_time_days <= 90:
        raise ProcurementError(E.SUPPLIER_INVALID, reason="lead_time_days")
    result = uscc_check(uscc)
    if result.verdict is UsccVerdict.INVALID:
        raise ProcurementError(E.USCC_INVALID, code=uscc)
    if result.verdict is UsccVerdict.LEGACY and not accept_legacy:
        raise ProcurementError(E.USCC_LEGACY_NOT_CONFIRMED, code=result.code)
    if Supplier.objects.filter(uscc=result.code).exists():
        raise ProcurementError(E.SUPPLIER_DUPLICATE, code=result.code)
    try:
        with transaction.atomic():
            return Supplier.objects.create(
                name=name,
                kind=kind,
                uscc=result.code,
                uscc_legacy=result.verdict is UsccVerdict.LEGACY,
                legal_representative=legal_representative[:40],
                phone=phone[:20],
                address=address[:200],
                region=region[:60],
                lead_time_days=lead_time_days,
                registered_by=merchant,
            )
    except IntegrityError as e:  # a concurrent registration of the same code
        raise ProcurementError(E.SUPPLIER_DUPLICATE, code=result.code) from e


@transaction.atomic
def supplier_licence_add(
    *,
    actor: User | None,
    supplier: Supplier,
    kind: str,
    number: str,
    valid_until: date,
    today: date | None = None,
) -> SupplierLicence:
    require_supplier_editor(actor, supplier)
    number = (number or "").strip().upper()
    if not food_licence_format_ok(kind, number):
        raise ProcurementError(E.LICENCE_FORMAT, number=number)
    if valid_until < (today or timezone.localdate()):
        raise ProcurementError(E.LICENCE_EXPIRED, date=valid_until.isoformat())
    try:
        with transaction.atomic():
            return SupplierLicence.objects.create(
                supplier=supplier, kind=kind, number=number, valid_until=valid_until
            )
    except IntegrityError as e:
        raise ProcurementError(E.LICENCE_DUPLICATE) from e


@transaction.atomic
def supplier_member_add(*, actor: User | None, supplier: Supplier, user: User) -> SupplierMember:
    """Give a person the supplier portal (and the supplier role for their home page)."""
    require_supplier_editor(actor, supplier)
    member, _ = SupplierMember.objects.get_or_create(supplier=supplier, user=user)
    role_grant(user=user, role=Role.SUPPLIER)
    return member


@transaction.atomic
def supplier_product_upsert(
    *,
    actor: User | None,
    supplier: Supplier,
    name: str,
    price_fen: int,
    unit: str = "kg",
    spec: str = "",
    origin: str = "",
    available_quantity: int = 0,
    min_order_quantity: int = 1,
    shelf_life_days: int | None = None,
    storage: str = StorageClass.AMBIENT,
    product_id: int | None = None,
) -> SupplierProduct:
    """Create (or, with `product_id`, change) a supplier's product and base price. The available
    quantity may not drop below what joint rounds have already committed."""
    require_supplier_editor(actor, supplier)
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ProcurementError(E.SUPPLIER_INVALID, reason="name")
    if storage not in StorageClass.values:
        raise ProcurementError(E.SUPPLIER_INVALID, reason=f"storage={storage}")
    fields: dict[str, Any] = {
        "name": name,
        "price_fen": check_price(price_fen),
        "unit": (unit or "kg")[:8],
        "spec": spec[:40],
        "origin": (origin or supplier.region)[:60],
        "available_quantity": check_quantity(available_quantity, low=0, high=QTY_MAX * 10),
        "min_order_quantity": check_quantity(min_order_quantity),
        "shelf_life_days": None
        if shelf_life_days is None
        else check_quantity(shelf_life_days, high=3650),
        "storage": storage,
    }
    if product_id is None:
        return SupplierProduct.objects.create(supplier=supplier, **fields)
    sp = (
        SupplierProduct.objects.select_for_update().filter(pk=product_id, supplier=supplier).first()
    )
    if sp is None:
        raise ProcurementError(E.PRODUCT_NOT_FOUND)
    if fields["available_quantity"] < sp.committed_quantity:
        raise ProcurementError(
            E.INVALID_QUANTITY,
            low=sp.committed_quantity,
            high=QTY_MAX * 10,
            quantity=fields["available_quantity"],
        )
    for key, value in fields.items():
        setattr(sp, key, value)
    sp.save()
    return sp


@transaction.atomic
def price_tiers_set(
    *, actor: User | None, supplier_product: SupplierProduct, tiers: Sequence[tuple[int, int]]
) -> list[PriceTier]:
    """Replace the quantity discounts, e.g. [(100, 800), (300, 720)]: ≥ 100 kg at ¥8.00."""
    require_supplier_editor(actor, supplier_product.supplier)
    try:
        checked = domain.tiers_check(tiers, base_price_fen=supplier_product.price_fen)
    except domain.TierError as e:
        raise ProcurementError(E.TIERS_INVALID, reason=str(e)) from e
    PriceTier.objects.filter(supplier_product=supplier_product).delete()
    return PriceTier.objects.bulk_create(
        PriceTier(
            supplier_product=supplier_product, min_quantity=t.min_quantity, price_fen=t.price_fen
        )
        for t in checked
    )
