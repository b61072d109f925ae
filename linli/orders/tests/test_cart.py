"""The cart over the API with an app's bearer token: what it answers, what it refuses, and how
few statements it takes (auth, one upsert, one read: the purchase path of bench/checkout.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from conftest import postgres_only, race
from linli.accounts.models import Role
from linli.accounts.services import api_token_create, user_create
from linli.core.errors import LinliError
from linli.orders.models import Cart, CartLine
from linli.orders.services import cart_line_add, cart_line_set
from linli.orders.tests.conftest import build_neighbourhood

pytestmark = pytest.mark.django_db
JSON = "application/json"
URL = "/api/v1/orders/cart/lines"


@pytest.fixture
def app(hood) -> Client:
    """A client that authenticates like the phone app: `Authorization: Bearer ll_…`."""
    key = api_token_create(user=hood.resident, name="phone app")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def put(client: Client, listing_id: int, quantity: int):
    return client.put(URL, {"listing_id": listing_id, "quantity": quantity}, content_type=JSON)


def test_cart_requests_take_few_statements(app, hood, django_assert_num_queries):
    water, tomato = hood.marco.listings["农夫山泉 550ml"], hood.mia.listings["西红柿"]
    # token (+ its first use recorded, on PostgreSQL in the same statement), upsert finds no
    # cart, why (the listing is fine), cart made, upsert again, cart read
    with django_assert_num_queries(6 if connection.vendor == "postgresql" else 7):
        assert put(app, water.pk, 2).status_code == 200
    with django_assert_num_queries(3):  # token, upsert, cart read
        r = put(app, tomato.pk, 3)
    assert r.status_code == 200
    with django_assert_num_queries(3):  # same line again: an update through the same upsert
        put(app, tomato.pk, 1)
    with django_assert_num_queries(2):  # token, cart read
        assert app.get("/api/v1/orders/cart").status_code == 200
    with django_assert_num_queries(3):  # token, delete, cart read
        assert put(app, tomato.pk, 0).json()["lines"][0]["listing_id"] == water.pk


def test_cart_answer(app, hood):
    water, tomato = hood.marco.listings["农夫山泉 550ml"], hood.mia.listings["西红柿"]
    put(app, tomato.pk, 3)
    put(app, water.pk, 1)
    out = put(app, water.pk, 2).json()  # sets, does not add
    lines = sorted(out["lines"], key=lambda ln: ln["listing_id"])  # by shop name: collation's
    assert {**out, "lines": lines} == {
        "lines": [
            {
                "listing_id": water.pk,
                "outlet_id": hood.marco.outlet.pk,
                "outlet": "马哥便利店",
                "product": "农夫山泉 550ml",
                "spec": "1份",
                "storage": "ambient",
                "unit_price_fen": 200,
                "quantity": 2,
                "line_total_fen": 400,
            },
            {
                "listing_id": tomato.pk,
                "outlet_id": hood.mia.outlet.pk,
                "outlet": "米家鲜果",
                "product": "西红柿",
                "spec": "1份",
                "storage": "ambient",
                "unit_price_fen": 480,
                "quantity": 3,
                "line_total_fen": 1440,
            },
        ],
        "total_fen": 1840,
    }
    assert app.get("/api/v1/orders/cart").json() == out
    assert CartLine.objects.filter(cart__resident=hood.resident).count() == 2
    put(app, tomato.pk, 0)
    put(app, tomato.pk, 0)  # removing what is not there is fine
    assert [ln["listing_id"] for ln in app.get("/api/v1/orders/cart").json()["lines"]] == [water.pk]


def test_unavailable_listings_are_refused_with_their_name(app, hood):
    water, milk = hood.marco.listings["农夫山泉 550ml"], hood.marco.listings["伊利纯牛奶"]
    r = put(app, 987654, 1)
    assert (r.status_code, r.json()["code"]) == (409, "listing_unavailable")
    assert "987654" in r.json()["detail"]
    milk.active = False
    milk.save()
    r = put(app, milk.pk, 1)
    assert (r.status_code, r.json()["code"]) == (409, "listing_unavailable")
    assert "伊利纯牛奶" in r.json()["detail"]
    assert not Cart.objects.filter(resident=hood.resident).exists()  # no cart for nothing

    assert put(app, water.pk, 2).status_code == 200
    hood.marco.outlet.active = False
    hood.marco.outlet.save()
    r = put(app, water.pk, 5)
    assert (r.status_code, r.json()["code"]) == (409, "listing_unavailable")
    assert "农夫山泉" in r.json()["detail"]
    assert CartLine.objects.get().quantity == 2  # unchanged


@pytest.mark.parametrize("qty", [-1, 100])
def test_bad_quantity_is_refused_before_the_listing_is_looked_at(app, qty):
    r = put(app, 987654, qty)
    assert (r.status_code, r.json()["code"]) == (400, "invalid_quantity")


def test_service_returns_the_stored_line(hood):
    water = hood.marco.listings["农夫山泉 550ml"]
    first = cart_line_set(resident=hood.resident, listing_id=water.pk, quantity=1)
    again = cart_line_set(resident=hood.resident, listing_id=water.pk, quantity=4)
    stored = CartLine.objects.get()
    assert first.pk == again.pk == stored.pk and again.cart_id == stored.cart_id
    assert (again.quantity, stored.quantity) == (4, 4)
    assert cart_line_set(resident=hood.resident, listing_id=water.pk, quantity=0) is None
    assert not CartLine.objects.exists()


def test_add_adds_within_the_limit(hood, settings):
    settings.LINLI_MAX_LINE_QUANTITY = 3
    water = hood.marco.listings["农夫山泉 550ml"]
    cart_line_add(resident=hood.resident, listing_id=water.pk)
    cart_line_add(resident=hood.resident, listing_id=water.pk, quantity=2)
    assert CartLine.objects.get().quantity == 3
    with pytest.raises(LinliError) as e:
        cart_line_add(resident=hood.resident, listing_id=water.pk)
    assert e.value.spec.code == "invalid_quantity"
    assert CartLine.objects.get().quantity == 3


@pytest.mark.django_db(transaction=True)
def test_no_transaction_round_trips(tmp_path, django_assert_num_queries):
    """Outside a test's transaction Django logs BEGIN and COMMIT too: the cart takes none."""
    hood = build_neighbourhood(tmp_path)
    key = api_token_create(user=hood.resident, name="phone app")
    app = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    water = hood.marco.listings["农夫山泉 550ml"]
    with django_assert_num_queries(6 if connection.vendor == "postgresql" else 7):  # as above
        assert put(app, water.pk, 1).status_code == 200
    with django_assert_num_queries(3):
        assert put(app, water.pk, 0).json()["lines"] == []


