"""Claiming compartments like stock: smallest that fits, exact zone, never twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.core.errors import LinliError
from linli.lockers.models import Booking, Compartment
from linli.lockers.services import (
    booking_claim,
    booking_confirm,
    booking_release,
    bookings_release_expired,
)

pytestmark = pytest.mark.django_db


def claim(rosa, lockers, storage="chilled", volume_ml=0, weight_g=0, order_id=None, **kw):
    return booking_claim(
        resident=rosa,
        site_ids=[lockers.site.pk],
        storage=storage,
        volume_ml=volume_ml,
        weight_g=weight_g,
        order_id=order_id,
        expires_at=timezone.now() + timedelta(minutes=15),
        **kw,
    )


def test_smallest_free_compartment_of_the_exact_zone(rosa, lockers):
    b = claim(rosa, lockers, "chilled", volume_ml=1000)
    assert (b.compartment.label, b.compartment.zone, b.compartment.size) == ("C01", "chilled", "S")
    b2 = claim(rosa, lockers, "chilled", volume_ml=1000)
    assert b2.compartment.size == "M"  # the S is taken: next smallest
    big = claim(rosa, lockers, "ambient", volume_ml=30_000)  # too big for S (14 l) and M (29 l)
    assert big.compartment.size == "L"
    assert Compartment.objects.get(pk=b.compartment_id).state == "held"


def test_full_zone_or_too_big_is_refused_with_a_clear_code(rosa, lockers):
    claim(rosa, lockers, "frozen")
    with pytest.raises(LinliError) as e:
        claim(rosa, lockers, "frozen")
    assert e.value.spec.code == "locker_full"
    assert "冷冻" in e.value.message("zh-hans")
    with pytest.raises(LinliError) as e:
        claim(rosa, lockers, "chilled", volume_ml=500_000)
    assert e.value.spec.code == "locker_full"


def test_release_is_idempotent_and_frees_the_compartment(rosa, lockers):
    b = claim(rosa, lockers, order_id=41)
    assert booking_release(order_id=41) == 1
    assert booking_release(order_id=41) == 0
    b.refresh_from_db()
    assert b.status == "released" and b.compartment.state == "free"
    assert claim(rosa, lockers).compartment_id == b.compartment_id


def test_paid_claim_no_longer_lapses(rosa, lockers):
    b = claim(rosa, lockers, order_id=42)
    booking_confirm(order_id=42)
    b.refresh_from_db()
    assert b.status == "confirmed" and b.expires_at is None
    assert bookings_release_expired(now=timezone.now() + timedelta(days=1)) == 0


def test_unpaid_claim_is_swept_after_expiry_and_grace(rosa, lockers):
    b = claim(rosa, lockers, order_id=43)
    assert bookings_release_expired(now=timezone.now() + timedelta(minutes=16)) == 0  # grace
    assert bookings_release_expired(now=timezone.now() + timedelta(minutes=30)) == 1
    b.refresh_from_db()
    assert b.status == "released"


def test_payment_after_lapse_claims_again(rosa, lockers):
    claim(rosa, lockers, order_id=44)
    bookings_release_expired(now=timezone.now() + timedelta(hours=1))
    again = booking_confirm(order_id=44)
    assert again is not None and again.status == "confirmed"


def test_constraint_backstop_one_active_booking_per_compartment(rosa, lockers):
    b = claim(rosa, lockers)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            compartment=b.compartment,
            cabinet=b.cabinet,
            resident=rosa,
            storage="chilled",
            consent="order",
        )
