"""Shared pieces of the locker services: the audit log, who operates a site, notifications."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from django.db.models import Q, QuerySet

from linli.accounts.models import Role, User
from linli.accounts.notify import notification_send
from linli.community.models import CommunityStaff
from linli.core.errors import CoreError, CoreErrorCode
from linli.lockers.models import Booking, Cabinet, LockerEvent, Parcel, Site
from linli.shops.models import Membership
from linli.shops.selectors import outlet_list_for_user

log = logging.getLogger("linli.lockers")


def event_log(
    kind: str,
    *,
    code: str = "",
    channel: str = "",
    cabinet: Cabinet | None = None,
    booking: Booking | None = None,
    parcel: Parcel | None = None,
    actor: User | None = None,
    detail: str = "",
) -> LockerEvent:
    if code:
        log.warning("lockers %s refused: %s (cabinet=%s) %s", kind, code, cabinet, detail)
    return LockerEvent.objects.create(
        kind=kind,
        code=code,
        channel=channel,
        cabinet=cabinet,
        booking=booking,
        parcel=parcel,
        actor=actor if actor is not None and actor.pk else None,
        detail=detail[:200],
    )


def new_code(digits: int) -> str:
    return f"{secrets.randbelow(10**digits):0{digits}d}"


def is_platform_admin(user: User) -> bool:
    return user.is_superuser or user.has_role(Role.PLATFORM_ADMIN)


def sites_for_operator(*, user: User) -> QuerySet[Site]:
    """Platform admins see every site; property managers the sites of their communities that
    the property runs; shop people the sites their outlets run."""
    qs = Site.objects.select_related("community", "operator_outlet")
    if is_platform_admin(user):
        return qs.all()
    communities = CommunityStaff.objects.filter(
        user=user, kind=CommunityStaff.Kind.PROPERTY
    ).values("community_id")
    return qs.filter(
        Q(operator=Site.Operator.PROPERTY, community_id__in=communities)
        | Q(operator=Site.Operator.SHOP, operator_outlet__in=outlet_list_for_user(user=user))
    ).distinct()


def site_for_operator(*, user: User, site_id: int) -> Site:
    site = sites_for_operator(user=user).filter(pk=site_id).first()
    if site is None:
        raise CoreError(CoreErrorCode.PERMISSION_DENIED)
    return site


def site_operators(site: Site) -> list[User]:
    if site.operator == Site.Operator.PROPERTY:
        users = User.objects.filter(
            communitystaff__community_id=site.community_id,
            communitystaff__kind=CommunityStaff.Kind.PROPERTY,
        )
    elif site.operator == Site.Operator.SHOP and site.operator_outlet_id:
        users = User.objects.filter(
            shop_memberships__merchant__outlets__pk=site.operator_outlet_id,
            shop_memberships__role__in=[Membership.Role.OWNER, Membership.Role.MANAGER],
        )
    else:
        users = User.objects.filter(Q(is_superuser=True) | Q(roles__role=Role.PLATFORM_ADMIN))
    return list(users.filter(is_active=True).distinct().order_by("pk"))


def tell(user: User, kind: str, title: str, body: str = "", url: str = "", sms: str = "") -> Any:
    return notification_send(user=user, kind=kind, title=title, body=body, url=url, sms=sms)
