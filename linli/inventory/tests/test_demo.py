"""Demo data: realistic, deterministic, idempotent, and consistent with the ledger."""

from __future__ import annotations

import pytest
from django.db.models import Sum
from django.utils import timezone

from linli.catalog.models import Listing, Product
from linli.catalog.selectors import listing_search
from linli.inventory.demo import demo_shop_load
from linli.inventory.models import Lot, StockLevel, StockMovement
from linli.inventory.selectors import stock_available
from linli.shops.models import Outlet

pytestmark = pytest.mark.django_db


def _snapshot():
    return sorted(Listing.objects.values_list("outlet_id", "product__name", "price_fen"))


def test_demo_shop_load(marco, mia, community):
    outlets = list(Outlet.objects.all())
    result = demo_shop_load(outlets=outlets)
    assert result["products"] >= 20 and result["lots"] > 0
    names = set(Product.objects.values_list("name", flat=True))
    assert {"农夫山泉饮用天然水", "伊利纯牛奶", "三全速冻水饺 猪肉白菜", "西红柿", "鸡蛋"} <= names
    assert Product.objects.get(name="伊利纯牛奶").storage == "chilled"
    assert [h.listing.product.name for h in listing_search(q="xhs")] == ["西红柿"]
    assert listing_search(q="番茄")[0].listing.product.name == "西红柿"
    assert Lot.objects.filter(expiry_date__lt=timezone.localdate()).count() == 0
    for sl in StockLevel.objects.all():
        moved = sl.movements.aggregate(s=Sum("quantity"))["s"]
        assert sl.on_hand == moved == sl.lots.aggregate(s=Sum("quantity_remaining"))["s"]
        assert stock_available(outlet_id=sl.outlet_id, product_id=sl.product_id) == sl.on_hand
    first = _snapshot()
    before = (Product.objects.count(), Lot.objects.count(), StockMovement.objects.count())
    demo_shop_load(outlets=outlets)  # idempotent
    assert (Product.objects.count(), Lot.objects.count(), StockMovement.objects.count()) == before
    assert _snapshot() == first  # deterministic prices for the same seed
