"""A locker site in the shared test community: one cabinet with ambient, chilled and frozen
compartments of several sizes, a device key, and the property's parcel station."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from linli.accounts.models import Role
from linli.accounts.services import role_grant
from linli.lockers.demo import cabinet_build
from linli.lockers.models import Booking, Cabinet, Site
from linli.lockers.services import booking_claim, booking_deposit, cabinet_key_issue

LAYOUT = [
    ("A", "ambient", ["S", "M", "L"]),
    ("C", "chilled", ["S", "M", "M"]),
    ("F", "frozen", ["S"]),
]


@dataclass
class Lockers:
    site: Site
    cabinet: Cabinet
    key: str
    station: Site


@pytest.fixture
def lockers(community) -> Lockers:
    return lockers_build(community)


def lockers_build(community) -> Lockers:
    site = Site.objects.create(
        community=community,
        name="西园智能柜",
        address="3 号楼东侧",
        operator=Site.Operator.PLATFORM,
        lat=39.9953,
        lon=116.4704,
    )
    cabinet = cabinet_build(site, "LL-T-0001", LAYOUT)
    key = cabinet_key_issue(actor=None, cabinet=cabinet)
    station = Site.objects.create(
        community=community,
        name="西园物业代收点",
        address="物业服务中心",
        kind=Site.Kind.STATION,
        operator=Site.Operator.PROPERTY,
        lat=39.9950,
        lon=116.4700,
    )
    return Lockers(site, cabinet, key, station)


def codes_in(outbox: list[tuple[str, str]], digits: int = 8) -> list[str]:
    import re

    return [
        m.group(1)
        for _, text in outbox
        for m in [re.search(rf"取件码 (\d{{{digits}}})", text)]
        if m
    ]


@pytest.fixture
def paid(rosa, lockers):
    return booking_paid(rosa, lockers)


def booking_paid(rosa, lockers):
    """A chilled order booking, paid (as checkout and payment would leave it)."""
    b = booking_claim(
        resident=rosa,
        site_ids=[lockers.site.pk],
        storage="chilled",
        volume_ml=1000,
        weight_g=1000,
        order_id=None,
        expires_at=timezone.now() + timedelta(minutes=15),
    )
    Booking.objects.filter(pk=b.pk).update(status="confirmed", expires_at=None)
    b.refresh_from_db()
    return b


@pytest.fixture
def admin(carla):
    return platform_admin(carla)


def platform_admin(user):
    role_grant(user=user, role=Role.PLATFORM_ADMIN)
    return user


def deposit(booking, actor, capture, **kw):
    with capture(execute=True):
        return booking_deposit(actor=actor, booking_id=booking.pk, **kw)
