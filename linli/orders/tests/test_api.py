"""Orders over the API: cart, checkout with an idempotency key, order lists, the shop board.
Query counts are asserted so lists never do one query per row."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection

from linli.orders.schemas import CheckoutOut, OrderLineOut, OrderOut
from linli.payments.gateways.sandbox import sandbox_notification
from linli.payments.services import payment_notify

pytestmark = pytest.mark.django_db
JSON = "application/json"


def put_line(client, listing, qty):
    return client.put(
        "/api/v1/orders/cart/lines", {"listing_id": listing.pk, "quantity": qty}, content_type=JSON
    )


def test_cart_checkout_and_lists(
    client, hood, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    client.force_login(hood.resident)
    for name in ("农夫山泉 550ml", "伊利纯牛奶"):
        assert put_line(client, hood.marco.listings[name], 2).status_code == 200
    with django_assert_max_num_queries(4):  # session, user, upsert, cart read
        put_line(client, hood.mia.listings["西红柿"], 3)
    with django_assert_max_num_queries(3):  # session, user, cart read
        cart = client.get("/api/v1/orders/cart").json()
    assert cart["total_fen"] == 2 * 200 + 2 * 350 + 3 * 480
    assert {ln["outlet"] for ln in cart["lines"]} == {"马哥便利店", "米家鲜果"}

    body = {"idempotency_key": "api-key-0001", "expected_total_fen": cart["total_fen"]}
    # session, user; the cart with the home and the network digest (+ the network's arrays when
    # the engine is cold); on PostgreSQL then one statement (+ the test's savepoint); on SQLite
    # (savepoint) checkout, orders, lines, events, payment (pending at once: the sandbox prepares
    # offline), link, cart emptied; 3 claim UPDATEs, the claims
    with django_assert_max_num_queries(7 if connection.vendor == "postgresql" else 17):
        r = client.post("/api/v1/orders/checkout", body, content_type=JSON)
    assert r.status_code == 201, r.content
    out = r.json()
    # rendered without ninja's validation: exactly the documented schema, nothing more
    assert CheckoutOut.model_validate(out).checkout_id == out["checkout_id"]
    assert set(out) == set(CheckoutOut.model_fields)
    assert all(set(o) == set(OrderOut.model_fields) for o in out["orders"])
    lines = [ln for o in out["orders"] for ln in o["lines"]]
    assert len(lines) == 3 and all(set(ln) == set(OrderLineOut.model_fields) for ln in lines)
    assert out["pay_url"].startswith("/payments/sandbox/")
    assert len(out["orders"]) == 2
    assert all(o["pickup_code"] is None for o in out["orders"])  # shown only once paid
    again = client.post("/api/v1/orders/checkout", body, content_type=JSON).json()
    assert again["checkout_id"] == out["checkout_id"]

    headers, note = sandbox_notification(
        settings.LINLI_PAYMENTS_SANDBOX_SECRET,
        out_trade_no=out["out_trade_no"],
        amount_fen=out["total_fen"],
        paid=True,
    )
    # capture: UPDATE … RETURNING, logged (+ 2 atomic); orders paid: lines with their orders,
    # all claims kept, all orders paid, all events (+ 2 atomic)
    with django_assert_max_num_queries(10), django_capture_on_commit_callbacks(execute=True):
        payment_notify(gateway="sandbox", headers=headers, body=note.encode())

    with django_assert_max_num_queries(4):
        mine = client.get("/api/v1/orders/mine").json()
    assert {o["status"] for o in mine} == {"paid"}
    assert all(len(o["pickup_code"]) == 6 for o in mine)

    client.force_login(hood.marco.owner)
    with django_assert_max_num_queries(6):
        board = client.get("/api/v1/orders/shop/board").json()
    assert [o["outlet"] for o in board["paid"]] == ["马哥便利店"]
    assert board["paid"][0]["pickup_code"] is None  # the shop never sees the code


def test_list_query_count_does_not_grow(client, hood, django_assert_max_num_queries):
    from linli.orders.services import cart_line_set, checkout_submit

    for i in range(6):
        cart_line_set(
            resident=hood.resident, listing_id=hood.marco.listings["农夫山泉 550ml"].pk, quantity=1
        )
        cart_line_set(resident=hood.resident, listing_id=hood.mia.listings["西红柿"].pk, quantity=1)
        checkout_submit(resident=hood.resident, idempotency_key=f"many-{i:04d}")
    client.force_login(hood.resident)
    with django_assert_max_num_queries(4):
        assert len(client.get("/api/v1/orders/mine").json()) == 12


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"listing_id": 999999, "quantity": 1}, "listing_unavailable"),
        ({"listing_id": 1, "quantity": -3}, "invalid_quantity"),
        ({"listing_id": 1, "quantity": 10**6}, "invalid_quantity"),
        ({"listing_id": "abc", "quantity": 1}, "invalid_input"),
    ],
)
def test_bad_cart_input(client, hood, payload, code):
    client.force_login(hood.resident)
    if payload["listing_id"] == 1:
        payload["listing_id"] = hood.marco.listings["农夫山泉 550ml"].pk
    r = client.put("/api/v1/orders/cart/lines", payload, content_type=JSON)
    assert r.status_code in (400, 404, 409)
    assert r.json()["code"] == code


def test_checkout_errors_are_coded(client, hood):
    client.force_login(hood.resident)
    r = client.post(
        "/api/v1/orders/checkout", {"idempotency_key": "empty-cart-01"}, content_type=JSON
    )
    assert (r.status_code, r.json()["code"]) == (400, "cart_empty")
    put_line(client, hood.mia.listings["鸡蛋 10枚"], 9)
    r = client.post(
        "/api/v1/orders/checkout", {"idempotency_key": "too-many-eggs"}, content_type=JSON
    )
    assert (r.status_code, r.json()["code"]) == (409, "out_of_stock")
    assert "鸡蛋" in r.json()["detail"]
    r = client.post("/api/v1/orders/checkout", {"idempotency_key": "short"}, content_type=JSON)
    assert r.json()["code"] == "invalid_input"


def test_another_residents_order_is_not_found(client, hood):
    from linli.accounts.models import Role
    from linli.accounts.services import user_create
    from linli.orders.services import cart_line_set, checkout_submit

    cart_line_set(resident=hood.resident, listing_id=hood.mia.listings["西红柿"].pk, quantity=1)
    order = checkout_submit(resident=hood.resident, idempotency_key="mine-0001").orders.get()
    other = user_create(phone="13900000009", display_name="别人", roles=[Role.RESIDENT])
    client.force_login(other)
    r = client.get(f"/api/v1/orders/mine/{order.pk}")
    assert (r.status_code, r.json()["code"]) == (404, "order_not_found")
    r = client.post(f"/api/v1/orders/mine/{order.pk}/cancel", {}, content_type=JSON)
    assert r.status_code == 404
