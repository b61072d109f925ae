"""Locker and parcel-station settings, each with the default an operator would start from.

Override any of them in Django settings (`LINLI_LOCKER_*`, `LINLI_STATION_*`). Compartment sizes
have no national millimetre values (see DOMAIN.md), so S/M/L/XL are configuration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import timezone

from linli.lockers.days_off import days_off_around
from linli.lockers.fees import FeeRule, parse_holidays


@dataclass(frozen=True)
class Size:
    code: str
    width_mm: int
    height_mm: int
    depth_mm: int
    max_weight_g: int

    @property
    def volume_ml(self) -> int:
        return self.width_mm * self.height_mm * self.depth_mm // 1000


DEFAULT_SIZES: dict[str, dict[str, int]] = {
    "S": {"width_mm": 450, "height_mm": 90, "depth_mm": 410, "max_weight_g": 10_000},
    "M": {"width_mm": 450, "height_mm": 200, "depth_mm": 410, "max_weight_g": 20_000},
    "L": {"width_mm": 450, "height_mm": 320, "depth_mm": 410, "max_weight_g": 30_000},
    "XL": {"width_mm": 450, "height_mm": 480, "depth_mm": 540, "max_weight_g": 30_000},
}
SIZE_ORDER = ("S", "M", "L", "XL")

# Temperature bands per zone in °C (GB 31605-2020: chilled 0–4 °C for meat, seafood, cream
# cakes, ≤ 8 °C in general; frozen ≤ −18 °C). None = no bound.
DEFAULT_BANDS: dict[str, tuple[float | None, float | None]] = {
    "chilled": (0.0, 4.0),
    "frozen": (None, -18.0),
}


def _get(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def sizes() -> dict[str, Size]:
    raw = _get("LINLI_LOCKER_SIZES", DEFAULT_SIZES)
    return {code: Size(code, **raw[code]) for code in SIZE_ORDER if code in raw}


def sizes_that_fit(*, volume_ml: int, weight_g: int, fill: float = 0.8) -> list[str]:
    """Size codes, smallest first, whose usable volume and weight limit take the parcel."""
    return [
        s.code
        for s in sizes().values()
        if volume_ml <= s.volume_ml * fill and weight_g <= s.max_weight_g
    ]


def fee_rule() -> FeeRule:
    return FeeRule(
        free_hours=int(_get("LINLI_LOCKER_FREE_HOURS", 12)),
        period_hours=int(_get("LINLI_LOCKER_FEE_PERIOD_HOURS", 12)),
        fee_per_period_fen=int(_get("LINLI_LOCKER_FEE_PER_PERIOD_FEN", 50)),
        cap_fen=int(_get("LINLI_LOCKER_FEE_CAP_FEN", 300)),
        holidays=holiday_dates(),
    )


def holiday_dates() -> frozenset[date]:
    """The days off on which no fee runs: `LINLI_LOCKER_HOLIDAYS` (dates) when set, else China's
    calendar (`days_off`) for last year, this year and next."""
    listed = _get("LINLI_LOCKER_HOLIDAYS", None)
    if listed is not None:
        return parse_holidays(listed)
    return days_off_around(timezone.localdate())


def keep_hours() -> int:
    return int(_get("LINLI_LOCKER_KEEP_HOURS", 96))


def band(zone: str) -> tuple[float | None, float | None]:
    bands: dict[str, tuple[float | None, float | None]] = _get("LINLI_LOCKER_BANDS", DEFAULT_BANDS)
    return bands.get(zone, (None, None))


def max_wrong_codes() -> int:
    """Wrong codes a cabinet accepts per window before its keypad locks."""
    return int(_get("LINLI_LOCKER_MAX_WRONG_CODES", 10))


def wrong_code_window_minutes() -> int:
    return int(_get("LINLI_LOCKER_WRONG_CODE_WINDOW_MINUTES", 15))


def claim_grace_minutes() -> int:
    """Unpaid claims are released by orders' timeout; our own sweep waits this much longer."""
    return int(_get("LINLI_LOCKER_CLAIM_GRACE_MINUTES", 10))


def station_keep_days() -> int:
    return int(_get("LINLI_STATION_KEEP_DAYS", 7))
