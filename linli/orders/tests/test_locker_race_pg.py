"""PostgreSQL: 40 residents check out chilled milk for locker pickup at once; the site has 12
chilled compartments. Exactly 12 checkouts win, each with its own compartment; the other 28
are refused with `locker_full` and leave nothing behind."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import postgres_only, race
from linli.accounts.models import Role
from linli.accounts.services import user_create
from linli.community.models import Household, HouseholdMember
from linli.inventory.services import stock_receive
from linli.lockers.models import Booking, Compartment
from linli.lockers.selectors import sites_near
from linli.orders.models import Order
from linli.orders.services import CheckoutChoice, cart_line_set, checkout_submit
from linli.orders.tests.conftest import build_neighbourhood
from linli.orders.tests.test_locker_pickup import locker_site

pytestmark = [postgres_only(), pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RESIDENTS = 40
CHILLED = 12


def test_forty_checkouts_race_for_twelve_chilled_compartments(tmp_path):
    hood = build_neighbourhood(tmp_path)
    locker_site(hood, chilled=CHILLED)
    milk = hood.marco.listings["伊利纯牛奶"]
    stock_receive(
        actor=hood.marco.owner, outlet=hood.marco.outlet, product=milk.product, quantity=100,
        batch_no="RACE", expiry_date=timezone.localdate() + timedelta(days=5),
    )  # fmt: skip
    household = Household.objects.get(householdmember__user=hood.resident)
    residents = [hood.resident]
    for i in range(1, RESIDENTS):
        u = user_create(phone=f"1390000{i:04d}", display_name=f"R{i}", roles=[Role.RESIDENT])
        HouseholdMember.objects.create(household=household, user=u)
        residents.append(u)
    for r in residents:
        cart_line_set(resident=r, listing_id=milk.pk, quantity=1)
    assert len(sites_near(resident=hood.resident)) == 1  # warms the street-network engine
    outlet = hood.marco.outlet.pk

    def checkout(i: int) -> None:
        checkout_submit(
            resident=residents[i],
            idempotency_key=f"race-{i}",
            choices={outlet: CheckoutChoice(outlet, "locker")},
        )

    started = time.monotonic()
    results = race(RESIDENTS, checkout)
    elapsed = time.monotonic() - started

    assert len(results) == RESIDENTS, results
    assert results.count("ok") == CHILLED, sorted(set(results))
    assert results.count("locker_full") == RESIDENTS - CHILLED, sorted(set(results))
    active = Booking.objects.filter(status__in=Booking.ACTIVE)
    assert active.count() == CHILLED
    assert active.values("compartment").distinct().count() == CHILLED  # no double assignment
    assert Compartment.objects.filter(zone="chilled", state="held").count() == CHILLED
    assert Order.objects.filter(fulfilment_method="locker").count() == CHILLED
    assert elapsed < 30, elapsed
