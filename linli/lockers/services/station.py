"""The property's parcel station (物业代收): register, tell the household, hand over against a
code, remind daily, and return to the carrier after the keep period (default 7 days)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from linli.accounts.models import User
from linli.community.models import Household, HouseholdMember
from linli.lockers import conf
from linli.lockers.errors import LockersError, LockersErrorCode
from linli.lockers.models import Parcel, Site, code_hash
from linli.lockers.services.common import event_log, new_code, site_for_operator, tell

CARRIERS = {
    "sf": "顺丰", "jd": "京东", "ems": "EMS", "zto": "中通", "yto": "圆通", "sto": "申通",
    "yunda": "韵达", "jt": "极兔", "other": "其他",
}  # fmt: skip


def station_scope(site_id: int) -> str:
    return f"station:{site_id}"


def _members(household: Household) -> list[User]:
    links = HouseholdMember.objects.filter(household=household).select_related("user")
    return [m.user for m in links.order_by("-is_primary", "pk")]


def _station(actor: User, site_id: int) -> Site:
    site = site_for_operator(user=actor, site_id=site_id)
    if site.kind != Site.Kind.STATION:
        raise LockersError(LockersErrorCode.SITE_NOT_FOUND)
    return site


@transaction.atomic
def parcel_register(
    *, actor: User, site_id: int, carrier: str, tracking_no: str, household_id: int, shelf: str = ""
) -> Parcel:
    """Log a parcel in; every member of the household is told, the first one gets the code."""
    site = _station(actor, site_id)
    carrier = (carrier or "").strip().lower()
    tracking = (tracking_no or "").strip().upper()
    if carrier not in CARRIERS or not (6 <= len(tracking) <= 40) or not tracking.isalnum():
        from linli.core.errors import CoreError, CoreErrorCode

        raise CoreError(CoreErrorCode.INVALID_INPUT, reason="carrier / tracking number")
    household = Household.objects.filter(
        pk=household_id, building__community_id=site.community_id
    ).first()
    if household is None:
        raise LockersError(LockersErrorCode.HOUSEHOLD_NOT_FOUND)
    if Parcel.objects.filter(carrier=carrier, tracking_no=tracking).exists():
        raise LockersError(
            LockersErrorCode.PARCEL_DUPLICATE, carrier=CARRIERS[carrier], tracking=tracking
        )
    members = _members(household)
    code = new_code(6)
    now = timezone.now()
    parcel = Parcel.objects.create(
        site=site,
        carrier=carrier,
        tracking_no=tracking,
        household=household,
        recipient=members[0] if members else None,
        shelf=shelf.strip()[:12],
        code_hash=code_hash(station_scope(site.pk), code),
        registered_by=actor,
        registered_at=now,
        keep_until=now + timedelta(days=conf.station_keep_days()),
    )
    _notify(parcel, members, code, first=True)
    event_log("parcel_in", channel="page", parcel=parcel, actor=actor, detail=tracking)
    return parcel


def _notify(parcel: Parcel, members: list[User], code: str, *, first: bool) -> None:
    site = parcel.site
    until = timezone.localtime(parcel.keep_until)
    body = (
        f"{CARRIERS.get(parcel.carrier, parcel.carrier)} {parcel.tracking_no[-4:]} 已到 {site.name}"
        f"（{site.address}），请于 {until:%m-%d} 前凭取件码领取，逾期退回快递公司。"
    )
    title = "您有包裹到物业代收点" if first else "包裹还在代收点等您"
    for i, user in enumerate(members):
        sms = f"【邻里】{body}取件码 {code}" if i == 0 and code else ""
        tell(user, "parcel_arrived" if first else "parcel_reminder", title, body, "/lockers/", sms)


@transaction.atomic
def parcel_code_refresh(*, resident: User, parcel_id: int) -> tuple[Parcel, str]:
    parcel = (
        Parcel.objects.select_related("site")
        .filter(
            pk=parcel_id,
            status=Parcel.Status.WAITING,
            household__householdmember__user=resident,
        )
        .first()
    )
    if parcel is None:
        raise LockersError(LockersErrorCode.PARCEL_NOT_FOUND)
    code = new_code(6)
    Parcel.objects.filter(pk=parcel.pk).update(
        code_hash=code_hash(station_scope(parcel.site_id), code)
    )
    return parcel, code


def parcel_hand_over(*, actor: User, site_id: int, code: str) -> Parcel:
    """The counter types the resident's code; the parcel it belongs to is handed over."""
    site = _station(actor, site_id)
    h = code_hash(station_scope(site.pk), (code or "").strip())
    with transaction.atomic():
        parcel = Parcel.objects.select_for_update().filter(site=site, code_hash=h).first()
        if parcel is not None and parcel.status == Parcel.Status.WAITING:
            Parcel.objects.filter(pk=parcel.pk).update(
                status=Parcel.Status.PICKED_UP, closed_at=timezone.now(), handed_by=actor
            )
            parcel.refresh_from_db()
            event_log("parcel_out", channel="page", parcel=parcel, actor=actor)
            return parcel
    if parcel is None:
        err = LockersError(LockersErrorCode.PARCEL_CODE_WRONG)
    else:
        err = LockersError(LockersErrorCode.PARCEL_NOT_WAITING, status=parcel.get_status_display())
    event_log("parcel_out", code=err.spec.code, channel="page", parcel=parcel, actor=actor)
    raise err


def parcels_remind(*, now: datetime | None = None) -> int:
    """Daily: one reminder per waiting parcel per day, not on the day it arrived."""
    now = now or timezone.now()
    today_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    due = Parcel.objects.filter(
        status=Parcel.Status.WAITING, registered_at__lt=today_start, keep_until__gt=now
    ).exclude(last_reminded_at__gte=today_start)
    count = 0
    for parcel in due.select_related("site", "household").order_by("pk"):
        with transaction.atomic():
            if (
                not Parcel.objects.filter(pk=parcel.pk, status=Parcel.Status.WAITING)
                .exclude(last_reminded_at__gte=today_start)
                .update(last_reminded_at=now, reminders_sent=parcel.reminders_sent + 1)
            ):
                continue
            _notify(parcel, _members(parcel.household), "", first=False)
            count += 1
    return count


def parcels_return_overdue(*, now: datetime | None = None) -> int:
    """After the keep period the parcel goes back to the carrier; the household is told."""
    now = now or timezone.now()
    count = 0
    overdue = Parcel.objects.filter(status=Parcel.Status.WAITING, keep_until__lt=now)
    for parcel in overdue.select_related("site", "household").order_by("pk"):
        with transaction.atomic():
            if not Parcel.objects.filter(pk=parcel.pk, status=Parcel.Status.WAITING).update(
                status=Parcel.Status.RETURNED, closed_at=now
            ):
                continue
            for user in _members(parcel.household):
                tell(
                    user,
                    "parcel_returned",
                    "包裹已退回快递公司",
                    f"{CARRIERS.get(parcel.carrier, parcel.carrier)} {parcel.tracking_no} "
                    f"超过 {conf.station_keep_days()} 天未取，已退回。",
                    "/lockers/",
                )
            event_log("parcel_return", channel="job", parcel=parcel)
            count += 1
    return count
