from datetime import datetime

import pytest

from linli.shops.hours import is_open

WEEKDAYS = [{"days": [1, 2, 3, 4, 5], "open": "07:00", "close": "22:00"}]
NIGHT = [{"days": [5, 6], "open": "18:00", "close": "02:00"}]


@pytest.mark.parametrize(
    ("hours", "at", "expected"),
    [
        ([], datetime(2026, 11, 28, 3, 0), True),
        (WEEKDAYS, datetime(2026, 11, 27, 7, 0), True),  # Friday opening minute
        (WEEKDAYS, datetime(2026, 11, 27, 22, 0), False),  # closing minute is closed
        (WEEKDAYS, datetime(2026, 11, 28, 12, 0), False),  # Saturday
        (NIGHT, datetime(2026, 11, 28, 1, 30), True),  # Saturday 01:30 after Friday night
        (NIGHT, datetime(2026, 11, 29, 1, 30), True),  # Sunday 01:30 after Saturday night
        (NIGHT, datetime(2026, 11, 30, 1, 30), False),  # Monday 01:30: Sunday is closed
        (NIGHT, datetime(2026, 11, 24, 1, 30), False),  # Tuesday 01:30
        ([{"days": [6], "open": "00:00", "close": "00:00"}], datetime(2026, 11, 28, 23, 59), True),
        # 00:00–23:59, the way listings write "all day": open in its last minute too
        ([{"open": "00:00", "close": "23:59"}], datetime(2026, 11, 28, 23, 59, 30), True),
        ([{"open": "08:00", "close": "23:59"}], datetime(2026, 11, 28, 7, 59, 59), False),
    ],
)
def test_is_open(hours, at, expected):
    assert is_open(hours, at) is expected
