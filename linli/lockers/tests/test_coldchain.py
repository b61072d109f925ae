"""Temperature readings through the device API: the log, alarms to operator and residents,
the CSV export; wrong keys and unknown cabinets refused with a code and logged."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from linli.accounts.models import Notification, Role
from linli.accounts.services import role_grant
from linli.lockers.models import Alarm, Booking, LockerEvent, TemperatureReading
from linli.lockers.services import readings_csv

pytestmark = pytest.mark.django_db
URL = "/api/v1/devices/lockers/{}/readings/"


def post(client, lockers, readings, key=None, serial=None):
    return client.post(
        URL.format(serial or lockers.cabinet.serial),
        {"readings": readings},
        content_type="application/json",
        headers={"X-Cabinet-Key": lockers.key if key is None else key},
    )


@pytest.fixture
def operator(gina):
    role_grant(user=gina, role=Role.PLATFORM_ADMIN)
    return gina


def test_out_of_band_opens_one_alarm_tells_operator_and_residents_then_closes(
    client, lockers, operator, rosa
):
    comp = lockers.cabinet.compartments.get(label="C02")
    comp.state = "held"
    comp.save()
    Booking.objects.create(
        compartment=comp, cabinet=lockers.cabinet, resident=rosa, storage="chilled",
        consent="order", status="deposited",
    )  # fmt: skip
    r = post(
        client, lockers, [{"zone": "chilled", "celsius": 3.5}, {"zone": "frozen", "celsius": -20}]
    )
    assert r.status_code == 200 and r.json() == {"stored": 2, "alarms_opened": []}
    r = post(client, lockers, [{"zone": "chilled", "celsius": 9.2}])
    assert r.json()["alarms_opened"] == ["chilled"]
    post(client, lockers, [{"zone": "chilled", "celsius": 11.0}])  # still out: same alarm
    alarm = Alarm.objects.get()
    assert (alarm.kind, alarm.worst_celsius, alarm.residents_told) == ("too_warm", 11.0, 1)
    assert Notification.objects.filter(user=operator, kind="locker_alarm").count() == 1
    assert Notification.objects.filter(user=rosa, kind="locker_alarm").count() == 1
    post(client, lockers, [{"zone": "chilled", "celsius": 2.0}])
    alarm.refresh_from_db()
    assert alarm.closed_at is not None
    assert TemperatureReading.objects.filter(in_band=False).count() == 2


def test_bad_device_input_is_refused_with_a_code_and_logged(client, lockers):
    r = post(client, lockers, [{"zone": "chilled", "celsius": 3}], key="lk_wrong")
    assert r.status_code == 401 and r.json()["code"] == "device_key_invalid"
    r = post(client, lockers, [{"zone": "chilled", "celsius": 3}], serial="NOPE-1")
    assert r.status_code == 404 and r.json()["code"] == "cabinet_unknown"
    r = post(client, lockers, [{"zone": "chilled", "celsius": 3}], key="")
    assert r.json()["code"] == "device_key_invalid"
    r = post(client, lockers, [{"zone": "warm", "celsius": 3}])
    assert r.status_code == 400 and r.json()["code"] == "cabinet_zone_unknown"
    r = post(
        client, lockers, [{"zone": "chilled", "celsius": 3}, {"zone": "chilled", "celsius": 999}]
    )
    assert r.json()["code"] == "reading_invalid"
    assert TemperatureReading.objects.count() == 0  # a bad batch stores nothing
    codes = set(LockerEvent.objects.values_list("code", flat=True))
    assert {"device_key_invalid", "cabinet_unknown"} <= codes


def test_log_exports_as_csv(lockers):
    t = timezone.now() - timedelta(hours=1)
    TemperatureReading.objects.create(
        cabinet=lockers.cabinet, zone="frozen", celsius=-15.5, measured_at=t, in_band=False
    )
    rows = list(csv.reader(io.StringIO(readings_csv(readings=TemperatureReading.objects.all()))))
    assert rows[0][:5] == ["site", "cabinet", "zone", "measured_at", "celsius"]
    assert rows[1][1:3] == ["LL-T-0001", "frozen"] and rows[1][4] == "-15.5"
    assert rows[1][6] == "-18.0" and rows[1][7] == "NO"


def test_device_open_and_compartment_list(client, lockers):
    r = client.get(
        f"/api/v1/devices/lockers/{lockers.cabinet.serial}/compartments/",
        headers={"X-Cabinet-Key": lockers.key},
    )
    assert r.status_code == 200 and len(r.json()) == 7
    r = client.post(
        f"/api/v1/devices/lockers/{lockers.cabinet.serial}/open/",
        {"code": "12345678"},
        content_type="application/json",
        headers={"X-Cabinet-Key": lockers.key},
    )
    assert r.status_code == 400 and r.json()["code"] == "locker_code_wrong"
