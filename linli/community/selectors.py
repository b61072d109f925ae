"""Reads for communities, filtered by who asks."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from linli.accounts.models import Role, User
from linli.community.models import Community, CommunityStaff, Household


def household_for_user(*, user: User) -> Household | None:
    return (
        Household.objects.filter(householdmember__user=user)
        .select_related("building__community")
        .order_by("-householdmember__is_primary", "pk")
        .first()
    )


def community_for_user(*, user: User) -> Community | None:
    """The community a person lives in or works for; officials fall back to the first one."""
    home = household_for_user(user=user)
    if home is not None:
        return home.building.community
    staff = CommunityStaff.objects.filter(user=user).select_related("community").first()
    if staff is not None:
        return staff.community
    return Community.objects.order_by("pk").first()


def communities_for_official(*, user: User) -> QuerySet[Community]:
    """Commerce officials see every community; officers and property managers their own."""
    qs = Community.objects.annotate(
        building_count=Count("buildings", distinct=True),
        residential_count=Count("buildings", filter=Q(buildings__residential=True), distinct=True),
    ).order_by("name")
    if user.has_role(Role.COMMERCE_OFFICIAL) or user.has_role(Role.PLATFORM_ADMIN):
        return qs
    return qs.filter(staff__user=user).distinct()
