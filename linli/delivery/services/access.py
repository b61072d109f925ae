"""Who may do what in common delivery (checked inside every service)."""

from __future__ import annotations

from django.db.models import QuerySet

from linli.accounts.models import Role, User
from linli.community.models import Community, CommunityStaff
from linli.delivery.errors import DeliveryError, DeliveryErrorCode
from linli.delivery.models import CourierAssignment


def is_platform_admin(user: User | None) -> bool:
    return bool(user and (user.is_superuser or user.has_role(Role.PLATFORM_ADMIN)))


def communities_managed(*, user: User) -> QuerySet[Community]:
    """Communities whose delivery the user plans and watches: platform admins all; property
    managers and community officers their own."""
    if is_platform_admin(user):
        return Community.objects.all()
    ids = CommunityStaff.objects.filter(user=user).values("community_id")
    return Community.objects.filter(pk__in=ids)


def communities_for_savings(*, user: User) -> QuerySet[Community]:
    """The savings page: community staff their own; the commerce bureau every community."""
    if user.has_role(Role.COMMERCE_OFFICIAL):
        return Community.objects.all()
    return communities_managed(user=user)


def require_manager(user: User | None, community_id: int) -> None:
    if user is None or not communities_managed(user=user).filter(pk=community_id).exists():
        raise DeliveryError(DeliveryErrorCode.FORBIDDEN)


def is_courier_for(user: User, community_id: int) -> bool:
    return CourierAssignment.objects.filter(
        courier=user, community_id=community_id, active=True
    ).exists()
