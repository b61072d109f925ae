"""The property's parcel station: register, notify, hand over with a code, remind daily,
return after 7 days; tenancy and duplicates refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.accounts.models import Notification
from linli.community.models import Household
from linli.core.errors import LinliError
from linli.lockers.models import Parcel
from linli.lockers.services import (
    parcel_code_refresh,
    parcel_hand_over,
    parcel_register,
    parcels_remind,
    parcels_return_overdue,
)
from linli.lockers.tests.conftest import codes_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def parcel(pete, rosa, lockers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return parcel_register(
            actor=pete,
            site_id=lockers.station.pk,
            carrier="sf",
            tracking_no="SF1400012345678",
            household_id=Household.objects.get().pk,
            shelf="A-1-03",
        )


def test_register_notifies_and_the_code_hands_over(parcel, pete, rosa, lockers, sms_outbox):
    assert parcel.recipient == rosa and parcel.status == "waiting"
    assert parcel.keep_until - parcel.registered_at == timedelta(days=7)
    note = Notification.objects.get(user=rosa, kind="parcel_arrived")
    assert "顺丰" in note.body and "西园物业代收点" in note.body
    (code,) = codes_in(sms_outbox, digits=6)
    with pytest.raises(LinliError) as e:
        parcel_hand_over(
            actor=pete, site_id=lockers.station.pk, code="000000" if code != "000000" else "111111"
        )
    assert e.value.spec.code == "parcel_code_wrong"
    assert parcel_hand_over(actor=pete, site_id=lockers.station.pk, code=code).status == "picked_up"
    with pytest.raises(LinliError) as e:
        parcel_hand_over(actor=pete, site_id=lockers.station.pk, code=code)
    assert e.value.spec.code == "parcel_not_waiting"


def test_resident_gets_a_fresh_code(parcel, pete, rosa, lockers):
    _, code = parcel_code_refresh(resident=rosa, parcel_id=parcel.pk)
    assert parcel_hand_over(actor=pete, site_id=lockers.station.pk, code=code).pk == parcel.pk


def test_duplicate_and_other_community_and_non_staff_are_refused(parcel, pete, marco, lockers):
    args = {"site_id": lockers.station.pk, "carrier": "sf", "household_id": parcel.household_id}
    with pytest.raises(LinliError) as e:
        parcel_register(actor=pete, tracking_no="SF1400012345678", **args)
    assert e.value.spec.code == "parcel_duplicate"
    with pytest.raises(LinliError) as e:
        parcel_register(actor=marco, tracking_no="SF1400099999999", **args)
    assert e.value.spec.code == "permission_denied"
    with pytest.raises(LinliError) as e:
        parcel_register(actor=pete, tracking_no="SF14000999", **{**args, "household_id": 999999})
    assert e.value.spec.code == "household_not_found"


def test_daily_reminder_once_a_day_then_returned_after_seven_days(parcel, rosa):
    # mid-morning of the day the parcel came: "five minutes later" must be the same local day
    # (from 23:55 Beijing time it was the next day, with its own reminder)
    now = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    kept_for = parcel.keep_until - parcel.registered_at
    Parcel.objects.filter(pk=parcel.pk).update(registered_at=now, keep_until=now + kept_for)
    assert parcels_remind(now=now) == 0  # not on the day it arrived
    Parcel.objects.filter(pk=parcel.pk).update(registered_at=now - timedelta(days=2))
    assert parcels_remind(now=now) == 1
    assert parcels_remind(now=now + timedelta(minutes=5)) == 0
    assert parcels_remind(now=now + timedelta(days=1)) == 1
    assert parcels_return_overdue(now=now + timedelta(days=6)) == 0
    assert parcels_return_overdue(now=now + timedelta(days=7, minutes=1)) == 1
    parcel.refresh_from_db()
    assert parcel.status == "returned"
    assert Notification.objects.filter(user=rosa, kind="parcel_returned").exists()
    assert Notification.objects.filter(user=rosa, kind="parcel_reminder").count() == 2
