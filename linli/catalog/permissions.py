"""Who may manage what: members of a merchant manage its products; outlets follow shops tenancy.

Shared with `inventory` (a higher layer), which raises its own error codes.
"""

from __future__ import annotations

from linli.accounts.models import User
from linli.shops.models import Membership
from linli.shops.selectors import outlet_list_for_user


def can_manage_outlet(*, actor: User | None, outlet_id: int) -> bool:
    """Owners and managers: every outlet of their merchant; staff: their assigned outlets (all if none)."""
    if actor is None or not actor.is_authenticated:
        return False
    return outlet_list_for_user(user=actor).filter(pk=outlet_id).exists()


def can_manage_merchant(*, actor: User | None, merchant_id: int) -> bool:
    """Any member (owner, manager, staff) may maintain the merchant's shared products."""
    if actor is None or not actor.is_authenticated:
        return False
    return Membership.objects.filter(user=actor, merchant_id=merchant_id).exists()
