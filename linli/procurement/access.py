"""Who may do what in procurement. One query per question; services and selectors share it."""

from __future__ import annotations

from django.db.models import QuerySet

from linli.accounts.models import Role, User
from linli.catalog.permissions import can_manage_outlet
from linli.procurement.errors import ProcurementError, ProcurementErrorCode
from linli.procurement.models import Supplier, SupplierMember
from linli.shops.models import Membership, Outlet
from linli.shops.selectors import outlet_list_for_user

HEAD_OFFICE = (Membership.Role.OWNER, Membership.Role.MANAGER)


def authenticated(user: User | None) -> bool:
    return user is not None and user.is_authenticated


def is_platform_admin(user: User | None) -> bool:
    return authenticated(user) and user.has_role(Role.PLATFORM_ADMIN)  # type: ignore[union-attr]


def require_outlet(actor: User | None, outlet_id: int) -> None:
    if not can_manage_outlet(actor=actor, outlet_id=outlet_id):
        raise ProcurementError(ProcurementErrorCode.NOT_YOUR_OUTLET)


def outlet_ids_for(user: User | None) -> list[int]:
    if not authenticated(user):
        return []
    return list(outlet_list_for_user(user=user).values_list("pk", flat=True))  # type: ignore[arg-type]


def outlets_for(user: User | None) -> QuerySet[Outlet]:
    if not authenticated(user):
        return Outlet.objects.none()
    return outlet_list_for_user(user=user).order_by("pk")  # type: ignore[arg-type]


def supplier_ids_for(user: User | None) -> list[int]:
    """The suppliers a person works for (the supplier portal)."""
    if not authenticated(user):
        return []
    return list(SupplierMember.objects.filter(user=user).values_list("supplier_id", flat=True))


def can_edit_supplier(actor: User | None, supplier: Supplier) -> bool:
    """The supplier's own people, the platform, and the merchant that registered it (not its
    franchisees) keep a supplier's details, products and prices."""
    if not authenticated(actor):
        return False
    if (
        is_platform_admin(actor)
        or SupplierMember.objects.filter(user=actor, supplier=supplier).exists()
    ):
        return True
    return bool(
        supplier.registered_by_id
        and Membership.objects.filter(user=actor, merchant_id=supplier.registered_by_id)
        .exclude(role=Membership.Role.FRANCHISEE)
        .exists()
    )


def require_supplier_editor(actor: User | None, supplier: Supplier) -> None:
    if not can_edit_supplier(actor, supplier):
        raise ProcurementError(ProcurementErrorCode.NOT_SUPPLIER_EDITOR)


def can_coordinate(actor: User | None) -> bool:
    """The platform, or an owner/manager of any shop (a shop association's organiser)."""
    if not authenticated(actor):
        return False
    return (
        is_platform_admin(actor)
        or Membership.objects.filter(user=actor, role__in=HEAD_OFFICE).exists()
    )


def require_head_office(actor: User | None, merchant_id: int) -> None:
    """Owner or manager of the merchant: manages every outlet of a chain."""
    if (
        not authenticated(actor)
        or not Membership.objects.filter(
            user=actor, merchant_id=merchant_id, role__in=HEAD_OFFICE
        ).exists()
    ):
        raise ProcurementError(ProcurementErrorCode.NOT_HEAD_OFFICE)
