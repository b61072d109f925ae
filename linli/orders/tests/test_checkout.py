"""Checkout as a resident meets it: one payment over two shops, nothing sold that isn't there."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.core.errors import LinliError
from linli.inventory.models import StockLevel
from linli.inventory.selectors import stock_available
from linli.orders.domain import Status
from linli.orders.models import CartLine, Checkout, Order
from linli.orders.services import cart_line_set, checkout_submit, orders_expire_unpaid
from linli.payments.models import Payment

pytestmark = pytest.mark.django_db


def fill_cart(hood, water=2, eggs=1):
    cart_line_set(
        resident=hood.resident, listing_id=hood.marco.listings["农夫山泉 550ml"].pk, quantity=water
    )
    cart_line_set(
        resident=hood.resident, listing_id=hood.mia.listings["鸡蛋 10枚"].pk, quantity=eggs
    )


def available(shop, name):
    listing = shop.listings[name]
    return stock_available(outlet_id=listing.outlet_id, product_id=listing.product_id)


def test_one_payment_two_shop_orders(hood):
    fill_cart(hood)
    checkout = checkout_submit(
        resident=hood.resident, idempotency_key="k-0001", expected_total_fen=2 * 200 + 1290
    )
    orders = list(checkout.orders.order_by("outlet__name"))
    assert [o.outlet.name for o in orders] == ["米家鲜果", "马哥便利店"]
    assert [o.total_fen for o in orders] == [1290, 400]
    assert checkout.payment.amount_fen == 1690
    assert all(o.status == Status.PLACED and len(o.pickup_code) == 6 for o in orders)
    assert available(hood.marco, "农夫山泉 550ml") == 48
    assert available(hood.mia, "鸡蛋 10枚") == 4
    assert not CartLine.objects.filter(cart__resident=hood.resident).exists()


def test_same_key_twice_returns_the_first_checkout(hood):
    fill_cart(hood)
    first = checkout_submit(resident=hood.resident, idempotency_key="k-0002")
    fill_cart(hood)  # even with a new cart, the key answers with the first result
    again = checkout_submit(resident=hood.resident, idempotency_key="k-0002")
    assert again.pk == first.pk
    assert Checkout.objects.count() == 1 and Payment.objects.count() == 1
    assert available(hood.marco, "农夫山泉 550ml") == 48


def test_out_of_stock_changes_nothing(hood):
    fill_cart(hood, water=2, eggs=6)  # only 5 boxes of eggs
    with pytest.raises(LinliError) as e:
        checkout_submit(resident=hood.resident, idempotency_key="k-0003")
    assert e.value.spec.code == "out_of_stock"
    assert "鸡蛋" in e.value.message("zh-hans")
    assert Order.objects.count() == 0 and Payment.objects.count() == 0
    assert available(hood.marco, "农夫山泉 550ml") == 50  # the water claim was rolled back
    assert CartLine.objects.filter(cart__resident=hood.resident).count() == 2


def test_tampered_price_is_refused(hood):
    fill_cart(hood)
    with pytest.raises(LinliError) as e:
        checkout_submit(resident=hood.resident, idempotency_key="k-0004", expected_total_fen=1)
    assert e.value.spec.code == "price_changed"
    assert Order.objects.count() == 0


@pytest.mark.parametrize("qty", [-1, 0, 100, 10**9])
def test_silly_quantities_are_refused(hood, qty):
    listing = hood.marco.listings["农夫山泉 550ml"]
    if qty == 0:
        assert cart_line_set(resident=hood.resident, listing_id=listing.pk, quantity=0) is None
        return
    with pytest.raises(LinliError) as e:
        cart_line_set(resident=hood.resident, listing_id=listing.pk, quantity=qty)
    assert e.value.spec.code == "invalid_quantity"


def test_closed_shop_and_delisted_goods(hood):
    fill_cart(hood)
    hood.mia.outlet.active = False
    hood.mia.outlet.save()
    with pytest.raises(LinliError) as e:
        checkout_submit(resident=hood.resident, idempotency_key="k-0005")
    assert e.value.spec.code == "shop_closed"
    hood.mia.outlet.active = True
    hood.mia.outlet.opening_hours = [{"days": [], "open": "03:00", "close": "03:01"}]
    hood.mia.outlet.save()
    with pytest.raises(LinliError) as e:
        checkout_submit(resident=hood.resident, idempotency_key="k-0006")
    assert e.value.spec.code == "shop_closed"
    # the demo's story is placed for a moment the shop is open, whatever the hour of loading
    at_three = timezone.localtime().replace(hour=3, minute=0, second=30)
    placed = checkout_submit(resident=hood.resident, idempotency_key="k-0007", hours_at=at_three)
    assert placed.orders.count() == 2


def test_shop_outside_the_walk_is_refused(hood):
    fill_cart(hood)
    far = hood.mia.outlet
    far.lat, far.lon = far.lat + 0.2, far.lon + 0.2  # 20 km away, off this network
    far.save()
    with pytest.raises(LinliError) as e:
        checkout_submit(resident=hood.resident, idempotency_key="k-0007")
    assert e.value.spec.code == "outlet_out_of_range"
    assert Order.objects.count() == 0


def test_empty_cart(hood):
    with pytest.raises(LinliError) as e:
        checkout_submit(resident=hood.resident, idempotency_key="k-0008")
    assert e.value.spec.code == "cart_empty"


def test_unknown_fulfilment_method(hood):
    from linli.orders.services import CheckoutChoice

    fill_cart(hood)
    outlet_id = hood.marco.outlet.pk
    with pytest.raises(LinliError) as e:
        checkout_submit(
            resident=hood.resident,
            idempotency_key="k-0009",
            choices={outlet_id: CheckoutChoice(outlet_id, "teleport")},
        )
    assert e.value.spec.code == "fulfilment_unknown"


def test_unpaid_orders_release_their_stock(hood):
    fill_cart(hood)
    checkout = checkout_submit(resident=hood.resident, idempotency_key="k-0010")
    assert orders_expire_unpaid(now=timezone.now()) == 0  # not yet
    later = timezone.now() + timedelta(minutes=16)
    assert orders_expire_unpaid(now=later) == 2
    assert set(checkout.orders.values_list("status", flat=True)) == {Status.CANCELLED}
    assert available(hood.marco, "农夫山泉 550ml") == 50
    assert available(hood.mia, "鸡蛋 10枚") == 5
    checkout.payment.refresh_from_db()
    assert checkout.payment.status == Payment.Status.CLOSED
    assert StockLevel.objects.filter(claimed__gt=0).count() == 0
