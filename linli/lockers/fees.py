"""The locker storage fee (pure: no Django). 丰巢-style defaults: 12 h free, then ¥0.5 per
started 12 h, capped at ¥3, nothing charged for a period that starts on a public holiday.

The law (《智能快件箱寄递服务管理办法》) forbids any charge inside the free period; the cap answers
the residents' top complaint about fees without one. Amounts are integer fen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class FeeRule:
    free_hours: int = 12
    period_hours: int = 12
    fee_per_period_fen: int = 50
    cap_fen: int = 300
    holidays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.free_hours < 0 or self.period_hours <= 0:
            raise ValueError("free_hours must be >= 0 and period_hours > 0")
        if self.fee_per_period_fen < 0 or self.cap_fen < 0:
            raise ValueError("fees must not be negative")


@dataclass(frozen=True)
class Fee:
    amount_fen: int
    charged_periods: int
    holiday_periods: int
    free_until: datetime


def free_until(deposited_at: datetime, rule: FeeRule) -> datetime:
    return deposited_at + timedelta(hours=rule.free_hours)


def storage_fee(
    deposited_at: datetime, picked_up_at: datetime, rule: FeeRule, tz: ZoneInfo = SHANGHAI
) -> Fee:
    """What the resident owes when the compartment opens at `picked_up_at`.

    After the free period, every started period costs `fee_per_period_fen` unless the period
    starts on a holiday (local date in `tz`); the total never exceeds `cap_fen`.
    """
    if deposited_at.tzinfo is None or picked_up_at.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    start = free_until(deposited_at, rule)
    if picked_up_at <= start or rule.fee_per_period_fen == 0 or rule.cap_fen == 0:
        return Fee(0, 0, 0, start)
    period = timedelta(hours=rule.period_hours)
    started = -(-(picked_up_at - start) // period)  # ceil: a started period counts
    charged = holiday = 0
    per = rule.fee_per_period_fen
    for k in range(started):
        if charged * per >= rule.cap_fen:
            break  # capped: the rest cannot change the amount
        if (start + k * period).astimezone(tz).date() in rule.holidays:
            holiday += 1
        else:
            charged += 1
    return Fee(min(charged * per, rule.cap_fen), charged, holiday, start)


def parse_holidays(values: Iterable[str | date]) -> frozenset[date]:
    out = set()
    for v in values:
        out.add(v if isinstance(v, date) else date.fromisoformat(str(v).strip()))
    return frozenset(out)
