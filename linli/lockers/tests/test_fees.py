"""The storage fee, by example and by property (hypothesis) across holidays and caps."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from linli.lockers.days_off import days_off
from linli.lockers.fees import FeeRule, storage_fee

DEFAULT = FeeRule(holidays=days_off(2026))
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai, a working Monday


def fee(hours: float, rule: FeeRule = DEFAULT, start: datetime = T0) -> int:
    return storage_fee(start, start + timedelta(hours=hours), rule).amount_fen


def test_defaults_by_example():
    assert fee(0) == fee(12) == 0  # nothing inside the free period
    assert fee(12.01) == 50 and fee(24) == 50 and fee(24.5) == 100
    assert fee(96) == 300  # 4 days: capped at ¥3
    assert fee(24 * 30) == 300


def test_a_holiday_period_costs_nothing():
    national_day = datetime(2026, 9, 30, 16, 0, tzinfo=UTC)  # 00:00 on 1 October in Shanghai
    assert storage_fee(national_day, national_day + timedelta(hours=72), DEFAULT).amount_fen == 0
    # The same stay a week later is charged.
    later = national_day + timedelta(days=10)
    assert storage_fee(later, later + timedelta(hours=72), DEFAULT).amount_fen == 250


rules = st.builds(
    FeeRule,
    free_hours=st.integers(0, 48),
    period_hours=st.integers(1, 24),
    fee_per_period_fen=st.integers(0, 500),
    cap_fen=st.integers(0, 2000),
    holidays=st.frozensets(st.dates(date(2026, 1, 1), date(2026, 2, 28)), max_size=30),
)
starts = st.datetimes(datetime(2026, 1, 1), datetime(2026, 2, 20), timezones=st.just(UTC))
durations = st.timedeltas(timedelta(0), timedelta(days=10))


@settings(max_examples=300, deadline=None)
@given(rules, starts, durations)
def test_never_above_the_cap_never_inside_the_free_period(rule, start, stay):
    f = storage_fee(start, start + stay, rule)
    assert 0 <= f.amount_fen <= rule.cap_fen
    if stay <= timedelta(hours=rule.free_hours):
        assert f.amount_fen == 0
    assert f.amount_fen == rule.cap_fen or f.amount_fen % max(rule.fee_per_period_fen, 1) == 0


@settings(max_examples=300, deadline=None)
@given(rules, starts, durations, durations)
def test_staying_longer_never_costs_less(rule, start, a, b):
    short, long_ = sorted([a, b])
    assert (
        storage_fee(start, start + short, rule).amount_fen
        <= storage_fee(start, start + long_, rule).amount_fen
    )


@settings(max_examples=300, deadline=None)
@given(rules, starts, durations)
def test_holidays_only_lower_the_fee_and_without_them_it_is_the_formula(rule, start, stay):
    plain = FeeRule(
        rule.free_hours, rule.period_hours, rule.fee_per_period_fen, rule.cap_fen, frozenset()
    )
    with_h = storage_fee(start, start + stay, rule).amount_fen
    without = storage_fee(start, start + stay, plain).amount_fen
    assert with_h <= without
    over = stay - timedelta(hours=rule.free_hours)
    periods = 0 if over <= timedelta(0) else -(-over // timedelta(hours=rule.period_hours))
    assert without == min(rule.cap_fen, periods * rule.fee_per_period_fen)


@settings(max_examples=100, deadline=None)
@given(starts, durations)
def test_all_days_holidays_means_free(start, stay):
    days = {(start + timedelta(days=i)).date() for i in range(-1, 13)}
    rule = FeeRule(holidays=frozenset(days))
    assert storage_fee(start, start + stay, rule).amount_fen == 0
