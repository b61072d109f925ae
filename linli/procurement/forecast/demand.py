"""Daily demand forecasts with weekly seasonality, many series at once (numpy, no Django).

A history is a 2-D array: one row per series (a product at an outlet), one column per day, the
last column being `last_day`. NaN marks a day with no data (the shop was closed, the data has a
gap); zero is a day with no sales.

Our forecaster, `weekday_level_forecast`, is a *robust weekday profile × smoothed level*:

1. Weekday profile: each series' mean per weekday over the last `profile_weeks` weeks divided by
   its overall mean, shrunk towards the pooled profile of all series in the call with weight
   `volume / (volume + shrink_units)` — a sparse series borrows the shop's weekly rhythm, a busy
   one keeps its own.
2. Level: an exponentially weighted ratio estimate Σ wₜ·yₜ / Σ wₜ·profile(dowₜ) with half-life
   `half_life_days` (missing days carry no weight).
3. Spikes (one customer buying a case) are clipped: first at 4 × the flat mean, then at `clip` ×
   the expected value of that day (using the larger of the recent and the long-run level), and
   1–2 are re-estimated, so a single bulk purchase does not inflate the next week's forecast.

Forecast = level × profile(weekday). Defaults were chosen on Ta Feng weeks before the December
gap and evaluated on January–February (`bench/forecast.py`): 23 % lower WAPE than seasonal naive
on the top 1,000 products and 24 % on the top 200 subclasses, and lower than a 28-day mean.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Params:
    half_life_days: float = 14.0
    profile_weeks: int = 8
    shrink_units: float = 1000.0
    clip: float | None = 1.5


DEFAULT = Params()
# A day above this multiple of the series' flat mean is a bulk purchase whatever its weekday
# (weekend peaks stay below ~2.5× the mean).
FLAT_CAP = 4.0


def weekdays(last_day: date, length: int) -> NDArray[np.int64]:
    """Weekday (Monday = 0) of each column of a history of `length` days ending on `last_day`."""
    first = last_day - timedelta(days=length - 1)
    return (first.weekday() + np.arange(length)) % 7


def future_weekdays(last_day: date, horizon: int) -> NDArray[np.int64]:
    return (last_day.weekday() + 1 + np.arange(horizon)) % 7


def _as_2d(history: object) -> Array:
    h = np.asarray(history, dtype=np.float64)
    if h.ndim == 1:
        h = h[None, :]
    if h.ndim != 2:
        raise ValueError("history must be 1-D or 2-D (series × days)")
    return h


def _profile(
    x: Array,
    ok: NDArray[np.bool_],
    dows: NDArray[np.int64],
    in_window: NDArray[np.bool_],
    shrink_units: float,
) -> Array:
    sums = np.stack([x[:, in_window & (dows == k)].sum(1) for k in range(7)], 1)
    counts = np.stack([ok[:, in_window & (dows == k)].sum(1) for k in range(7)], 1)
    means = sums / np.maximum(counts, 1)
    overall = means.mean(1, keepdims=True)
    own = means / np.maximum(overall, 1e-12)
    pooled_means = sums.sum(0) / np.maximum(counts.sum(0), 1)
    pooled = pooled_means / pooled_means.mean() if pooled_means.mean() > 0 else np.ones(7)
    # A weekday never observed in the window keeps the pooled value.
    own = np.where(counts > 0, own, pooled[None, :])
    volume = x[:, in_window].sum(1, keepdims=True)
    w = volume / (volume + shrink_units) if shrink_units > 0 else np.ones_like(volume)
    return np.where(overall > 0, w * own + (1 - w) * pooled[None, :], pooled[None, :])


def _level(x: Array, ok: NDArray[np.bool_], expected_shape: Array, weights: Array) -> Array:
    den = (weights * ok * expected_shape).sum(1)
    return (weights * x).sum(1) / np.maximum(den, 1e-12)


def weekday_level_forecast(
    history: object, *, last_day: date, horizon: int = 7, params: Params = DEFAULT
) -> Array:
    """Forecast `horizon` days after `last_day` for every row of `history` (series × horizon)."""
    h = _as_2d(history)
    n, length = h.shape
    if length == 0:
        return np.zeros((n, horizon))
    dows = weekdays(last_day, length)
    ahead = future_weekdays(last_day, horizon)
    ok = ~np.isnan(h)
    x = np.where(ok, h, 0.0)
    in_window = np.arange(length) >= length - 7 * params.profile_weeks
    age = length - 1 - np.arange(length)
    recent = 0.5 ** (age / params.half_life_days)
    flat = np.ones(length)
    profile = _profile(x, ok, dows, in_window, params.shrink_units)
    if params.clip is not None:
        # First a loose cap against the flat level, so one huge day cannot shape the profile…
        ones = np.ones((n, length))
        flat_level = np.maximum(_level(x, ok, ones, recent), _level(x, ok, ones, flat))
        x = np.minimum(x, FLAT_CAP * np.maximum(flat_level[:, None], 1.0))
        profile = _profile(x, ok, dows, in_window, params.shrink_units)
        # …then the real cap against the expected value of each day.
        shape = profile[:, dows]
        level = np.maximum(_level(x, ok, shape, recent), _level(x, ok, shape, flat))
        cap = params.clip * np.maximum(level[:, None] * shape, 1.0)
        x = np.minimum(x, cap)
        profile = _profile(x, ok, dows, in_window, params.shrink_units)
    level = _level(x, ok, profile[:, dows], recent)
    return np.maximum(level[:, None] * profile[:, ahead], 0.0)


# --- baselines -------------------------------------------------------------------------------


def seasonal_naive(history: object, *, last_day: date | None = None, horizon: int = 7) -> Array:
    """Same weekday last week (the week before if that day is missing; 0 if none)."""
    h = _as_2d(history)
    n, length = h.shape
    out = np.zeros((n, horizon))
    for j in range(horizon):
        col = np.full(n, np.nan)
        k = 1
        while length - 7 * k + (j % 7) >= 0 and np.isnan(col).any() and k <= 8:
            idx = length - 7 * k + (j % 7)
            if idx < length:
                col = np.where(np.isnan(col), h[:, idx], col)
            k += 1
        out[:, j] = np.nan_to_num(col)
    return out


def moving_average(
    history: object, *, last_day: date | None = None, horizon: int = 7, days: int = 28
) -> Array:
    """Mean of the last `days` days with data, flat over the horizon."""
    h = _as_2d(history)[:, -days:]
    ok = ~np.isnan(h)
    mean = np.where(ok, h, 0.0).sum(1) / np.maximum(ok.sum(1), 1)
    return np.repeat(mean[:, None], horizon, 1)


def weekday_mean(history: object, *, last_day: date, horizon: int = 7) -> Array:
    """Mean of all past days of the same weekday."""
    h = _as_2d(history)
    dows = weekdays(last_day, h.shape[1])
    ok = ~np.isnan(h)
    x = np.where(ok, h, 0.0)
    out = np.zeros((h.shape[0], horizon))
    for j, d in enumerate(future_weekdays(last_day, horizon)):
        sel = dows == d
        out[:, j] = x[:, sel].sum(1) / np.maximum(ok[:, sel].sum(1), 1)
    return out


def wape(forecast: object, actual: object) -> float:
    """Σ|F − A| / Σ A over the days where the actual is known (NaN in `actual` is skipped)."""
    f = np.asarray(forecast, dtype=np.float64)
    a = np.asarray(actual, dtype=np.float64)
    known = ~np.isnan(a)
    total = a[known].sum()
    return float(np.abs(f - a)[known].sum() / total) if total > 0 else float("nan")
