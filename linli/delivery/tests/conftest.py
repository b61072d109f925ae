"""The orders test neighbourhood (a 3×3 street grid with a resident and two shops) plus a hub,
a shared fleet, tomorrow's slots and a courier assigned to the community."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

import pytest
from django.utils import timezone

from linli.accounts.models import Role, User
from linli.accounts.services import user_create
from linli.community.models import Community
from linli.community.tests.osm_samples import LAT0, LON0
from linli.delivery.models import CourierAssignment, Hub, Slot, VehicleType
from linli.delivery.services import slots_ensure
from linli.orders.services import CheckoutChoice, cart_line_set, checkout_submit
from linli.orders.tests.conftest import Neighbourhood, build_neighbourhood
from linli.orders.tests.test_lifecycle import pay

TRIKE = {
    "kind": "e_trike",
    "name": "三轮车",
    "count": 2,
    "ambient_ml": 300_000,
    "weight_g": 150_000,
    "speed_kmh": 15.0,
}
COLD = {
    "kind": "cold_van",
    "name": "冷藏车",
    "count": 1,
    "ambient_ml": 1_000_000,
    "chilled_ml": 1_500_000,
    "frozen_ml": 500_000,
    "weight_g": 800_000,
    "speed_kmh": 20.0,
}


@dataclass
class Wave:
    hood: Neighbourhood
    community: Community
    hub: Hub
    courier: User
    slots: list[Slot]


def build_wave(tmp_path) -> Wave:
    hood = build_neighbourhood(tmp_path)
    community = hood.marco.outlet.community
    hub = Hub.objects.create(
        community=community,
        name="网格共同配送点",
        lat=LAT0 + 0.001,
        lon=LON0 + 0.001,
        opens=time(0),
        closes=time(23, 59),
    )
    VehicleType.objects.create(community=community, **TRIKE)
    VehicleType.objects.create(community=community, **COLD)
    courier = user_create(phone="13800000006", display_name="陈晓东", roles=[Role.COURIER])
    CourierAssignment.objects.create(courier=courier, community=community, hub=hub)
    slots = slots_ensure(community=community, day=timezone.localdate() + timedelta(days=1))
    return Wave(hood, community, hub, courier, slots)


@pytest.fixture
def wave(db, tmp_path) -> Wave:
    return build_wave(tmp_path)


def order_delivery(
    wave: Wave,
    *,
    slot: Slot | None = None,
    key: str = "k1",
    item: str = "伊利纯牛奶",
    qty: int = 1,
    capture=None,
):
    """Checkout through the real services with the delivery_slot method (and pay if `capture`)."""
    hood = wave.hood
    shop = hood.marco if item in hood.marco.listings else hood.mia
    cart_line_set(resident=hood.resident, listing_id=shop.listings[item].pk, quantity=qty)
    slot = slot or wave.slots[2]
    outlet = shop.outlet.pk
    checkout = checkout_submit(
        resident=hood.resident,
        idempotency_key=key,
        choices={outlet: CheckoutChoice(outlet, "delivery_slot", {"slot_id": slot.pk})},
    )
    if capture is not None:
        pay(checkout, capture)
    return checkout.orders.get()
