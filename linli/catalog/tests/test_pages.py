"""Pages: the resident's shop and search pages, the merchant's product list and edit page."""

from __future__ import annotations

import pytest

from linli.catalog import services
from linli.catalog.models import Listing

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(marco, marco_merchant, marco_outlet, veg, tomato):
    milk = services.category_ensure(slug="dairy", name_zh="乳品", name_en="Dairy", sort=2)
    for i, (name, storage) in enumerate(
        [("伊利纯牛奶", "chilled"), ("速冻水饺", "frozen"), ("黄瓜", "ambient")]
    ):
        p = services.product_create(
            actor=marco,
            merchant=marco_merchant,
            name=name,
            storage=storage,
            category=milk if storage != "ambient" else veg,
            origin="内蒙古" if i == 0 else "",
        )
        services.listing_upsert(actor=marco, outlet=marco_outlet, product=p, price_fen=300 + i)
    return marco_outlet


def test_shop_page_by_category_with_badges(client, shelf, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        r = client.get(f"/catalog/shop/{shelf.pk}/")
    html = r.content.decode()
    assert r.status_code == 200
    body = html[html.index('id="cat-1"') :]
    assert body.index("蔬菜") < body.index("西红柿") < body.index("乳品") < body.index("伊利纯牛奶")
    assert "badge-chilled" in html and "badge-frozen" in html
    assert "山东寿光" in html and "内蒙古" in html
    assert "4.50" in html


def test_shop_page_query_count_does_not_grow(
    client, shelf, marco, marco_merchant, django_assert_max_num_queries
):
    for i in range(20):
        p = services.product_create(actor=marco, merchant=marco_merchant, name=f"商品{i}")
        services.listing_upsert(actor=marco, outlet=shelf, product=p, price_fen=100)
    with django_assert_max_num_queries(5):
        assert client.get(f"/catalog/shop/{shelf.pk}/").status_code == 200


def test_search_page_and_htmx_partial(client, rosa, shelf, django_assert_max_num_queries):
    client.force_login(rosa)
    # session, user, search, photos, home, street network, the cart badge…: fixed, not per hit
    with django_assert_max_num_queries(8):
        r = client.get("/catalog/search/", {"q": "xhs"})
    html = r.content.decode()
    assert "西红柿" in html and "马哥便利店 西园店" in html and "layout-mobile" in html
    # This community has no street network: no walking time is made up.
    assert "min walk" not in html and "分钟" not in html
    r = client.get("/catalog/search/", {"q": "hg"}, HTTP_HX_REQUEST="true")
    assert (
        r.content.decode().lstrip().startswith('<div id="results">')
        and "黄瓜" in r.content.decode()
    )
    assert "xhs" in client.get("/catalog/search/", {"q": "zzzz"}).content.decode()


def test_merchant_product_pages(client, marco, shelf, tomato, mia, django_assert_max_num_queries):
    client.force_login(marco)
    with django_assert_max_num_queries(10):
        r = client.get("/merchant/products/")
    assert r.status_code == 200 and "西红柿" in r.content.decode()
    r = client.get(f"/merchant/products/{tomato.pk}/")
    assert r.status_code == 200 and 'value="4.50"' in r.content.decode()
    form = {
        "name": "西红柿",
        "unit": "袋",
        "storage": "ambient",
        "aliases": "番茄,洋柿子",
        "active": "on",
        f"price_{shelf.pk}": "5.20",
        f"listed_{shelf.pk}": "on",
    }
    r = client.post(f"/merchant/products/{tomato.pk}/", form)
    assert r.status_code == 302
    assert Listing.objects.get(product=tomato).price_fen == 520
    r = client.post(
        f"/merchant/products/{tomato.pk}/", {**form, f"price_{shelf.pk}": "0"}, follow=True
    )
    assert "价格必须大于 0 元" in r.content.decode()
    r = client.post(
        "/merchant/products/new/",
        {"name": "鲜花 小雏菊", "unit": "束", "storage": "ambient", "active": "on"},
    )
    assert r.status_code == 302
    client.force_login(mia)
    r = client.get(f"/merchant/products/{tomato.pk}/")
    assert r.status_code == 404
