"""Shop fixtures on top of the personas: marco's 马哥便利店 and mia's 米家鲜果 with some products."""

from __future__ import annotations

import pytest

from linli.catalog import services
from linli.catalog.models import Product
from linli.shops.models import Merchant, Outlet


@pytest.fixture
def marco_merchant(marco) -> Merchant:
    return marco.shop_memberships.get().merchant


@pytest.fixture
def marco_outlet(marco_merchant) -> Outlet:
    return marco_merchant.outlets.get()


@pytest.fixture
def mia_outlet(mia) -> Outlet:
    return mia.shop_memberships.get().merchant.outlets.get()


@pytest.fixture
def veg(db):
    return services.category_ensure(slug="vegetables", name_zh="蔬菜", name_en="Vegetables", sort=1)


@pytest.fixture
def tomato(marco, marco_merchant, marco_outlet, veg) -> Product:
    p = services.product_create(
        actor=marco,
        merchant=marco_merchant,
        name="西红柿",
        aliases="番茄",
        category=veg,
        spec="500g",
        unit="袋",
        origin="山东寿光",
        shelf_life_days=7,
        storage="ambient",
        green_label=True,
    )
    services.listing_upsert(actor=marco, outlet=marco_outlet, product=p, price_fen=450)
    return p
