"""Procurement fixtures on top of the personas: a farm cooperative with a supplier user, its
tomatoes at ¥10/kg with tiers, and marco's shop products (catalog fixtures)."""

from __future__ import annotations

import pytest
from stdnum.cn import uscc as stdnum_uscc

from linli.accounts.models import Role, User
from linli.accounts.services import user_create
from linli.catalog.tests.conftest import (  # noqa: F401  (shared fixtures)
    marco_merchant,
    marco_outlet,
    mia_outlet,
    tomato,
    veg,
)
from linli.procurement import services
from linli.procurement.models import Supplier, SupplierProduct


def make_uscc(n: int) -> str:
    """A valid 统一社会信用代码 (GB 32100 check character) numbered n."""
    base = f"933701007{n:08d}"
    return base + stdnum_uscc.calc_check_digit(base)


@pytest.fixture
def admin(db) -> User:
    return user_create(phone="13800000010", display_name="郑涛", roles=[Role.PLATFORM_ADMIN])


@pytest.fixture
def farm(marco, marco_merchant) -> Supplier:  # noqa: F811
    return services.supplier_register(
        actor=marco,
        merchant=marco_merchant,
        name="寿光蔬菜专业合作社",
        kind=Supplier.Kind.COOPERATIVE,
        uscc=make_uscc(1),
        region="山东寿光",
        lead_time_days=1,
    )


@pytest.fixture
def farmer(farm, marco) -> User:
    user = user_create(phone="13800000020", display_name="王大叔", roles=[])
    services.supplier_member_add(actor=marco, supplier=farm, user=user)
    return user


@pytest.fixture
def farm_tomato(farm, marco) -> SupplierProduct:
    sp = services.supplier_product_upsert(
        actor=marco,
        supplier=farm,
        name="西红柿",
        unit="kg",
        price_fen=1000,
        origin="山东寿光",
        available_quantity=500,
        shelf_life_days=7,
    )
    services.price_tiers_set(actor=marco, supplier_product=sp, tiers=[(100, 800), (300, 700)])
    return sp
