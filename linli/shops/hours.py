"""Opening hours (pure). Stored on the outlet as weekly ranges in local time:
[{"days": [1, 2, 3, 4, 5], "open": "07:00", "close": "22:00"}], ISO weekdays (Mon=1).
A range that closes before it opens runs past midnight (e.g. 18:00–02:00). No ranges: always open.
A close of 23:59, as Chinese listings write all-day hours (00:00–23:59), runs to midnight.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, time
from typing import Any

_LAST_MINUTE = time(23, 59)


def _hm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours) % 24, int(minutes))


def is_open(hours: Sequence[Mapping[str, Any]], at: datetime) -> bool:
    """Whether an outlet with these hours is open at the local time `at`."""
    if not hours:
        return True
    day, now = at.isoweekday(), at.time()
    yesterday = 7 if day == 1 else day - 1
    for rng in hours:
        days = set(rng.get("days") or range(1, 8))
        start, end = _hm(rng["open"]), _hm(rng["close"])
        if start == end and day in days:
            return True  # 24 hours
        if start < end:
            if day in days and start <= now and (now < end or end == _LAST_MINUTE):
                return True
        else:  # past midnight
            if (day in days and now >= start) or (yesterday in days and now < end):
                return True
    return False
