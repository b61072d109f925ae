"""Opening a compartment with the resident's code at the cabinet (kiosk page or device API).

Codes are one-time, hashed and bound to the cabinet (and, by QR, the compartment); wrong codes
are limited per cabinet. After the free period the overtime fee must be paid before the door
opens: the first attempt quotes it once (a due `Charge`), the kiosk shows the amount, the rule
and a QR code of the pay link, the resident gets the link too, and the door stays shut; once
payments reports the capture, the same code opens it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from linli.core import fulfilment
from linli.lockers import conf
from linli.lockers.errors import FeeDue, LockersError, LockersErrorCode
from linli.lockers.models import Booking, Cabinet, Charge, LockerEvent, code_hash
from linli.lockers.services.charges import charge_collect, charge_quote, tell_fee_due
from linli.lockers.services.claims import _free
from linli.lockers.services.common import event_log
from linli.lockers.services.deposit import QR_PREFIX, _log_refusal, cabinet_scope


@dataclass(frozen=True)
class Opened:
    booking: Booking
    label: str
    fee_fen: int  # the overtime fee paid before opening (0 inside the free period)


def _wrong_codes_recently(cabinet: Cabinet, now: datetime) -> int:
    since = now - timedelta(minutes=conf.wrong_code_window_minutes())
    return LockerEvent.objects.filter(
        cabinet=cabinet, code=LockersErrorCode.CODE_WRONG.spec.code, at__gte=since
    ).count()


def _parse(raw: str, cabinet: Cabinet) -> tuple[str, str | None] | None:
    raw = (raw or "").strip().replace(" ", "")
    if raw.startswith(QR_PREFIX):
        parts = raw[len(QR_PREFIX) :].split(":")
        if len(parts) != 3 or parts[0] != cabinet.serial:
            return None
        return parts[2], parts[1]
    return raw, None


def locker_open(
    *, cabinet: Cabinet, code: str, channel: str = "kiosk", site_url: str = ""
) -> Opened:
    """A code typed (or a QR scanned) at the cabinet opens its compartment, once.

    Wrong codes are counted per cabinet: after `max_wrong_codes` in the window the keypad
    refuses everything for the rest of it (a code has 10^8 values: guessing is hopeless).
    An unpaid overtime fee raises `FeeDue` (code `locker_fee_due`) with the amount and the pay
    link (absolute when `site_url` is given); the code keeps working until the door opens.

    Not one transaction: the code check (booking row locked) commits before payments is asked
    for the pay link, so no locker row is locked while a gateway is called."""
    charge: Charge | None = None
    pay_url, kind = "", "redirect"
    for _attempt in range(2):
        outcome = _try_open(cabinet, code, channel)
        if isinstance(outcome, Opened):
            return outcome
        charge = outcome
        answer = charge_collect(charge=charge, site_url=site_url)
        if answer.paid:  # settled just now (a capture we had not heard of): try again
            continue
        pay_url, kind = answer.pay_url, answer.kind
        break
    assert charge is not None
    now = timezone.now()
    with transaction.atomic():
        tell_fee_due(charge=charge, pay_url=pay_url, now=now)
    err = FeeDue(charge_id=charge.pk, amount_fen=charge.amount_fen, pay_url=pay_url, kind=kind)
    _log_refusal("open", err, booking=charge.booking, channel=channel)
    raise err


def _try_open(cabinet: Cabinet, code: str, channel: str) -> Opened | Charge:
    """Opened, or the due charge that keeps the door shut (committed), or a coded refusal."""
    now = timezone.now()
    err: LockersError
    booking: Booking | None = None
    with transaction.atomic():
        if _wrong_codes_recently(cabinet, now) >= conf.max_wrong_codes():
            err = LockersError(
                LockersErrorCode.KEYPAD_LOCKED, minutes=conf.wrong_code_window_minutes()
            )
        else:
            parsed = _parse(code, cabinet)
            plain, label = parsed if parsed else ("", None)
            h = code_hash(cabinet_scope(cabinet.pk), plain) if plain.isdigit() else "-"
            found = list(
                Booking.objects.select_for_update(of=("self",))
                .select_related("compartment", "cabinet__site", "resident")
                .filter(cabinet=cabinet, code_hash=h)
                .order_by("-pk")[:3]
            )
            live = [b for b in found if b.status == Booking.Status.DEPOSITED]
            if live and (label is None or live[0].compartment.label == label):
                charge = charge_quote(live[0], now)
                if charge is not None and charge.status == Charge.Status.DUE:
                    return charge
                return _hand_over(live[0], now, channel, charge)
            booking = found[0] if found else None
            code_ = (
                LockersErrorCode.CODE_USED if found and not live else LockersErrorCode.CODE_WRONG
            )
            err = LockersError(code_)
    _log_refusal("open", err, cabinet=cabinet, booking=booking, channel=channel)
    raise err


def _hand_over(booking: Booking, now: datetime, channel: str, charge: Charge | None) -> Opened:
    _free(booking, Booking.Status.PICKED_UP, now)
    Booking.objects.filter(pk=booking.pk).update(picked_up_at=now)
    event_log("open", channel=channel, cabinet=booking.cabinet, booking=booking)
    if booking.order_id:
        fulfilment.report_stage(order_id=booking.order_id, stage="picked_up")
    paid = charge.amount_fen if charge is not None and charge.status == Charge.Status.PAID else 0
    return Opened(booking, booking.compartment.label, paid)
