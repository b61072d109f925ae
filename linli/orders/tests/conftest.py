"""A small real neighbourhood for order tests: a 3×3 street grid imported from OSM, a resident
in one building, and two shops with stock (马哥便利店 and 米家鲜果), both within the 15-minute walk."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from linli.accounts.models import Role, User
from linli.accounts.services import user_create
from linli.catalog.models import Listing
from linli.catalog.services import listing_upsert, product_create
from linli.community.models import Building, Household, HouseholdMember
from linli.community.osm_import import community_import_osm
from linli.community.tests.osm_samples import LAT0, LON0, sample_osm
from linli.inventory.services import stock_receive
from linli.shops.models import Outlet
from linli.shops.services import business_formats_sync, merchant_register, outlet_create


@dataclass
class Shop:
    owner: User
    outlet: Outlet
    listings: dict[str, Listing]


@dataclass
class Neighbourhood:
    resident: User
    marco: Shop
    mia: Shop


def _shop(
    owner: User,
    name: str,
    uscc: str,
    community_id: int,
    lat: float,
    lon: float,
    fmt: str,
    goods: list[tuple[str, str, int, int]],
) -> Shop:
    merchant = merchant_register(name=name, uscc=uscc, owner=owner)
    outlet = outlet_create(
        merchant=merchant,
        community_id=community_id,
        name=name,
        lat=lat,
        lon=lon,
        format_slugs=[fmt],
    )
    listings = {}
    for product_name, storage, price, qty in goods:
        product = product_create(
            actor=owner,
            merchant=merchant,
            name=product_name,
            storage=storage,
            spec="1份",
            origin="北京顺义",
        )
        listings[product_name] = listing_upsert(
            actor=owner, outlet=outlet, product=product, price_fen=price
        )
        stock_receive(
            actor=owner,
            outlet=outlet,
            product=product,
            quantity=qty,
            batch_no=f"B{product.pk:04d}",
            expiry_date=timezone.localdate() + timedelta(days=10),
            origin="北京顺义",
        )
    return Shop(owner, outlet, listings)


def build_neighbourhood(tmp_path: Path) -> Neighbourhood:
    business_formats_sync()
    summary = community_import_osm(
        path=sample_osm(tmp_path), community_name="测试网格社区", city="北京市", district="朝阳区"
    )
    community_id = summary.community_id
    home = Building.objects.filter(community_id=community_id, residential=True).order_by("pk")[0]
    household = Household.objects.create(building=home, unit="1", room="101")
    resident = user_create(phone="13800000001", display_name="罗莎", roles=[Role.RESIDENT])
    HouseholdMember.objects.create(household=household, user=resident, is_primary=True)
    marco = user_create(
        phone="13800000002", display_name="马可", roles=[Role.SHOP_OWNER], password="marco-pass-123"
    )
    mia = user_create(
        phone="13800000003", display_name="米娅", roles=[Role.SHOP_OWNER], password="mia-pass-123"
    )
    return Neighbourhood(
        resident=resident,
        marco=_shop(
            marco,
            "马哥便利店",
            "91350100M000100Y43",
            community_id,
            LAT0 + 0.0011,
            LON0 + 0.0004,
            "convenience_store",
            [("农夫山泉 550ml", "ambient", 200, 50), ("伊利纯牛奶", "chilled", 350, 10)],
        ),
        mia=_shop(
            mia,
            "米家鲜果",
            "91230184MA1BUFLT44",
            community_id,
            LAT0 + 0.0019,
            LON0 + 0.0015,
            "fresh_grocery",
            [("西红柿", "ambient", 480, 30), ("鸡蛋 10枚", "ambient", 1290, 5)],
        ),
    )


@pytest.fixture
def hood(db, tmp_path) -> Neighbourhood:
    return build_neighbourhood(tmp_path)


def sms_code(outbox: list[tuple[str, str]]) -> str:
    return re.search(r"\b(\d{6})\b", outbox[-1][1]).group(1)
