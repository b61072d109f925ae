"""The pure forecaster and the replenishment arithmetic (no database)."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest

from linli.procurement.forecast import (
    Params,
    forecast_error,
    moving_average,
    order_quantity,
    round_to_pack,
    safety_stock,
    seasonal_naive,
    wape,
    weekday_level_forecast,
    weekday_mean,
    weekdays,
    z_for,
)

LAST = date(2024, 3, 3)  # a Sunday: the next day is a Monday
PATTERN = np.array([0.7, 0.8, 0.8, 0.9, 1.1, 1.6, 2.1])  # Mon..Sun, mean 1.14


def synthetic(
    n: int, days: int, seed: int = 7, level: float = 20.0
) -> tuple[np.ndarray, np.ndarray]:
    """Poisson demand with a known weekly pattern and occasional bulk purchases."""
    rng = np.random.default_rng(seed)
    dows = weekdays(LAST, days + 7)
    scale = rng.uniform(0.3, 2.0, size=(n, 1)) * level
    mean = scale * PATTERN[dows][None, :]
    y = rng.poisson(mean).astype(float)
    spikes = rng.random(y.shape) < 0.03
    y[spikes] += rng.integers(10, 60, size=spikes.sum())
    return y[:, :days], y[:, days:]


def test_weekdays_follow_the_calendar():
    assert weekdays(LAST, 7).tolist() == [0, 1, 2, 3, 4, 5, 6]
    assert weekdays(date(2024, 3, 6), 3).tolist() == [0, 1, 2]  # Mon, Tue, Wed


def test_forecaster_beats_seasonal_naive_and_moving_average_on_weekly_pattern():
    history, future = synthetic(300, 84)
    ours = weekday_level_forecast(history, last_day=LAST)
    naive = seasonal_naive(history)
    ma = moving_average(history)
    assert ours.shape == (300, 7)
    assert wape(ours, future) < 0.85 * wape(naive, future)
    assert wape(ours, future) < wape(ma, future)
    # It learned the shape: Sunday forecasts are about 3× Monday's.
    ratio = ours[:, 6].sum() / ours[:, 0].sum()
    assert 2.4 < ratio < 3.6


def test_sparse_series_borrow_the_pooled_weekday_profile():
    history, _ = synthetic(200, 56, level=10.0)
    sparse = np.zeros((1, 56))
    sparse[0, [5, 20, 41]] = 1  # three sales in eight weeks
    f = weekday_level_forecast(np.vstack([history, sparse]), last_day=LAST)
    row = f[-1]
    assert row.sum() > 0 and row[6] > row[0]  # the shop's Sunday peak, not zero or flat


def test_missing_days_are_ignored_not_zero():
    history, _ = synthetic(50, 56)
    gapped = history.copy()
    gapped[:, 20:27] = np.nan
    a = weekday_level_forecast(history, last_day=LAST)
    b = weekday_level_forecast(gapped, last_day=LAST)
    assert np.abs(a.sum() - b.sum()) / a.sum() < 0.1


def test_a_single_bulk_purchase_does_not_inflate_next_week():
    y = np.full((1, 56), 5.0)
    y[0, -2] = 200  # someone bought a case on Saturday
    f = weekday_level_forecast(y, last_day=LAST, params=Params(shrink_units=0))
    assert f.max() < 9
    unclipped = weekday_level_forecast(y, last_day=LAST, params=Params(clip=None, shrink_units=0))
    assert unclipped.max() > f.max()


def test_empty_and_zero_histories():
    assert weekday_level_forecast(np.zeros((2, 0)), last_day=LAST).shape == (2, 7)
    assert weekday_level_forecast(np.zeros((3, 30)), last_day=LAST).sum() == 0
    assert weekday_level_forecast(np.full((1, 30), np.nan), last_day=LAST).sum() == 0
    assert weekday_mean(np.ones((1, 14)), last_day=LAST).tolist() == [[1.0] * 7]


def test_seasonal_naive_repeats_last_week_and_skips_missing():
    y = np.arange(14, dtype=float)[None, :]
    assert seasonal_naive(y).tolist() == [[7, 8, 9, 10, 11, 12, 13]]
    y[0, 9] = np.nan
    assert seasonal_naive(y)[0, 2] == 2  # two weeks back


def test_wape():
    assert wape([[1, 1]], [[2, 0]]) == 1.0
    assert wape([[3, 9]], [[3, np.nan]]) == 0.0
    assert math.isnan(wape([[1]], [[0]]))


def test_safety_stock_formula():
    assert z_for(0.95) == pytest.approx(1.6449, abs=1e-4)
    # z · σ · √(L + R) = 1.645 · 2 · √(2 + 7) = 9.87
    assert safety_stock(sigma_daily=2, lead_days=2, review_days=7, service_level=0.95) == (
        pytest.approx(1.6449 * 2 * 3, abs=1e-3)
    )
    assert safety_stock(sigma_daily=0, lead_days=3, review_days=1, service_level=0.99) == 0
    with pytest.raises(ValueError):
        z_for(1.0)
    with pytest.raises(ValueError):
        safety_stock(sigma_daily=-1, lead_days=1, review_days=1, service_level=0.9)


@pytest.mark.parametrize(
    ("qty", "pack", "expected"),
    [(0, 6, 0), (-3, 6, 0), (0.2, 6, 6), (6, 6, 6), (6.01, 6, 12), (13, 1, 13), (12.4, 1, 13)],
)
def test_round_to_pack(qty, pack, expected):
    assert round_to_pack(qty, pack) == expected


def test_order_quantity_cases():
    # demand 30 over L+R, safety 1.645·2·3 = 9.87 → up-to 39.87; position 10 − 4 + 6 = 12
    s = order_quantity(
        demand_over_interval=30,
        sigma_daily=2,
        lead_days=2,
        review_days=7,
        on_hand=10,
        claimed=4,
        on_order=6,
        pack_size=12,
    )
    assert s.position == 12 and s.order_up_to == pytest.approx(39.87, abs=0.01)
    assert s.quantity == 36  # 27.87 → three packs of 12
    # Enough in stock: nothing to order.
    enough = order_quantity(
        demand_over_interval=5, sigma_daily=1, lead_days=1, review_days=1, on_hand=50
    )
    assert enough.quantity == 0
    # Units held for orders do not count as available.
    held = order_quantity(
        demand_over_interval=5, sigma_daily=0, lead_days=1, review_days=1, on_hand=5, claimed=5
    )
    assert held.quantity == 5


def test_forecast_error_is_larger_for_noisier_series():
    rng = np.random.default_rng(1)
    calm = rng.poisson(10, size=(1, 70)).astype(float)
    wild = rng.poisson(10, size=(1, 70)).astype(float) * rng.choice([0, 2], size=(1, 70))
    sigma = forecast_error(np.vstack([calm, wild]), last_day=LAST)
    assert 2 < sigma[0] < 5 and sigma[1] > 2 * sigma[0]
    # No history: a Poisson guess from the mean (0 here).
    assert forecast_error(np.zeros((1, 5)), last_day=LAST).tolist() == [0.0]
