"""Pages: resident, shop, operator (chart, alarms, overdue, CSV), station, kiosk; query counts
stay flat as rows grow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linli.accounts.models import Role
from linli.accounts.selectors import consent_is_granted
from linli.accounts.services import role_grant
from linli.community.models import Household
from linli.lockers.models import Alarm, Booking, Compartment, TemperatureReading
from linli.lockers.services import parcel_register

pytestmark = pytest.mark.django_db


def hold(lockers, rosa, label, status="deposited", **kw):
    comp = Compartment.objects.get(cabinet=lockers.cabinet, label=label)
    Compartment.objects.filter(pk=comp.pk).update(state="held")
    return Booking.objects.create(
        compartment=comp, cabinet=lockers.cabinet, resident=rosa, storage=comp.zone,
        consent="order", status=status, deposited_at=timezone.now(),
        deadline=timezone.now() + timedelta(days=4), **kw,
    )  # fmt: skip


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200, r.content[:500]
    return len(ctx.captured_queries), r


def test_resident_page_lists_lockers_and_parcels_with_flat_queries(client, rosa, pete, lockers):
    client.force_login(rosa)
    hold(lockers, rosa, "C01")
    household = Household.objects.get()
    parcel_register(actor=pete, site_id=lockers.station.pk, carrier="jd", tracking_no="JD000111",
                    household_id=household.pk)  # fmt: skip
    n1, r = queries(client, "/lockers/")
    assert "C01" in r.content.decode() and "JD000111" in r.content.decode()
    hold(lockers, rosa, "C02")
    hold(lockers, rosa, "A01")
    parcel_register(actor=pete, site_id=lockers.station.pk, carrier="sf", tracking_no="SF000222",
                    household_id=household.pk)  # fmt: skip
    n2, _ = queries(client, "/lockers/")
    assert n2 == n1 <= 12


def test_resident_sets_consent_and_gets_a_code_with_qr(client, rosa, lockers):
    client.force_login(rosa)
    client.post("/lockers/consent/", {"granted": "1"})
    assert consent_is_granted(user=rosa, kind="locker_deposit")
    b = hold(lockers, rosa, "C01")
    r = client.post(f"/lockers/booking-code/{b.pk}/", follow=True)
    html = r.content.decode()
    assert 'data-testid="locker-code"' in html and "<svg" in html


def test_operator_page_chart_alarms_overdue_and_csv(client, gina, rosa, lockers):
    role_grant(user=gina, role=Role.PLATFORM_ADMIN)
    client.force_login(gina)
    b = hold(lockers, rosa, "F01")
    Booking.objects.filter(pk=b.pk).update(deadline=timezone.now() - timedelta(hours=1))
    Alarm.objects.create(cabinet=lockers.cabinet, zone="frozen", kind="too_warm", first_celsius=-12,
                         worst_celsius=-9, opened_at=timezone.now())  # fmt: skip
    TemperatureReading.objects.create(cabinet=lockers.cabinet, zone="frozen", celsius=-12,
                                      measured_at=timezone.now(), in_band=False)  # fmt: skip
    n1, r = queries(client, "/lockers-operator/")
    html = r.content.decode()
    assert 'id="occupancy-option"' in html and "data-linli-chart" in html
    assert "-9.0 °C" in html and "F01" in html
    hold(lockers, rosa, "C01")
    Alarm.objects.create(cabinet=lockers.cabinet, zone="chilled", kind="too_warm", first_celsius=7,
                         worst_celsius=7, opened_at=timezone.now())  # fmt: skip
    n2, _ = queries(client, "/lockers-operator/")
    assert n2 == n1
    r = client.get("/lockers-operator/readings.csv")
    assert r["Content-Type"] == "text/csv" and "LL-T-0001,frozen" in r.content.decode()


def test_operator_of_nothing_sees_nothing(client, mia, lockers):
    client.force_login(mia)
    _, r = queries(client, "/lockers-operator/")
    assert "西园智能柜" not in r.content.decode()
    r = client.get("/lockers-operator/readings.csv")
    assert r.content.decode().count("\n") == 1  # header only


def test_station_page_registers_and_hands_over(client, pete, rosa, lockers, sms_outbox,
                                               django_capture_on_commit_callbacks):  # fmt: skip
    client.force_login(pete)
    household = Household.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/property/parcels/", {"action": "register", "carrier": "yto",
                    "tracking_no": "YT12345678", "household": household.pk, "shelf": "B-1"})  # fmt: skip
    _n1, r = queries(client, "/property/parcels/")
    assert "YT12345678" in r.content.decode()
    code = sms_outbox[-1][1].rsplit(" ", 1)[-1]
    r = client.post("/property/parcels/", {"action": "hand_over", "code": code}, follow=True)
    assert "B-1" in r.content.decode()


def test_kiosk_pairs_with_the_key_then_opens(client, rosa, lockers):
    url = f"/kiosk/{lockers.cabinet.serial}/"
    r = client.get(url)
    assert 'data-testid="kiosk-pair"' in r.content.decode()
    r = client.post(url, {"action": "pair", "key": "wrong"})
    assert "柜机密钥无效" in r.content.decode() or "not valid" in r.content.decode()
    r = client.post(url, {"action": "pair", "key": lockers.key})
    assert 'data-testid="kiosk-form"' in r.content.decode()
    r = client.post(url, {"action": "open", "code": "11112222"})
    assert 'data-testid="kiosk-error"' in r.content.decode()
