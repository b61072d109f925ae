"""Deposit, the resident's code, and sending goods back (opening is in `pickup`).

Rules: consent before any deposit; fresh/chilled goods only into their own zone; the resident is
told at once (site, compartment, free period, deadline); codes are one-time, hashed and bound to
the cabinet and compartment; wrong codes are limited per cabinet; a fee is charged once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.accounts.models import User
from linli.accounts.selectors import consent_is_granted
from linli.core import fulfilment
from linli.core.errors import CoreError, CoreErrorCode
from linli.core.money import format_fen
from linli.lockers import conf
from linli.lockers.errors import LockersError, LockersErrorCode
from linli.lockers.models import Booking, Cabinet, Compartment, code_hash
from linli.lockers.services.charges import charges_waive_due
from linli.lockers.services.claims import FREE, HELD, ZONE_NAMES, _free
from linli.lockers.services.common import (
    event_log,
    is_platform_admin,
    new_code,
    site_operators,
    tell,
)
from linli.shops.selectors import outlet_list_for_user

CODE_DIGITS = 8
QR_PREFIX = "linli:locker:"


def cabinet_scope(cabinet_id: int) -> str:
    return f"cabinet:{cabinet_id}"


def qr_payload(booking: Booking, code: str) -> str:
    """What the kiosk scanner reads: bound to the cabinet and the compartment."""
    return f"{QR_PREFIX}{booking.cabinet.serial}:{booking.compartment.label}:{code}"


def _may_deposit(actor: User | None, booking: Booking) -> bool:
    if actor is None:
        return True  # a device authenticated with its cabinet key
    if is_platform_admin(actor):
        return True
    if booking.outlet_id is None:
        return booking.deposited_by_id == actor.pk
    return outlet_list_for_user(user=actor).filter(pk=booking.outlet_id).exists()


def _check_fits(comp: Compartment, storage: str, volume_ml: int, weight_g: int) -> None:
    if comp.zone != storage:
        raise LockersError(
            LockersErrorCode.WRONG_ZONE,
            storage=ZONE_NAMES.get(storage, storage),
            zone=ZONE_NAMES.get(comp.zone, comp.zone),
        )
    if comp.size not in conf.sizes_that_fit(volume_ml=volume_ml, weight_g=weight_g):
        raise LockersError(LockersErrorCode.TOO_SMALL, label=comp.label, size=comp.size)


def _move_to(booking: Booking, label: str) -> None:
    """The staff use another compartment of the same cabinet (the claimed one is faulty)."""
    comp = Compartment.objects.filter(cabinet_id=booking.cabinet_id, label=label).first()
    if comp is None:
        raise LockersError(LockersErrorCode.COMPARTMENT_NOT_FOUND, label=label)
    _check_fits(comp, booking.storage, booking.volume_ml, booking.weight_g)
    if not Compartment.objects.filter(pk=comp.pk, state=FREE).update(state=HELD):
        raise LockersError(LockersErrorCode.COMPARTMENT_BUSY, label=label)
    Compartment.objects.filter(pk=booking.compartment_id).update(state=FREE)
    Booking.objects.filter(pk=booking.pk).update(compartment=comp)
    booking.compartment = comp


def _issue_code(booking: Booking) -> str:
    for _ in range(5):
        code = new_code(CODE_DIGITS)
        try:
            with transaction.atomic():
                Booking.objects.filter(pk=booking.pk).update(
                    code_hash=code_hash(cabinet_scope(booking.cabinet_id), code),
                    code_issued_at=timezone.now(),
                )
            return code
        except IntegrityError:  # the same live code at this cabinet: draw again
            continue
    raise CoreError(CoreErrorCode.SERVER_ERROR)


def _notice(booking: Booking) -> tuple[str, str]:
    site = booking.cabinet.site
    rule = conf.fee_rule()
    local = timezone.localtime
    deposited = booking.deposited_at or timezone.now()
    free_until = deposited + timedelta(hours=rule.free_hours)
    body = (
        f"{site.name}（{site.address}）{booking.cabinet} 第 {booking.compartment.label} 格；"
        f"{rule.free_hours} 小时内免费（至 {local(free_until):%m-%d %H:%M}），之后每 "
        f"{rule.period_hours} 小时 {format_fen(rule.fee_per_period_fen)}，最多 "
        f"{format_fen(rule.cap_fen)}，法定节假日不收费；请于 {local(booking.deadline):%m-%d %H:%M} "
        f"前取件，逾期退回。"
    )
    return "您的物品已放入智能柜", body


def booking_deposit(
    *, actor: User | None, booking_id: int, compartment_label: str = "", channel: str = "page"
) -> Booking:
    """Goods go into the booked compartment (or another free one that fits); the resident is
    told at once with a one-time code by SMS; an order becomes ready. Refusals are logged and
    the log survives the refusal (it is written after the rolled-back attempt)."""
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("cabinet__site", "compartment", "resident")
            .filter(pk=booking_id)
            .first()
        )
        if booking is None or not _may_deposit(actor, booking):
            raise LockersError(LockersErrorCode.BOOKING_NOT_FOUND)
        try:
            _check_depositable(booking, compartment_label)
        except LockersError as e:
            err = e
        else:
            return _deposit(booking, actor, channel)
    _log_refusal("deposit", err, booking=booking, actor=actor, channel=channel)
    raise err


def _check_depositable(booking: Booking, compartment_label: str) -> None:
    if booking.status != Booking.Status.CONFIRMED:
        raise LockersError(LockersErrorCode.NOT_DEPOSITABLE, status=booking.get_status_display())
    if booking.consent == Booking.Consent.SETTING and not consent_is_granted(
        user=booking.resident, kind="locker_deposit"
    ):
        raise LockersError(LockersErrorCode.NO_CONSENT)
    label = (compartment_label or "").strip()
    if label and label != booking.compartment.label:
        with transaction.atomic():  # a refused move leaves the claimed compartment as it was
            _move_to(booking, label)
    else:  # the claimed compartment still has to suit the goods
        _check_fits(booking.compartment, booking.storage, booking.volume_ml, booking.weight_g)


def _deposit(booking: Booking, actor: User | None, channel: str) -> Booking:
    now = timezone.now()
    deadline = now + timedelta(hours=conf.keep_hours())
    Booking.objects.filter(pk=booking.pk).update(
        status=Booking.Status.DEPOSITED, deposited_at=now, deposited_by=actor, deadline=deadline
    )
    booking.refresh_from_db()
    code = _issue_code(booking)
    title, body = _notice(booking)
    sms = f"【邻里】{body}取件码 {code}，请勿告诉他人。"
    tell(booking.resident, "locker_deposited", title, body, url="/lockers/", sms=sms)
    event_log("deposit", channel=channel, cabinet=booking.cabinet, booking=booking, actor=actor)
    if booking.order_id:
        fulfilment.report_stage(
            order_id=booking.order_id, stage="deposited", actor_id=actor.pk if actor else None
        )
    return booking


def _log_refusal(
    kind: str,
    err: LockersError,
    *,
    booking: Booking | None = None,
    cabinet: Cabinet | None = None,
    actor: User | None = None,
    channel: str = "",
    detail: str = "",
) -> None:
    """Refusals are logged in their own autocommit-safe step: the audit survives the raise."""
    cab = cabinet or (booking.cabinet if booking is not None else None)
    event_log(
        kind,
        code=err.spec.code,
        channel=channel,
        cabinet=cab,
        booking=booking,
        actor=actor,
        detail=detail,
    )


@transaction.atomic
def booking_code_refresh(*, resident: User, booking_id: int) -> tuple[Booking, str]:
    """The resident's page shows a fresh code (the old one stops working)."""
    booking = (
        Booking.objects.select_related("cabinet__site", "compartment")
        .filter(pk=booking_id, resident=resident, status=Booking.Status.DEPOSITED)
        .first()
    )
    if booking is None:
        raise LockersError(LockersErrorCode.BOOKING_NOT_FOUND)
    code = _issue_code(booking)
    event_log("code_issued", channel="page", cabinet=booking.cabinet, booking=booking)
    return booking, code


