"""Slots at checkout: claimed with the order, released when it is cancelled or unpaid, confirmed
by payment (the order becomes a delivery with parcels); a full slot or one past its cut-off is
shown unavailable with the reason and refused at checkout; past slots are not offered."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.core import fulfilment
from linli.core.errors import LinliError
from linli.delivery.models import Delivery, Slot, SlotClaim
from linli.delivery.provider import DeliverySlotProvider, GroupBuyProvider
from linli.delivery.services import group_buy_slot_ensure, slot_claim, slot_release
from linli.delivery.tests.conftest import order_delivery
from linli.orders.models import Order
from linli.orders.services import order_cancel, orders_expire_unpaid

pytestmark = pytest.mark.django_db
PARCEL = fulfilment.Parcel(outlet_id=1, volume_ml=1000, weight_g=500, storage="chilled")


def test_providers_are_registered():
    assert fulfilment.get("delivery_slot") is not None
    assert fulfilment.get("group_buy") is not None


def test_checkout_claims_a_place_and_cancel_gives_it_back(wave):
    slot = wave.slots[3]
    order = order_delivery(wave, slot=slot)
    slot.refresh_from_db()
    assert slot.claimed == 1
    assert order.fulfilment_data["slot_id"] == slot.pk
    order_cancel(actor=wave.hood.resident, order_id=order.pk, reason="changed my mind")
    slot.refresh_from_db()
    assert slot.claimed == 0
    assert SlotClaim.objects.get(order=order).status == "released"
    slot_release(order_id=order.pk)  # idempotent
    slot.refresh_from_db()
    assert slot.claimed == 0


def test_unpaid_orders_release_their_slot(wave):
    slot = wave.slots[4]
    order_delivery(wave, slot=slot)
    assert orders_expire_unpaid(now=timezone.now() + timedelta(hours=1)) == 1
    slot.refresh_from_db()
    assert slot.claimed == 0


def test_payment_confirms_and_opens_the_delivery_with_parcels(
    wave, django_capture_on_commit_callbacks
):
    order = order_delivery(
        wave, item="伊利纯牛奶", qty=2, capture=django_capture_on_commit_callbacks
    )
    assert SlotClaim.objects.get(order=order).status == "confirmed"
    d = Delivery.objects.get(order=order)
    assert (d.destination, d.status, d.storage) == ("home", "waiting", "chilled")
    assert d.building_id == wave.hood.resident.households.get().building_id
    parcel = d.parcels.get()
    assert parcel.storage == "chilled" and parcel.volume_ml == 1600  # default 800 ml each


def test_full_slot_is_unavailable_with_a_reason_and_refused(wave):
    provider = DeliverySlotProvider()
    opts = provider.options(resident_id=wave.hood.resident.pk, parcel=PARCEL)
    first = next(o for o in opts if o.available)
    slot = Slot.objects.get(pk=first.data["slot_id"])
    Slot.objects.filter(pk=slot.pk).update(capacity=1, claimed=1)
    again = provider.options(resident_id=wave.hood.resident.pk, parcel=PARCEL)
    mine = next(o for o in again if o.label_en == first.label_en)
    assert not mine.available and "full" in mine.reason_en and "约满" in mine.reason_zh
    assert all(o.data.get("slot_id") != slot.pk for o in again)
    with pytest.raises(LinliError) as e:
        order_delivery(wave, slot=slot)
    assert e.value.spec.code == "slot_full"
    assert not Order.objects.exists()  # checkout rolled back whole


def test_cut_off_passed_is_unavailable_and_refused(wave):
    provider = DeliverySlotProvider()
    # the first slot offered now (today's at night, tomorrow's in the evening)
    shown = provider.options(resident_id=wave.hood.resident.pk, parcel=PARCEL)
    slot = Slot.objects.get(pk=next(o.data["slot_id"] for o in shown if o.available))
    Slot.objects.filter(pk=slot.pk).update(cutoff_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(LinliError) as e:
        slot_claim(slot_id=slot.pk, order_id=1, expires_at=None)
    assert e.value.spec.code == "slot_closed"
    opts = provider.options(resident_id=wave.hood.resident.pk, parcel=PARCEL)
    assert slot.pk not in [o.data.get("slot_id") for o in opts if o.available]
    assert any("cut-off" in o.reason_en for o in opts if not o.available)


def test_past_slots_are_not_offered(wave):
    today = timezone.localdate()
    now = timezone.make_aware(datetime.combine(today, time(15, 30)))
    from linli.delivery.provider import home_slots

    shown = home_slots(wave.community, now)
    assert all(s.date > today or s.starts > time(15, 30) for s in shown)
    assert any(s.date == today and s.starts == time(16) for s in shown)
    assert not any(s.date == today and s.starts <= time(15) for s in shown)


def test_check_constraint_is_the_backstop(wave):
    slot = wave.slots[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(claimed=slot.capacity + 1)


def test_group_buy_has_a_daily_cut_off_and_next_day_pickup(wave):
    from linli.community.models import OutletSite

    OutletSite.objects.create(
        community=wave.community, kind="pickup_point", name="网格团购点", lat=wave.hub.lat,
        lon=wave.hub.lon,
    )  # fmt: skip
    assert GroupBuyProvider().options(resident_id=wave.hood.resident.pk, parcel=PARCEL) == []
    group_buy_slot_ensure(community=wave.community)  # the daily job
    opts = GroupBuyProvider().options(resident_id=wave.hood.resident.pk, parcel=PARCEL)
    assert len(opts) == 1 and opts[0].available
    slot = Slot.objects.get(pk=opts[0].data["slot_id"])
    cut = timezone.localtime(slot.cutoff_at)
    assert cut.hour == 23 and slot.date == cut.date() + timedelta(days=1)
    assert slot.pickup_site.name == "网格团购点"
