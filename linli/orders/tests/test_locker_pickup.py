"""Locker pickup end to end through checkout: a chilled compartment claimed with the order,
made permanent by payment, deposited by the shop (order ready), opened with the one-time code
(order picked up, stock committed); released when unpaid; refused ready before deposit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.community.models import Building
from linli.core.errors import LinliError
from linli.inventory.models import StockClaim
from linli.lockers.demo import cabinet_build
from linli.lockers.models import Booking, Site
from linli.lockers.services import booking_code_refresh, booking_deposit, locker_open
from linli.orders.domain import Status
from linli.orders.models import Order
from linli.orders.services import (
    CheckoutChoice,
    cart_line_set,
    checkout_submit,
    order_accept,
    order_mark_ready,
    orders_expire_unpaid,
)
from linli.orders.tests.test_lifecycle import pay

pytestmark = pytest.mark.django_db


def locker_site(hood, chilled=2):
    home = Building.objects.filter(residential=True).order_by("pk")[0]
    site = Site.objects.create(
        community_id=home.community_id,
        name="网格智能柜",
        operator=Site.Operator.PLATFORM,
        lat=home.lat + 0.0002,
        lon=home.lon + 0.0002,
    )
    cabinet_build(
        site, "LL-G-0001", [("A", "ambient", ["S", "M"]), ("C", "chilled", ["S"] * chilled)]
    )
    return site


def order_milk(hood, key="milk-1", qty=2):
    cart_line_set(
        resident=hood.resident, listing_id=hood.marco.listings["伊利纯牛奶"].pk, quantity=qty
    )
    outlet = hood.marco.outlet.pk
    return checkout_submit(
        resident=hood.resident,
        idempotency_key=key,
        choices={outlet: CheckoutChoice(outlet, "locker")},
    )


def test_chilled_milk_from_checkout_to_the_kiosk(hood, django_capture_on_commit_callbacks):
    site = locker_site(hood)
    checkout = order_milk(hood)
    order = checkout.orders.get()
    assert order.fulfilment_method == "locker"
    assert order.fulfilment_data["zone"] == "chilled" and order.fulfilment_data["site"] == site.name
    booking = Booking.objects.get(order_id=order.pk)
    assert booking.status == "claimed" and booking.expires_at == checkout.expires_at
    pay(checkout, django_capture_on_commit_callbacks)
    booking.refresh_from_db()
    assert booking.status == "confirmed" and booking.expires_at is None
    marco = hood.marco.owner
    order_accept(actor=marco, order_id=order.pk)
    with pytest.raises(LinliError) as e:  # ready means "in the compartment" for a locker order
        order_mark_ready(actor=marco, order_id=order.pk)
    assert e.value.spec.code == "locker_not_deposited"
    booking_deposit(actor=marco, booking_id=booking.pk)
    order.refresh_from_db()
    assert order.status == Status.READY
    _, code = booking_code_refresh(resident=hood.resident, booking_id=booking.pk)
    assert locker_open(cabinet=booking.cabinet, code=code).label == booking.compartment.label
    order.refresh_from_db()
    assert order.status == Status.PICKED_UP and order.lines.get().lots
    assert not StockClaim.objects.filter(status="active").exists()


def test_deposit_straight_after_payment_accepts_and_readies(
    hood, django_capture_on_commit_callbacks
):
    locker_site(hood)
    checkout = order_milk(hood, "milk-2")
    pay(checkout, django_capture_on_commit_callbacks)
    order = checkout.orders.get()
    booking_deposit(actor=hood.marco.owner, booking_id=Booking.objects.get(order_id=order.pk).pk)
    order.refresh_from_db()
    assert order.status == Status.READY


def test_unpaid_order_frees_the_compartment_and_a_full_zone_refuses_checkout(hood):
    locker_site(hood, chilled=1)
    checkout = order_milk(hood, "milk-3", qty=1)
    with pytest.raises(LinliError) as e:
        order_milk(hood, "milk-4", qty=1)
    assert e.value.spec.code == "locker_full"
    assert Order.objects.count() == 1  # the second checkout changed nothing
    orders_expire_unpaid(now=timezone.now() + timedelta(minutes=20))
    assert Booking.objects.get(order_id=checkout.orders.get().pk).status == "released"
    order_milk(hood, "milk-5", qty=1)  # the compartment is free again


def test_cart_offers_the_locker_only_when_a_cold_compartment_is_free(hood, client):
    locker_site(hood, chilled=0)
    cart_line_set(
        resident=hood.resident, listing_id=hood.marco.listings["伊利纯牛奶"].pk, quantity=1
    )
    from linli.core import fulfilment
    from linli.core.fulfilment import Parcel

    provider = fulfilment.get("locker")
    parcel = Parcel(hood.marco.outlet.pk, 1000, 1000, "chilled")
    (opt,) = provider.options(resident_id=hood.resident.pk, parcel=parcel)
    assert not opt.available and "冷藏" in opt.reason_zh
    ambient = Parcel(hood.marco.outlet.pk, 1000, 1000, "ambient")
    (opt,) = provider.options(resident_id=hood.resident.pk, parcel=ambient)
    assert opt.available and "分钟" in opt.label_zh
