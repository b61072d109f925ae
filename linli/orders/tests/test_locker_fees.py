"""The overtime fee is paid before the door opens: quoted once, collected through payments (the
sandbox), marked paid once however often the notification comes, then the same code opens.

Here and not in lockers' tests because it drives both lockers and payments (layer 3 apps that
may not import each other); orders sits above both."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from linli.accounts.models import Notification
from linli.core.errors import LinliError
from linli.lockers.errors import FeeDue
from linli.lockers.models import Booking, Charge, LockerEvent
from linli.lockers.services import bookings_return_overdue, charge_pay, locker_open
from linli.lockers.tests.conftest import (
    booking_paid,
    codes_in,
    deposit,
    lockers_build,
    platform_admin,
)
from linli.payments.gateways.sandbox import sandbox_notification
from linli.payments.models import Payment
from linli.payments.services import payment_close, payment_create, payment_notify

pytestmark = pytest.mark.django_db
SITE = "http://testserver/"


@pytest.fixture(autouse=True)
def _sandbox(settings):
    settings.LINLI_PAYMENTS_GATEWAYS = ["sandbox"]
    settings.LINLI_LOCKER_HOLIDAYS = []


@pytest.fixture
def lockers(community):
    return lockers_build(community)


@pytest.fixture
def paid(rosa, lockers):
    return booking_paid(rosa, lockers)


@pytest.fixture
def admin(carla):
    return platform_admin(carla)


@pytest.fixture
def late(paid, admin, lockers, sms_outbox, django_capture_on_commit_callbacks):
    """Deposited 25 hours ago: 12 h free, then two started 12 h periods = ¥1.00."""
    b = deposit(paid, admin, django_capture_on_commit_callbacks)
    Booking.objects.filter(pk=b.pk).update(deposited_at=timezone.now() - timedelta(hours=25))
    return b, codes_in(sms_outbox)[-1]


def notify(payment, capture):
    headers, body = sandbox_notification(
        settings.LINLI_PAYMENTS_SANDBOX_SECRET,
        out_trade_no=payment.out_trade_no,
        amount_fen=payment.amount_fen,
    )
    with capture(execute=True):
        payment_notify(gateway="sandbox", headers=headers, body=body.encode())


def refused_with_fee(cabinet, code) -> FeeDue:
    with pytest.raises(FeeDue) as e:
        locker_open(cabinet=cabinet, code=code, site_url=SITE)
    assert e.value.spec.code == "locker_fee_due"
    return e.value


def test_fee_due_keeps_the_door_shut_until_paid_once(
    late, lockers, sms_outbox, django_capture_on_commit_callbacks
):
    b, code = late
    with django_capture_on_commit_callbacks(execute=True):
        err = refused_with_fee(lockers.cabinet, code)
    assert err.amount_fen == 100 and "¥1.00" in err.message()
    assert err.pay_url.startswith(f"{SITE}payments/sandbox/LL")
    b.refresh_from_db()
    assert b.status == "deposited" and b.compartment.state == "held"
    charge = Charge.objects.get()
    assert (charge.key, charge.amount_fen, charge.periods, charge.status) == (
        f"booking:{b.pk}:storage", 100, 2, "due"
    )  # fmt: skip
    # The resident is sent the pay link (notification and SMS), with the rule.
    note = Notification.objects.get(user=b.resident, kind="locker_fee_due")
    assert note.url == err.pay_url and "最多 ¥3.00" in note.body and "节假日不收费" in note.body
    assert err.pay_url in sms_outbox[-1][1]
    # Trying again: the same charge and the same payment, and no second text within minutes.
    texts = len(sms_outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert refused_with_fee(lockers.cabinet, code).pay_url == err.pay_url
    assert (Charge.objects.count(), Payment.objects.count(), len(sms_outbox)) == (1, 1, texts)
    assert Notification.objects.filter(kind="locker_fee_due").count() == 1
    payment = Payment.objects.get()
    assert (payment.payer, payment.reference, payment.amount_fen) == (
        b.resident, charge.reference, 100
    )  # fmt: skip

    # Paid in the sandbox; the notification is replayed: paid exactly once.
    notify(payment, django_capture_on_commit_callbacks)
    notify(payment, django_capture_on_commit_callbacks)
    charge.refresh_from_db()
    assert (charge.status, charge.payment_id) == ("paid", payment.pk)
    assert LockerEvent.objects.filter(kind="fee_paid").count() == 1
    assert Notification.objects.filter(kind="locker_fee_paid").count() == 1

    # The same code now opens; nothing more is charged, and the code is spent.
    opened = locker_open(cabinet=lockers.cabinet, code=code, site_url=SITE)
    assert (opened.label, opened.fee_fen) == ("C01", 100)
    with pytest.raises(LinliError) as e:
        locker_open(cabinet=lockers.cabinet, code=code)
    assert e.value.spec.code == "locker_code_used"
    assert (Charge.objects.count(), Payment.objects.count()) == (1, 1)


def test_no_fee_inside_the_free_period_or_on_a_holiday(
    paid,
    admin,
    lockers,
    sms_outbox,
    settings,
    django_capture_on_commit_callbacks,
):
    b = deposit(paid, admin, django_capture_on_commit_callbacks)
    Booking.objects.filter(pk=b.pk).update(deposited_at=timezone.now() - timedelta(hours=11))
    assert locker_open(cabinet=lockers.cabinet, code=codes_in(sms_outbox)[-1]).fee_fen == 0
    assert not Charge.objects.exists() and not Payment.objects.exists()


def test_no_fee_when_every_charged_period_starts_on_a_holiday(late, lockers, settings):
    _b, code = late
    now = timezone.now()
    settings.LINLI_LOCKER_HOLIDAYS = [
        timezone.localtime(now - timedelta(hours=h)).date().isoformat() for h in (13, 1)
    ]
    assert locker_open(cabinet=lockers.cabinet, code=code).fee_fen == 0
    assert not Charge.objects.exists() and not Payment.objects.exists()


def test_the_cap_holds(late, lockers):
    b, code = late
    Booking.objects.filter(pk=b.pk).update(deposited_at=timezone.now() - timedelta(hours=95))
    assert refused_with_fee(lockers.cabinet, code).amount_fen == 300
    assert Payment.objects.get().amount_fen == 300


def test_another_resident_cannot_pay_someone_elses_charge_into_use(
    late, lockers, mia, client, django_capture_on_commit_callbacks
):
    b, code = late
    err = refused_with_fee(lockers.cabinet, code)
    charge = Charge.objects.get()
    with pytest.raises(LinliError) as e:
        charge_pay(resident=mia, booking_id=b.pk, site_url=SITE)
    assert e.value.spec.code == "locker_booking_not_found"
    client.force_login(mia)  # the QR code reaches someone else's phone: not their payment
    assert client.get(err.pay_url.removeprefix(SITE.rstrip("/"))).status_code == 404
    # Even a payment of theirs carrying the charge's reference does not settle it.
    theirs = payment_create(
        payer=mia, amount_fen=100, reference=charge.reference, subject="x", idempotency_key="k"
    )
    notify(theirs, django_capture_on_commit_callbacks)
    charge.refresh_from_db()
    assert charge.status == "due"
    assert LockerEvent.objects.filter(kind="fee_refused", code="locker_fee_mismatch").exists()
    refused_with_fee(lockers.cabinet, code)


def test_resident_pays_from_the_lockers_page_then_opens(
    late, lockers, rosa, client, django_capture_on_commit_callbacks
):
    b, code = late
    client.force_login(rosa)
    page = client.get("/lockers/").content.decode()
    assert 'data-testid="fee-pay"' in page and "¥1.00" in page
    r = client.post(f"/lockers/booking-pay/{b.pk}/")
    payment = Payment.objects.get()
    assert r.status_code == 302 and payment.out_trade_no in r["Location"]
    notify(payment, django_capture_on_commit_callbacks)
    assert 'data-testid="fee-paid"' in client.get("/lockers/").content.decode()
    assert locker_open(cabinet=lockers.cabinet, code=code).fee_fen == 100
    assert Charge.objects.get().status == "paid"


def test_a_closed_payment_gives_way_to_a_new_one(late, lockers):
    _b, code = late
    first = refused_with_fee(lockers.cabinet, code).pay_url
    payment_close(payment=Payment.objects.get())  # the unpaid-close job
    second = refused_with_fee(lockers.cabinet, code).pay_url
    assert second != first and Payment.objects.filter(status="pending").count() == 1
    assert Charge.objects.count() == 1


def test_device_api_answers_fee_due_and_kiosk_shows_the_qr(late, lockers, client):
    b, code = late
    r = client.post(
        f"/api/v1/devices/lockers/{lockers.cabinet.serial}/open/",
        {"code": code},
        content_type="application/json",
        headers={"X-Cabinet-Key": lockers.key},
    )
    body = r.json()
    assert r.status_code == 402 and body["code"] == "locker_fee_due"
    assert body["amount_fen"] == 100 and "/payments/sandbox/" in body["pay_url"]
    url = f"/kiosk/{lockers.cabinet.serial}/"
    client.post(url, {"action": "pair", "key": lockers.key})
    page = client.post(url, {"action": "open", "code": code}).content.decode()
    assert 'data-testid="kiosk-fee-due"' in page and "<svg" in page and "¥1.00" in page
    assert 'data-testid="kiosk-opened"' not in page
    assert Booking.objects.get(pk=b.pk).status == "deposited"


def test_goods_sent_back_unpaid_waive_the_fee(late, lockers):
    _b, code = late
    refused_with_fee(lockers.cabinet, code)
    assert bookings_return_overdue(now=timezone.now() + timedelta(hours=97)) == 1
    assert Charge.objects.get().status == "waived"
