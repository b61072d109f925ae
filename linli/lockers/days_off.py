"""China's public-holiday days off (放假), for the locker fee's "nothing on public holidays".

The calendar is the `holidays` library's for China. It follows the State Council's yearly notice on
the holiday arrangement (国务院办公厅关于…部分节假日安排的通知): the statutory holidays, the weekdays
given off in lieu (调休) and the weekend days worked in lieu. A notice counts the weekend days
inside or next to a holiday as part of it ("1月1日至3日放假调休，共3天"). So a run of consecutive
days off that holds a holiday is taken whole, while an ordinary weekend is no holiday.

Until a year's notice is published (around November, for the next year), the library knows only
that year's statutory days and the days it expects to be observed. Upgrading `holidays` brings
the notice. The setting `LINLI_LOCKER_HOLIDAYS`, a list of dates, replaces the whole calendar.
"""

from __future__ import annotations

import functools
import itertools
from datetime import date, timedelta

_MARGIN = timedelta(days=14)  # a run of days off across New Year is seen from both years


@functools.cache
def days_off(year: int) -> frozenset[date]:
    """The public-holiday days off of `year`, weekends inside or next to a holiday included."""
    import holidays  # here, not at the top: about 0.1 s to import, which no start-up should pay

    calendar = holidays.China(years={year - 1, year, year + 1})
    first, last = date(year, 1, 1) - _MARGIN, date(year, 12, 31) + _MARGIN
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    out: set[date] = set()
    for working, run in itertools.groupby(days, key=calendar.is_working_day):
        block = list(run)
        if not working and any(day in calendar for day in block):
            out.update(day for day in block if day.year == year)
    return frozenset(out)


def days_off_around(today: date) -> frozenset[date]:
    """Last year's, this year's and next year's days off: what a stay that began before New Year
    or ends after it can meet."""
    return days_off(today.year - 1) | days_off(today.year) | days_off(today.year + 1)
