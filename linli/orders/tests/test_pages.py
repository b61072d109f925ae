"""The resident's cart, checkout and order pages, and the shop's order board."""

from __future__ import annotations

import re

import pytest

from linli.orders.models import Order

pytestmark = pytest.mark.django_db


def test_cart_page_to_sandbox_cashier(client, hood, django_assert_max_num_queries):
    client.force_login(hood.resident)
    client.post("/cart/add/", {"listing_id": hood.marco.listings["伊利纯牛奶"].pk})
    r = client.post(
        "/cart/add/", {"listing_id": hood.marco.listings["伊利纯牛奶"].pk}, HTTP_HX_REQUEST="true"
    )
    assert 'data-testid="cart-count"' in r.content.decode() and ">2<" in r.content.decode()
    # + one query per shop for each of the delivery providers (slot, group buy)
    with django_assert_max_num_queries(10):
        page = client.get("/cart/").content.decode()
    assert "伊利纯牛奶" in page and ">7.00<" in page
    key = re.search(r'name="key" value="([0-9a-f]+)"', page).group(1)
    total = re.search(r'name="expected_total" value="(\d+)"', page).group(1)
    r = client.post(
        "/checkout/",
        {"key": key, "expected_total": total, f"method-{hood.marco.outlet.pk}": "store_pickup"},
    )
    assert r.status_code == 302 and r["Location"].startswith("/payments/sandbox/")
    order = Order.objects.get()
    assert order.total_fen == 700 and order.status == "placed"
    detail = client.get(f"/orders/{order.pk}/").content.decode()
    assert "马哥便利店" in detail and 'data-testid="pickup-code"' not in detail  # not paid yet
    history = detail.split('data-testid="history"')[1].split("</ul>")[0]
    assert history.count("<li") == 1 and "待支付" in history  # its placing: awaiting payment


def test_price_change_between_page_and_submit_is_caught(client, hood):
    client.force_login(hood.resident)
    client.post("/cart/add/", {"listing_id": hood.marco.listings["伊利纯牛奶"].pk})
    page = client.get("/cart/").content.decode()
    key = re.search(r'name="key" value="([0-9a-f]+)"', page).group(1)
    listing = hood.marco.listings["伊利纯牛奶"]
    listing.price_fen = 990
    listing.save()
    r = client.post("/checkout/", {"key": key, "expected_total": "350"})
    assert r.status_code == 409
    assert "价格已变动" in r.content.decode()
    assert not Order.objects.exists()


def test_board_shows_only_my_shops_orders(client, hood):
    from linli.orders.services import cart_line_set, checkout_submit

    cart_line_set(resident=hood.resident, listing_id=hood.mia.listings["西红柿"].pk, quantity=1)
    checkout_submit(resident=hood.resident, idempotency_key="board-0001")
    Order.objects.update(status="paid")
    client.force_login(hood.mia.owner)
    page = client.get("/merchant/orders/").content.decode()
    assert 'data-testid="new-count">1<' in page and "西红柿" in page
    client.force_login(hood.marco.owner)
    page = client.get("/merchant/orders/").content.decode()
    assert 'data-testid="new-count">0<' in page and "西红柿" not in page


def test_checkout_choice_values_round_trip():
    from linli.core.fulfilment import Option
    from linli.core.templatetags.linli_tags import choice_value
    from linli.orders.views import parse_choice

    slot = Option("delivery_slot", "明天 08:00–09:00", "Tomorrow 08:00–09:00", data={"slot_id": 7})
    assert parse_choice(choice_value(slot)) == ("delivery_slot", {"slot_id": 7})
    assert parse_choice(choice_value(Option("store_pickup", "到店自取", "Pick up"))) == (
        "store_pickup",
        {},
    )
    assert parse_choice("delivery_slot|{not json") == ("delivery_slot", {})
    assert parse_choice("delivery_slot|[1, 2]") == ("delivery_slot", {})
