"""Route planning for common delivery (共同配送): pure Python on PyVRP, no Django.

The delivery app builds a `Problem` (depots, stops, vehicle types, the street engine's
matrices), calls `solve` (in a Celery task, with a progress callback) and stores the `Plan`;
`check_plan` re-verifies any plan without PyVRP.
"""

from .check import check_plan
from .model import (
    DAY,
    DIMENSIONS,
    OPEN_END,
    Depot,
    Load,
    Matrix,
    Order,
    Problem,
    Stop,
    VehicleType,
    merge_orders,
)
from .plan import REASONS, Plan, PlannedStop, Progress, RoutePlan, Unplanned
from .solver import solve

__all__ = [
    "DAY",
    "DIMENSIONS",
    "OPEN_END",
    "REASONS",
    "Depot",
    "Load",
    "Matrix",
    "Order",
    "Plan",
    "PlannedStop",
    "Problem",
    "Progress",
    "RoutePlan",
    "Stop",
    "Unplanned",
    "VehicleType",
    "check_plan",
    "merge_orders",
    "solve",
]
