"""Reads for shops, always filtered by who asks (tenancy)."""

from __future__ import annotations

from django.db.models import QuerySet

from linli.accounts.models import User
from linli.shops.errors import ShopsError, ShopsErrorCode
from linli.shops.models import Licence, Membership, Merchant, Outlet


def merchant_list_for_user(*, user: User) -> QuerySet[Merchant]:
    return Merchant.objects.filter(members__user=user).distinct()


def outlet_list_for_user(*, user: User) -> QuerySet[Outlet]:
    """Owners and managers see every outlet of their merchants; staff only their assigned ones
    (all if none); a franchisee only its assigned ones (none if none)."""
    memberships = Membership.objects.filter(user=user).prefetch_related("outlets")
    ids: set[int] = set()
    merchant_ids: list[int] = []
    for m in memberships:
        assigned = [o.pk for o in m.outlets.all()]
        if m.role == Membership.Role.FRANCHISEE or (m.role == Membership.Role.STAFF and assigned):
            ids.update(assigned)
        else:
            merchant_ids.append(m.merchant_id)
    qs = Outlet.objects.filter(merchant_id__in=merchant_ids) | Outlet.objects.filter(pk__in=ids)
    return qs.select_related("merchant", "community").prefetch_related("formats").distinct()


def outlet_get_for_user(*, user: User, outlet_id: int) -> Outlet:
    outlet = outlet_list_for_user(user=user).filter(pk=outlet_id).first()
    if outlet is None:
        # Same answer whether it does not exist or belongs to someone else: no probing.
        raise ShopsError(ShopsErrorCode.OUTLET_NOT_FOUND)
    return outlet


def outlet_public_get(*, outlet_id: int) -> Outlet:
    outlet = (
        Outlet.objects.select_related("merchant", "community")
        .prefetch_related("formats", "merchant__licences")
        .filter(pk=outlet_id, active=True)
        .first()
    )
    if outlet is None:
        raise ShopsError(ShopsErrorCode.OUTLET_NOT_FOUND)
    return outlet


def outlet_list_public(*, community_id: int | None = None) -> QuerySet[Outlet]:
    qs = Outlet.objects.filter(active=True).select_related("merchant").prefetch_related("formats")
    if community_id is not None:
        qs = qs.filter(community_id=community_id)
    return qs.order_by("name")


def licence_list_public(*, merchant: Merchant) -> list[Licence]:
    return list(merchant.licences.all().order_by("kind"))