@postgres_only()
@pytest.mark.django_db(transaction=True)
def test_first_lines_of_one_resident_in_parallel_make_one_cart(tmp_path):
    """The cart is made without a transaction (INSERT … ON CONFLICT DO NOTHING): requests racing
    to make it all end up with their line in the one cart."""
    hood = build_neighbourhood(tmp_path)
    buyer = user_create(phone="13900000077", display_name="急", roles=[Role.RESIDENT])
    listings = [*hood.marco.listings.values(), *hood.mia.listings.values()]

    def put_line(i: int) -> None:
        cart_line_set(resident=buyer, listing_id=listings[i].pk, quantity=i + 1)

    assert race(len(listings), put_line) == ["ok"] * len(listings)
    assert Cart.objects.filter(resident=buyer).count() == 1
    got = dict(CartLine.objects.filter(cart__resident=buyer).values_list("listing_id", "quantity"))
    assert got == {li.pk: i + 1 for i, li in enumerate(listings)}


@postgres_only()
@pytest.mark.django_db(transaction=True)
def test_taps_on_add_to_cart_at_once_all_count_within_the_limit(tmp_path, settings):
    """ "加入购物车" tapped on two phones at once: every tap counts (the sum is made by the
    database, not read then written), and never past the line limit."""
    settings.LINLI_MAX_LINE_QUANTITY = 5
    hood = build_neighbourhood(tmp_path)
    water = hood.marco.listings["农夫山泉 550ml"]
    cart_line_add(resident=hood.resident, listing_id=water.pk)  # 1 in the cart

    def tap(i: int) -> None:
        cart_line_add(resident=hood.resident, listing_id=water.pk)

    outcomes = race(8, tap)
    assert sorted(outcomes) == ["invalid_quantity"] * 4 + ["ok"] * 4
    assert CartLine.objects.get(cart__resident=hood.resident).quantity == 5
