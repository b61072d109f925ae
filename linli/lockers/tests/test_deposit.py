"""Deposit, notice, code, opening, fee once, brute-force limit, returns; bad input refused and
logged with a clear code."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.accounts.models import Notification
from linli.accounts.services import consent_set
from linli.core.errors import LinliError
from linli.lockers.models import Booking, Charge, LockerEvent
from linli.lockers.services import (
    booking_claim,
    booking_code_refresh,
    booking_collect,
    booking_confirm,
    booking_deposit,
    bookings_return_overdue,
    locker_open,
    parcel_deposit,
    qr_payload,
)
from linli.lockers.tests.conftest import codes_in, deposit

pytestmark = pytest.mark.django_db


def refused(code):
    return LockerEvent.objects.filter(code=code).count()


def test_deposit_tells_the_resident_at_once_and_the_code_opens_once(
    paid, admin, lockers, sms_outbox, django_capture_on_commit_callbacks
):
    b = deposit(paid, admin, django_capture_on_commit_callbacks)
    assert b.status == "deposited" and b.deadline - b.deposited_at == timedelta(hours=96)
    note = Notification.objects.get(user=paid.resident, kind="locker_deposited")
    for part in ("西园智能柜", "3 号楼东侧", "C01", "12 小时内免费", "前取件"):
        assert part in note.body
    assert "取件码" not in note.body  # the code is only in the SMS, never stored in clear
    (code,) = codes_in(sms_outbox)
    opened = locker_open(cabinet=lockers.cabinet, code=code)
    assert (opened.label, opened.fee_fen) == ("C01", 0)
    b.refresh_from_db()
    assert b.status == "picked_up" and b.compartment.state == "free"
    with pytest.raises(LinliError) as e:  # the same code again
        locker_open(cabinet=lockers.cabinet, code=code)
    assert e.value.spec.code == "locker_code_used" and refused("locker_code_used") == 1
    assert not Charge.objects.exists()


def test_qr_is_bound_to_the_compartment(paid, admin, lockers, django_capture_on_commit_callbacks):
    b = deposit(paid, admin, django_capture_on_commit_callbacks)
    b, code = booking_code_refresh(resident=paid.resident, booking_id=b.pk)
    wrong_box = qr_payload(b, code).replace(":C01:", ":C02:")
    with pytest.raises(LinliError) as e:
        locker_open(cabinet=lockers.cabinet, code=wrong_box)
    assert e.value.spec.code == "locker_code_wrong"
    assert locker_open(cabinet=lockers.cabinet, code=qr_payload(b, code)).label == "C01"


def test_wrong_zone_and_too_small_are_refused_and_logged(
    paid, admin, lockers, django_capture_on_commit_callbacks
):
    messages = []
    for label in ("A01", "F01"):
        with pytest.raises(LinliError) as e:
            deposit(paid, admin, django_capture_on_commit_callbacks, compartment_label=label)
        assert e.value.spec.code == "compartment_wrong_zone"
        messages.append(e.value.message("zh-hans"))
    assert messages == ["冷藏商品不能放入常温格口", "冷藏商品不能放入冷冻格口"]
    Booking.objects.filter(pk=paid.pk).update(volume_ml=20_000)  # needs an M: C01 is an S
    with pytest.raises(LinliError) as e:
        deposit(paid, admin, django_capture_on_commit_callbacks)
    assert e.value.spec.code == "compartment_too_small"
    assert refused("compartment_wrong_zone") == 2 and refused("compartment_too_small") == 1
    paid.refresh_from_db()
    assert paid.status == "confirmed" and paid.compartment.label == "C01"
    # Another free chilled compartment that fits is fine: the booking moves there.
    b = deposit(paid, admin, django_capture_on_commit_callbacks, compartment_label="C02")
    assert b.compartment.label == "C02" and b.compartment.state == "held"


def test_shop_of_another_outlet_cannot_deposit(paid, mia, django_capture_on_commit_callbacks):
    with pytest.raises(LinliError) as e:
        deposit(paid, mia, django_capture_on_commit_callbacks)
    assert e.value.spec.code == "locker_booking_not_found"


def test_walk_up_deposit_needs_consent_and_a_cold_box_for_fresh(
    rosa, carla, lockers, django_capture_on_commit_callbacks
):
    args = {
        "actor": carla, "cabinet_id": lockers.cabinet.pk, "recipient_phone": rosa.phone,
        "carrier": "sf", "tracking_no": "SF123456789",
    }  # fmt: skip
    with pytest.raises(LinliError) as e:
        parcel_deposit(**args)
    assert e.value.spec.code == "locker_no_consent" and refused("locker_no_consent") == 1
    consent_set(user=rosa, kind="locker_deposit", granted=True)
    with pytest.raises(LinliError) as e:
        parcel_deposit(**args, fresh=True)
    assert e.value.spec.code == "locker_fresh_needs_cold"
    with pytest.raises(LinliError) as e:
        parcel_deposit(**args, storage="frozen", fresh=True, compartment_label="C01")
    assert e.value.spec.code == "compartment_wrong_zone"
    with django_capture_on_commit_callbacks(execute=True):
        b = parcel_deposit(**args, storage="chilled", fresh=True)
    assert b.status == "deposited" and b.compartment.zone == "chilled" and b.consent == "setting"
    consent_set(user=rosa, kind="locker_deposit", granted=False)  # withdrawn: refused again
    with pytest.raises(LinliError) as e:
        parcel_deposit(**{**args, "tracking_no": "SF999"})
    assert e.value.spec.code == "locker_no_consent"


def test_guessing_codes_locks_the_cabinet_keypad(
    paid, admin, lockers, sms_outbox, django_capture_on_commit_callbacks
):
    deposit(paid, admin, django_capture_on_commit_callbacks)
    code = codes_in(sms_outbox)[-1]
    for i in range(10):
        with pytest.raises(LinliError) as e:
            locker_open(cabinet=lockers.cabinet, code=f"{(int(code) + i + 1) % 10**8:08d}")
        assert e.value.spec.code == "locker_code_wrong"
    with pytest.raises(LinliError) as e:  # even the right code now waits
        locker_open(cabinet=lockers.cabinet, code=code)
    assert e.value.spec.code == "locker_keypad_locked" and e.value.status == 429
    LockerEvent.objects.filter(code="locker_code_wrong").update(
        at=timezone.now() - timedelta(minutes=16)
    )
    assert locker_open(cabinet=lockers.cabinet, code=code).label == "C01"


def test_kept_too_long_goes_back_and_the_resident_is_told(
    paid, admin, lockers, sms_outbox, django_capture_on_commit_callbacks
):
    b = deposit(paid, admin, django_capture_on_commit_callbacks)
    assert bookings_return_overdue(now=timezone.now() + timedelta(hours=95)) == 0
    assert bookings_return_overdue(now=timezone.now() + timedelta(hours=97)) == 1
    b.refresh_from_db()
    assert b.status == "returning"
    assert Notification.objects.filter(user=paid.resident, kind="locker_returned").exists()
    with pytest.raises(LinliError):
        locker_open(cabinet=lockers.cabinet, code=codes_in(sms_outbox)[-1])
    booking_collect(actor=admin, booking_id=b.pk)
    b.refresh_from_db()
    assert b.status == "returned" and b.compartment.state == "free"


def test_confirm_then_deposit_without_payment_is_refused(rosa, admin, lockers):
    b = booking_claim(
        resident=rosa, site_ids=[lockers.site.pk], storage="ambient", volume_ml=0, weight_g=0,
        order_id=77, expires_at=timezone.now() + timedelta(minutes=15),
    )  # fmt: skip
    with pytest.raises(LinliError) as e:
        booking_deposit(actor=admin, booking_id=b.pk)
    assert e.value.spec.code == "locker_not_depositable"
    booking_confirm(order_id=77)
    assert booking_deposit(actor=admin, booking_id=b.pk).status == "deposited"
