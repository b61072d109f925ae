"""Reads for communities, filtered by who asks."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from linli.accounts.models import Role, User
from linli.community.models import Community, CommunityStaff, Household, StreetNetwork
from linli.core.sql import CompiledQuery


def household_for_user(*, user: User) -> Household | None:
    return (
        Household.objects.filter(householdmember__user=user)
        .select_related("building__community")
        .order_by("-householdmember__is_primary", "pk")
        .first()
    )


@dataclass(frozen=True)
class HomePoint:
    """Where a resident lives, as the walking engine needs it (no model instances)."""

    lat: float
    lon: float
    community_id: int
    network_digest: str | None  # None: the community has no street network yet


HOME_POINT_FIELDS = ("building__lat", "building__lon", "building__community_id", "digest")


def _homes(user_id: int | OuterRef) -> QuerySet[Household]:
    """The user's households, the primary one first, each with its network's digest."""
    digest = StreetNetwork.objects.filter(community_id=OuterRef("building__community_id"))
    return (
        Household.objects.filter(householdmember__user_id=user_id)
        .order_by("-householdmember__is_primary", "pk")
        .annotate(digest=Subquery(digest.values("digest")[:1]))
    )


def home_point_columns(user_id: str) -> dict[str, Subquery]:
    """The `HomePoint` of the user whose id is in column `user_id` of another query, as columns
    that query can carry (`home_lat`, `home_lon`, `home_community_id`, `home_network_digest`):
    a caller that reads a row of that user anyway gets the home without another statement."""
    homes = _homes(OuterRef(user_id))
    names = ("home_lat", "home_lon", "home_community_id", "home_network_digest")
    return {
        name: Subquery(homes.values(field)[:1])
        for name, field in zip(names, HOME_POINT_FIELDS, strict=True)
    }


def _home_point_query(user_id: int) -> QuerySet[Household]:
    return _homes(user_id).values_list(*HOME_POINT_FIELDS)[:1]


_HOME_POINT = CompiledQuery(_home_point_query, user_id=int)


def home_point_for_user(*, user: User) -> HomePoint | None:
    """The home of `household_for_user` with its community's network digest: one statement,
    compiled once, so that a range check (checkout) costs little more than the database's time."""
    row = _HOME_POINT.first(user_id=user.pk)
    return HomePoint(*row) if row is not None else None


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
