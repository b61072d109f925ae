"""Overtime fees: quoted once as a due `Charge`, collected through `core.collection` (payments)
before the door opens, and marked paid once when payments reports the capture.

The amount is fixed when it is first quoted (at the kiosk or on the resident's page): the price
the resident was shown is the price they pay, and a payment in flight always matches its charge.
See docs/adr/0005-locker-fee-collection.md.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from linli.accounts.models import User
from linli.core import collection
from linli.core.money import format_fen
from linli.lockers import conf
from linli.lockers.errors import LockersError, LockersErrorCode
from linli.lockers.fees import storage_fee
from linli.lockers.models import Booking, Charge, LockerEvent
from linli.lockers.services.common import event_log, tell

log = logging.getLogger("linli.lockers")

RESIDENT_PAGE = "/lockers/"
NOTICE_EVERY = timedelta(minutes=10)


def storage_key(booking_id: int) -> str:
    return f"booking:{booking_id}:storage"


def charge_quote(booking: Booking, now: datetime) -> Charge | None:
    """The booking's storage charge, recorded (due) the first time a fee is owed; None while
    nothing is owed (inside the free period, on holidays, a zero rule). Call it with the
    booking row locked: one row per key makes it once however often it is asked."""
    charge = Charge.objects.filter(key=storage_key(booking.pk)).first()
    if charge is not None:
        return charge
    fee = storage_fee(booking.deposited_at or now, now, conf.fee_rule())
    if not fee.amount_fen:
        return None
    charge, _created = Charge.objects.get_or_create(
        key=storage_key(booking.pk),
        defaults={
            "booking": booking,
            "resident": booking.resident,
            "amount_fen": fee.amount_fen,
            "periods": fee.charged_periods,
        },
    )
    return charge


def _absolute(site_url: str, url: str) -> str:
    if site_url and url.startswith("/"):
        return site_url.rstrip("/") + url
    return url


def charge_collect(*, charge: Charge, site_url: str = "") -> collection.Collection:
    """Where the resident pays this charge (a payment of theirs, created once per attempt).

    Not one transaction: the gateway may be called, and no locker row is locked meanwhile. When
    payments answers that it is paid already (a capture whose notice we have not handled), the
    charge is settled here and then."""
    booking = charge.booking
    answer = collection.collect(
        payer_id=charge.resident_id,
        amount_fen=charge.amount_fen,
        reference=charge.reference,
        subject=f"智能柜超时保管费 {booking.reference}",
        idempotency_key=charge.reference,
        return_url=_absolute(site_url, RESIDENT_PAGE),
    )
    if answer.paid:
        charge_settle(
            reference=charge.reference,
            payment_id=answer.payment_id or 0,
            payer_id=charge.resident_id,
            amount_fen=charge.amount_fen,
        )
    return replace(answer, pay_url=_absolute(site_url, answer.pay_url))


def fee_notice(charge: Charge, pay_url: str) -> tuple[str, str]:
    rule = conf.fee_rule()
    b = charge.booking
    body = (
        f"{b.cabinet.site.name} {b.cabinet} 第 {b.compartment.label} 格已超过 {rule.free_hours} "
        f"小时免费期（之后每 {rule.period_hours} 小时 {format_fen(rule.fee_per_period_fen)}，最多 "
        f"{format_fen(rule.cap_fen)}，法定节假日不收费）。应付 {format_fen(charge.amount_fen)}，"
        "付款后在柜机再次输入取件码开门。"
    )
    return "请支付智能柜超时保管费", body


def tell_fee_due(*, charge: Charge, pay_url: str, now: datetime) -> bool:
    """Send the pay link to the resident, at most once per NOTICE_EVERY per booking (the kiosk
    refusal is logged right after, which is what the next call counts)."""
    recent = LockerEvent.objects.filter(
        booking_id=charge.booking_id,
        code=LockersErrorCode.FEE_DUE.spec.code,
        at__gte=now - NOTICE_EVERY,
    ).exists()
    if recent:
        return False
    title, body = fee_notice(charge, pay_url)
    sms = f"【邻里】{body}付款链接 {pay_url}" if pay_url.startswith("http") else ""
    url = pay_url if pay_url.startswith(("http", "/")) else RESIDENT_PAGE
    tell(charge.resident, "locker_fee_due", title, body, url=url, sms=sms)
    return True


def charge_pay(*, resident: User, booking_id: int, site_url: str = "") -> collection.Collection:
    """The resident pays the overtime fee from their phone (before walking down). Only the
    booking's own resident may; the quote is the same one the kiosk would make now."""
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("cabinet__site", "compartment", "resident")
            .filter(pk=booking_id, resident=resident, status=Booking.Status.DEPOSITED)
            .first()
        )
        if booking is None:
            raise LockersError(LockersErrorCode.BOOKING_NOT_FOUND)
        charge = charge_quote(booking, timezone.now())
        if charge is None or charge.status != Charge.Status.DUE:
            raise LockersError(LockersErrorCode.FEE_NOT_DUE)
    return charge_collect(charge=charge, site_url=site_url)


def charge_reference_id(reference: str) -> int | None:
    prefix, _, pk = reference.partition(":")
    return int(pk) if prefix == Charge.REFERENCE_PREFIX and pk.isdigit() else None


@transaction.atomic
def charge_settle(*, reference: str, payment_id: int, payer_id: int, amount_fen: int) -> bool:
    """A payment for `locker-charge:<id>` was captured: due → paid, once (a conditional UPDATE;
    replays and a second capture change nothing). Only the charge's own resident paying its
    exact amount settles it; anything else is logged for the operator and changes nothing."""
    pk = charge_reference_id(reference)
    charge = (
        Charge.objects.select_related("booking__cabinet__site", "booking__compartment", "resident")
        .filter(pk=pk)
        .first()
        if pk
        else None
    )
    if charge is None:
        log.error("captured payment %s for unknown locker charge %r", payment_id, reference)
        return False
    booking = charge.booking
    if charge.resident_id != payer_id or charge.amount_fen != amount_fen:
        event_log(
            "fee_refused",
            code="locker_fee_mismatch",
            channel="job",
            cabinet=booking.cabinet,
            booking=booking,
            detail=f"payment {payment_id} by user {payer_id} for {amount_fen} fen",
        )
        return False
    now = timezone.now()
    moved = Charge.objects.filter(pk=charge.pk, status=Charge.Status.DUE).update(
        status=Charge.Status.PAID, paid_at=now, payment_id=payment_id
    )
    if not moved:
        return False
    event_log("fee_paid", channel="job", cabinet=booking.cabinet, booking=booking,
              detail=f"payment {payment_id}")  # fmt: skip
    tell(
        charge.resident,
        "locker_fee_paid",
        "超时保管费已支付",
        f"{booking.cabinet.site.name} 第 {booking.compartment.label} 格：已支付 "
        f"{format_fen(charge.amount_fen)}，请在柜机再次输入取件码开门。",
        url=RESIDENT_PAGE,
    )
    return True


def on_charge_paid(paid: collection.Paid) -> None:
    """Registered with core.collection for `locker-charge:` references (LockersConfig.ready)."""
    charge_settle(
        reference=paid.reference,
        payment_id=paid.payment_id,
        payer_id=paid.payer_id,
        amount_fen=paid.amount_fen,
    )


def charges_waive_due(*, booking: Booking) -> int:
    """The goods go back unopened: nothing is collected for them any more."""
    return Charge.objects.filter(booking=booking, status=Charge.Status.DUE).update(
        status=Charge.Status.WAIVED
    )
