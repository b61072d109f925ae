"""Pure demand forecasting and replenishment arithmetic (numpy only, no Django).

    f = weekday_level_forecast(history, last_day=d, horizon=7)     # series × days
    sigma = forecast_error(history, last_day=d)                     # per series, daily
    s = order_quantity(demand_over_interval=f[i, :L + R].sum(), sigma_daily=sigma[i],
                       lead_days=L, review_days=R, on_hand=..., claimed=..., on_order=...,
                       pack_size=6)

`bench/forecast.py` measures it against seasonal naive, a 28-day mean and Holt-Winters on Ta Feng.
"""

from .demand import (
    DEFAULT,
    Params,
    future_weekdays,
    moving_average,
    seasonal_naive,
    wape,
    weekday_level_forecast,
    weekday_mean,
    weekdays,
)
from .policy import (
    Suggestion,
    forecast_error,
    order_quantity,
    round_to_pack,
    safety_stock,
    z_for,
)

__all__ = [
    "DEFAULT",
    "Params",
    "Suggestion",
    "forecast_error",
    "future_weekdays",
    "moving_average",
    "order_quantity",
    "round_to_pack",
    "safety_stock",
    "seasonal_naive",
    "wape",
    "weekday_level_forecast",
    "weekday_mean",
    "weekdays",
    "z_for",
]
