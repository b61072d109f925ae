"""Who may manage what: members of a merchant manage its products; outlets follow shops tenancy.

Shared with `inventory` (a higher layer), which raises its own error codes.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from linli.accounts.models import User
from linli.shops.models import Membership, Outlet

Assigned = Membership.outlets.through


def can_manage_outlet(*, actor: User | None, outlet_id: int) -> bool:
    """Owners and managers: every outlet of their merchant; staff: their assigned outlets (all if
    none); a franchisee: its assigned outlets only. The same rule as
    `shops.selectors.outlet_list_for_user`, in one query."""
    if actor is None or not actor.is_authenticated:
        return False
    whole_merchant = Membership.objects.filter(
        user=actor, merchant_id=OuterRef("merchant_id")
    ).filter(
        Q(role__in=[Membership.Role.OWNER, Membership.Role.MANAGER])
        | (
            Q(role=Membership.Role.STAFF)
            & ~Exists(Assigned.objects.filter(membership_id=OuterRef("pk")))
        )
    )
    assigned_here = Assigned.objects.filter(membership__user=actor, outlet_id=OuterRef("pk"))
    return (
        Outlet.objects.filter(pk=outlet_id)
        .filter(Exists(whole_merchant) | Exists(assigned_here))
        .exists()
    )


def can_manage_merchant(*, actor: User | None, merchant_id: int) -> bool:
    """Any member (owner, manager, staff) may maintain the merchant's shared products; a
    franchisee may not (the head office keeps the chain's assortment)."""
    if actor is None or not actor.is_authenticated:
        return False
    return (
        Membership.objects.filter(user=actor, merchant_id=merchant_id)
        .exclude(role=Membership.Role.FRANCHISEE)
        .exists()
    )
