"""Personas and a small neighbourhood, shared by every app's tests (healthchecks/Zulip style).

rosa lives in the community; marco owns 马哥便利店; mia works at another shop and must not see
marco's data; carla is a courier; gina a commerce official; pete the property manager.
"""

from __future__ import annotations

import os

import pytest

from linli.accounts.models import Role, User
from linli.accounts.services import user_create
from linli.accounts.sms import MemorySmsBackend

VALID_USCC = ["91350100M000100Y43", "91230184MA1BUFLT44", "92371000MA3MXH0E3W"]


def postgres_only() -> pytest.MarkDecorator:
    url = os.getenv("DATABASE_URL", "")
    return pytest.mark.skipif(
        not url.startswith(("postgres://", "postgresql://")),
        reason="needs PostgreSQL: run with DATABASE_URL=postgres://… (CI's second run does)",
    )


@pytest.fixture(autouse=True)
def _clear_sms_outbox() -> None:
    MemorySmsBackend.outbox.clear()


@pytest.fixture
def sms_outbox() -> list[tuple[str, str]]:
    return MemorySmsBackend.outbox


@pytest.fixture
def community(db):
    from linli.community.models import Building, Community, Household
    from linli.shops.services import business_formats_sync

    business_formats_sync()  # transactional tests flush the rows the data migration wrote
    c = Community.objects.create(
        name="望京西园社区",
        name_en="Wangjing Xiyuan",
        city="北京市",
        district="朝阳区",
        street_office="望京街道",
        center_lat=39.995,
        center_lon=116.47,
    )
    b = Building.objects.create(
        community=c,
        name="西园三区 3 号楼",
        lat=39.9952,
        lon=116.4702,
        floors=18,
        households=120,
        residential=True,
        floor_area_m2=10800,
    )
    Household.objects.create(building=b, unit="2", room="1503")
    return c


def _person(phone: str, name: str, role: str, password: str | None = None) -> User:
    return user_create(phone=phone, display_name=name, roles=[role], password=password)


@pytest.fixture
def rosa(community) -> User:
    from linli.community.models import Household, HouseholdMember

    user = _person("13800000001", "罗莎", Role.RESIDENT)
    HouseholdMember.objects.create(
        household=Household.objects.get(building__community=community), user=user, is_primary=True
    )
    return user


@pytest.fixture
def marco(community) -> User:
    from linli.shops.services import merchant_register, outlet_create

    user = _person("13800000002", "马可", Role.SHOP_OWNER, password="marco-pass-123")
    merchant = merchant_register(name="马哥便利店", uscc=VALID_USCC[0], owner=user)
    outlet_create(
        merchant=merchant,
        community_id=community.pk,
        name="马哥便利店 西园店",
        lat=39.9957,
        lon=116.4711,
        format_slugs=["convenience_store"],
        address="望京西园三区底商",
    )
    return user


@pytest.fixture
def mia(community) -> User:
    from linli.shops.services import merchant_register, outlet_create

    user = _person("13800000003", "米娅", Role.SHOP_STAFF)
    merchant = merchant_register(name="米家鲜果", uscc=VALID_USCC[1], owner=None)
    from linli.shops.services import membership_add

    membership_add(merchant=merchant, user=user, role="staff")
    outlet_create(
        merchant=merchant,
        community_id=community.pk,
        name="米家鲜果 望京店",
        lat=39.9961,
        lon=116.4690,
        format_slugs=["fresh_grocery"],
    )
    return user


@pytest.fixture
def carla(community) -> User:
    return _person("13800000004", "卡拉", Role.COURIER)


@pytest.fixture
def gina(community) -> User:
    return _person("13800000005", "吉娜", Role.COMMERCE_OFFICIAL, password="gina-pass-123")


@pytest.fixture
def pete(community) -> User:
    from linli.community.models import CommunityStaff

    user = _person("13800000006", "皮特", Role.PROPERTY_MANAGER, password="pete-pass-123")
    CommunityStaff.objects.create(community=community, user=user, kind="property")
    return user


def race(count: int, attempt, *, timeout: float = 60.0) -> list[str]:
    """Run attempt(i) for i in range(count) in real threads released together, each on its own
    database connection. Returns one outcome per thread: "ok", a LinliError code, or
    "error:<type>:<message>" for anything unexpected (which a test should treat as a failure)."""
    import threading

    from django.db import connections

    from linli.core.errors import LinliError

    start = threading.Barrier(count)
    results: list[str] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        try:
            start.wait()
            try:
                attempt(i)
                outcome = "ok"
            except LinliError as e:
                outcome = e.spec.code
            except Exception as e:
                outcome = f"error:{type(e).__name__}:{e}"
            with lock:
                results.append(outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    return results
