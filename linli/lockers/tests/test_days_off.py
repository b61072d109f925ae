"""China's days off, from the holidays library, against the State Council's notice."""

from __future__ import annotations

from datetime import date, timedelta

from django.test import override_settings
from django.utils import timezone

from linli.lockers.conf import fee_rule
from linli.lockers.days_off import days_off, days_off_around


def _span(first: str, last: str) -> set[date]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return {start + timedelta(days=n) for n in range((end - start).days + 1)}


# 国务院办公厅关于2026年部分节假日安排的通知: each holiday's days off, "放假调休，共N天".
NOTICE_2026 = [
    ("2026-01-01", "2026-01-03"),  # 元旦, 3 days
    ("2026-02-15", "2026-02-23"),  # 春节, 9 days
    ("2026-04-04", "2026-04-06"),  # 清明节, 3 days
    ("2026-05-01", "2026-05-05"),  # 劳动节, 5 days
    ("2026-06-19", "2026-06-21"),  # 端午节, 3 days
    ("2026-09-25", "2026-09-27"),  # 中秋节, 3 days
    ("2026-10-01", "2026-10-07"),  # 国庆节, 7 days
]
# ...and the weekend days worked in lieu (调休上班)
WORKED_2026 = ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]


def test_2026_is_the_notice_day_for_day():
    expected = set().union(*(_span(a, b) for a, b in NOTICE_2026))
    assert days_off(2026) == expected
    assert len(days_off(2026)) == 3 + 9 + 3 + 5 + 3 + 3 + 7
    assert not days_off(2026) & {date.fromisoformat(d) for d in WORKED_2026}


def test_an_ordinary_weekend_is_no_holiday():
    off = days_off(2026)
    assert date(2026, 3, 7) not in off and date(2026, 3, 8) not in off  # a March weekend
    assert date(2026, 2, 14) not in off  # the Saturday worked before the Spring Festival


def test_next_year_has_its_statutory_days_before_its_notice():
    """2027's notice is not out yet: the locker still charges nothing on the statutory days."""
    off = days_off(2027)
    for day in ("2027-01-01", "2027-02-06", "2027-04-05", "2027-05-01", "2027-10-01"):
        assert date.fromisoformat(day) in off
    assert date(2027, 3, 10) not in off  # a Wednesday in March


def test_a_stay_across_new_year_sees_both_years():
    off = days_off_around(date(2026, 12, 30))
    assert date(2026, 10, 1) in off and date(2027, 1, 1) in off and date(2025, 10, 1) in off


def test_fee_rule_takes_the_calendar_or_the_setting():
    this_year = timezone.localdate().year
    assert {date(this_year, 1, 1), date(this_year, 10, 1)} <= fee_rule().holidays
    with override_settings(LINLI_LOCKER_HOLIDAYS=["2026-03-09"]):
        assert fee_rule().holidays == frozenset({date(2026, 3, 9)})
    with override_settings(LINLI_LOCKER_HOLIDAYS=[]):
        assert fee_rule().holidays == frozenset()
