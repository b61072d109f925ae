"""Real parallel buyers on PostgreSQL: 50 residents race for the last 10 boxes of strawberries,
each with a cart over three shops. Exactly 10 checkouts win; every loser gets out_of_stock and
leaves no trace (no order, no payment, no claim on the other shops' goods)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import postgres_only, race
from linli.accounts.models import Role
from linli.accounts.services import user_create
from linli.catalog.services import listing_upsert, product_create
from linli.community.models import Household, HouseholdMember
from linli.inventory.models import StockClaim, StockLevel
from linli.inventory.services import stock_receive
from linli.orders.models import Checkout, Order
from linli.orders.services import cart_line_set, checkout_submit
from linli.orders.tests.conftest import build_neighbourhood
from linli.payments.models import Payment
from linli.shops.services import merchant_register, outlet_create

pytestmark = [postgres_only(), pytest.mark.django_db(transaction=True)]
BUYERS, SCARCE = 50, 10


def test_fifty_buyers_ten_units_three_shops(tmp_path):
    hood = build_neighbourhood(tmp_path)
    owner = hood.marco.owner
    farm = merchant_register(name="草莓园", uscc="92371000MA3MXH0E3W", owner=owner)
    outlet = outlet_create(
        merchant=farm,
        community_id=hood.marco.outlet.community_id,
        name="草莓园 直营店",
        lat=hood.marco.outlet.lat,
        lon=hood.marco.outlet.lon,
        format_slugs=["fresh_grocery"],
    )
    berry = product_create(actor=owner, merchant=farm, name="草莓 500g", storage="chilled")
    berry_listing = listing_upsert(actor=owner, outlet=outlet, product=berry, price_fen=2500)
    stock_receive(
        actor=owner,
        outlet=outlet,
        product=berry,
        quantity=SCARCE,
        batch_no="S1",
        expiry_date=timezone.localdate() + timedelta(days=3),
    )
    water, tomato = hood.marco.listings["农夫山泉 550ml"], hood.mia.listings["西红柿"]
    stock_receive(
        actor=hood.mia.owner,
        outlet=hood.mia.outlet,
        product=tomato.product,
        quantity=100,
        batch_no="T2",
        expiry_date=timezone.localdate() + timedelta(days=5),
    )

    home = HouseholdMember.objects.get(user=hood.resident).household
    buyers = []
    for i in range(BUYERS):
        user = user_create(phone=f"139{i:08d}", display_name=f"买家{i}", roles=[Role.RESIDENT])
        household = Household.objects.create(building=home.building, unit="9", room=f"{i:03d}")
        HouseholdMember.objects.create(household=household, user=user, is_primary=True)
        for listing in (water, tomato, berry_listing):
            cart_line_set(resident=user, listing_id=listing.pk, quantity=1)
        buyers.append(user)

    def buy(i: int) -> None:
        checkout_submit(resident=buyers[i], idempotency_key=f"race-{buyers[i].pk}")

    results = race(BUYERS, buy, timeout=120)

    assert len(results) == BUYERS  # nothing lost
    assert results.count("ok") == SCARCE
    assert results.count("out_of_stock") == BUYERS - SCARCE
    assert Checkout.objects.count() == Payment.objects.count() == SCARCE
    assert Order.objects.count() == 3 * SCARCE
    levels = {sl.product_id: sl for sl in StockLevel.objects.all()}
    assert levels[berry.pk].claimed == SCARCE <= levels[berry.pk].on_hand
    assert levels[water.product_id].claimed == SCARCE  # losers left no claim behind
    assert levels[tomato.product_id].claimed == SCARCE
    assert StockClaim.objects.filter(status="active").count() == 3 * SCARCE
    assert all(sl.on_hand >= sl.claimed >= 0 for sl in levels.values())
