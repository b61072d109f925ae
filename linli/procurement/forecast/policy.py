"""Safety stock and order quantities (periodic review, order-up-to), pure Python.

Each review (every `review_days`) a shop orders enough to last until the delivery after next:
the *protection interval* is lead time + review period. With σ the standard deviation of the
daily forecast error (measured by back-testing the forecaster, `forecast_error`) and z the
normal quantile of the service level:

    safety stock   = z · σ · √(lead_days + review_days)
    order-up-to    = forecast over (lead_days + review_days) + safety stock
    suggested qty  = order-up-to − (on_hand − claimed) − on_order, rounded up to the pack size,
                     0 when that is not positive.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import NormalDist

import numpy as np

from .demand import DEFAULT, Array, Params, _as_2d, weekday_level_forecast


def z_for(service_level: float) -> float:
    """Normal quantile, e.g. 0.95 → 1.645. Service level must lie in (0.5, 1)."""
    if not 0.5 <= service_level < 1:
        raise ValueError("service level must be in [0.5, 1)")
    return NormalDist().inv_cdf(service_level)


def safety_stock(
    *, sigma_daily: float, lead_days: int, review_days: int, service_level: float
) -> float:
    if sigma_daily < 0 or lead_days < 0 or review_days < 0:
        raise ValueError("sigma, lead time and review period must not be negative")
    return z_for(service_level) * sigma_daily * math.sqrt(lead_days + review_days)


def round_to_pack(quantity: float, pack_size: int) -> int:
    """Round up to whole packs (a shop cannot order 7 eggs from a 30-egg tray); ≤ 0 → 0."""
    if pack_size < 1:
        raise ValueError("pack size must be at least 1")
    if quantity <= 1e-9:
        return 0
    return math.ceil(quantity / pack_size - 1e-9) * pack_size


@dataclass(frozen=True)
class Suggestion:
    demand: float  # forecast over the protection interval
    safety: float
    order_up_to: float
    position: int  # on hand − claimed + on order
    quantity: int  # rounded to the pack size


def order_quantity(
    *,
    demand_over_interval: float,
    sigma_daily: float,
    lead_days: int,
    review_days: int,
    on_hand: int,
    claimed: int = 0,
    on_order: int = 0,
    pack_size: int = 1,
    service_level: float = 0.95,
) -> Suggestion:
    safety = safety_stock(
        sigma_daily=sigma_daily,
        lead_days=lead_days,
        review_days=review_days,
        service_level=service_level,
    )
    up_to = demand_over_interval + safety
    position = on_hand - claimed + on_order
    return Suggestion(
        demand=demand_over_interval,
        safety=safety,
        order_up_to=up_to,
        position=position,
        quantity=round_to_pack(up_to - position, pack_size),
    )


def forecast_error(
    history: object, *, last_day: date, origins: int = 4, horizon: int = 7, params: Params = DEFAULT
) -> Array:
    """σ of the daily forecast error per series, back-tested on the last `origins` weeks.

    Each origin forecasts the following `horizon` days from the history before it; the errors of
    all origins are pooled (RMSE). Series without enough history get the RMSE of the errors
    available, or √(mean demand) (a Poisson guess) when there are none.
    """
    h = _as_2d(history)
    n, length = h.shape
    sq = np.zeros(n)
    cnt = np.zeros(n)
    for k in range(origins, 0, -1):
        cut = length - k * horizon
        if cut < 14:
            continue
        f = weekday_level_forecast(
            h[:, :cut],
            last_day=last_day - timedelta(days=length - cut),
            horizon=horizon,
            params=params,
        )
        a = h[:, cut : cut + horizon]
        known = ~np.isnan(a)
        sq += np.where(known, (f[:, : a.shape[1]] - np.nan_to_num(a)) ** 2, 0).sum(1)
        cnt += known.sum(1)
    mean = np.nan_to_num(np.nanmean(h, axis=1)) if length else np.zeros(n)
    return np.where(cnt > 0, np.sqrt(sq / np.maximum(cnt, 1)), np.sqrt(np.maximum(mean, 0)))