def booking_send_back(*, booking: Booking, reason: str, report: bool = True) -> None:
    """Kept too long (or the order was cancelled): the code stops working, the shop or the
    operator collects the goods, and the resident is told where they went."""
    if not Booking.objects.filter(pk=booking.pk, status=Booking.Status.DEPOSITED).update(
        status=Booking.Status.RETURNING
    ):
        return
    booking.status = Booking.Status.RETURNING
    charges_waive_due(booking=booking)  # an unpaid overtime fee is not collected any more
    site = booking.cabinet.site
    where = booking.outlet.name if booking.outlet_id else site.name  # type: ignore[union-attr]
    if reason == "overdue":
        tell(
            booking.resident,
            "locker_returned",
            "智能柜物品已超过保管期",
            f"{site.name} 第 {booking.compartment.label} 格的物品已超过保管期，将退回 {where}，"
            "请凭订单取货码到店领取。",
            url="/lockers/",
        )
    event_log("send_back", channel="job", cabinet=booking.cabinet, booking=booking, detail=reason)
    for op in site_operators(site):
        tell(op, "locker_collect", f"请取回 {booking.cabinet} 第 {booking.compartment.label} 格")
    if report and booking.order_id:
        fulfilment.report_stage(order_id=booking.order_id, stage="returned")


def bookings_return_overdue(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    count = 0
    overdue = Booking.objects.filter(status=Booking.Status.DEPOSITED, deadline__lt=now)
    for b in overdue.select_related("cabinet__site", "compartment", "outlet", "resident"):
        with transaction.atomic():
            booking_send_back(booking=b, reason="overdue")
            count += 1
    return count


@transaction.atomic
def booking_collect(*, actor: User | None, booking_id: int, channel: str = "page") -> Booking:
    """Staff take returning goods out: the compartment is free again."""
    booking = Booking.objects.select_related("cabinet__site").filter(pk=booking_id).first()
    if booking is None or booking.status != Booking.Status.RETURNING:
        raise LockersError(LockersErrorCode.BOOKING_NOT_FOUND)
    if actor is not None and not (
        _may_deposit(actor, booking) or actor in site_operators(booking.cabinet.site)
    ):
        raise LockersError(LockersErrorCode.BOOKING_NOT_FOUND)
    _free(booking, Booking.Status.RETURNED, timezone.now())
    event_log("collect", channel=channel, cabinet=booking.cabinet, booking=booking, actor=actor)
    return booking
