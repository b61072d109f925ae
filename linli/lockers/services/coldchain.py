"""Cold chain (GB 31605-2020): every reading is kept; a zone leaving its band opens an alarm
that tells the operator and every resident whose goods are in that zone; back in band closes it."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from linli.lockers import conf
from linli.lockers.errors import LockersError, LockersErrorCode
from linli.lockers.models import Alarm, Booking, Cabinet, Compartment, TemperatureReading
from linli.lockers.services.claims import ZONE_NAMES
from linli.lockers.services.common import event_log, site_operators, tell


@dataclass(frozen=True)
class Reading:
    zone: str
    celsius: float
    measured_at: datetime | None = None


def in_band(zone: str, celsius: float) -> tuple[bool, str]:
    low, high = conf.band(zone)
    if high is not None and celsius > high:
        return False, Alarm.Kind.TOO_WARM
    if low is not None and celsius < low:
        return False, Alarm.Kind.TOO_COLD
    return True, ""


def _check(cabinet: Cabinet, zones: set[str], r: Reading) -> None:
    if r.zone not in zones:
        raise LockersError(
            LockersErrorCode.ZONE_UNKNOWN,
            serial=cabinet.serial,
            zone=ZONE_NAMES.get(r.zone, r.zone),
        )
    if not isinstance(r.celsius, int | float) or not math.isfinite(r.celsius):
        raise LockersError(LockersErrorCode.READING_INVALID, value=r.celsius)
    if not -60 <= r.celsius <= 60:
        raise LockersError(LockersErrorCode.READING_INVALID, value=r.celsius)


@transaction.atomic
def readings_record(*, cabinet: Cabinet, readings: Iterable[Reading]) -> list[Alarm]:
    """Store a batch from the device; all or nothing. Returns the alarms opened by it."""
    now = timezone.now()
    zones = set(cabinet.compartments.values_list("zone", flat=True).distinct())
    rows = list(readings)
    for r in rows:
        _check(cabinet, zones, r)
    opened: list[Alarm] = []
    for r in sorted(rows, key=lambda x: x.measured_at or now):
        ok, kind = in_band(r.zone, float(r.celsius))
        at = r.measured_at or now
        TemperatureReading.objects.create(
            cabinet=cabinet, zone=r.zone, celsius=float(r.celsius), measured_at=at, in_band=ok
        )
        alarm = Alarm.objects.filter(cabinet=cabinet, zone=r.zone, closed_at__isnull=True).first()
        if ok and alarm is not None:
            Alarm.objects.filter(pk=alarm.pk).update(closed_at=at)
            for op in site_operators(cabinet.site):
                tell(op, "locker_alarm_closed", f"{cabinet} {ZONE_NAMES[r.zone]}温区已恢复正常")
        elif not ok and alarm is None:
            opened.append(_open_alarm(cabinet, r.zone, kind, float(r.celsius), at))
        elif not ok and alarm is not None:
            worse = max if kind == Alarm.Kind.TOO_WARM else min
            Alarm.objects.filter(pk=alarm.pk).update(
                worst_celsius=worse(alarm.worst_celsius, float(r.celsius))
            )
    Cabinet.objects.filter(pk=cabinet.pk).update(last_seen_at=now)
    return opened


def _open_alarm(cabinet: Cabinet, zone: str, kind: str, celsius: float, at: datetime) -> Alarm:
    alarm = Alarm.objects.create(
        cabinet=cabinet, zone=zone, kind=kind, first_celsius=celsius, worst_celsius=celsius,
        opened_at=at,
    )  # fmt: skip
    site = cabinet.site
    zone_name = ZONE_NAMES.get(zone, zone)
    low, high = conf.band(zone)
    band = f"{'' if low is None else low}～{'' if high is None else high} °C"
    for op in site_operators(site):
        tell(
            op,
            "locker_alarm",
            f"温度告警：{site.name} {cabinet} {zone_name} {celsius:.1f} °C",
            f"应为 {band}。请检查柜机并处理格口内商品。",
            url="/lockers-operator/",
            sms=f"【邻里】{site.name} {cabinet} {zone_name}温区 {celsius:.1f} °C，超出 {band}",
        )
    affected = (
        Booking.objects.filter(
            cabinet=cabinet, status=Booking.Status.DEPOSITED, compartment__zone=zone
        )
        .select_related("resident", "compartment")
        .order_by("pk")
    )
    told = 0
    for b in affected:
        tell(
            b.resident,
            "locker_alarm",
            "您存放的冷链商品可能受温度影响",
            f"{site.name} 第 {b.compartment.label} 格所在温区温度异常（{celsius:.1f} °C），"
            "请尽快取件并检查商品；如有问题可申请退款。",
            url="/lockers/",
        )
        told += 1
    Alarm.objects.filter(pk=alarm.pk).update(residents_told=told)
    alarm.residents_told = told
    event_log("alarm", channel="device", cabinet=cabinet, detail=f"{zone} {celsius:.1f}")
    return alarm


def readings_csv(*, readings: Iterable[TemperatureReading]) -> str:
    """The GB 31605 log as CSV: one row per reading with its band and whether it was in it."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(
        ["site", "cabinet", "zone", "measured_at", "celsius", "band_low", "band_high", "in_band"]
    )
    for r in readings:
        low, high = conf.band(r.zone)
        w.writerow(
            [
                r.cabinet.site.name,
                r.cabinet.serial,
                r.zone,
                timezone.localtime(r.measured_at).isoformat(timespec="seconds"),
                f"{r.celsius:.1f}",
                "" if low is None else low,
                "" if high is None else high,
                "yes" if r.in_band else "NO",
            ]
        )
    return out.getvalue()


def compartments_zone_count(cabinet: Cabinet) -> dict[str, int]:
    counts: dict[str, int] = {}
    for z in Compartment.objects.filter(cabinet=cabinet).values_list("zone", flat=True):
        counts[z] = counts.get(z, 0) + 1
    return counts
