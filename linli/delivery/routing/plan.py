"""What a planning run hands back: routes to drive and the stops it could not place, with why.

Kept apart from the solver so the checker, the CLI and the delivery app read plans without
importing PyVRP.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Load

# Reason code -> (English, 中文). Codes are stable: the delivery app stores and translates them.
REASONS: dict[str, tuple[str, str]] = {
    "no_vehicles": ("no vehicles available", "没有可用车辆"),
    "off_network": ("address is not on the street network", "地址不在路网上"),
    "invalid_window": ("delivery window ends before it starts", "配送时段无效"),
    "window_passed": ("delivery window has already passed", "配送时段已过"),
    "too_big": ("too big for any vehicle", "超出所有车辆的容量"),
    "no_cold_vehicle": ("cold goods but no refrigerated vehicle", "冷链商品但没有冷藏车"),
    "window_unreachable": (
        "no vehicle can reach it within its window and shift",
        "任何车辆都无法在时段和班次内送达",
    ),
    "fleet_full": (
        "the vehicles are full or out of shift time: not enough fleet for every stop",
        "车辆已满或班次时间不足",
    ),
}


@dataclass(frozen=True, slots=True)
class PlannedStop:
    """A visit: when the vehicle arrives, starts handing over, and leaves (seconds)."""

    stop_id: str
    arrival: int
    start: int
    departure: int


@dataclass(frozen=True)
class RoutePlan:
    """One vehicle's tour from its depot and back."""

    vehicle_type: str
    depot: str
    stops: list[PlannedStop]
    start: int
    end: int
    distance: int
    duration: int
    load: Load


@dataclass(frozen=True, slots=True)
class Unplanned:
    """A stop the planner left out, the orders on it, and a reason code from `REASONS`."""

    stop_id: str
    order_ids: tuple[str, ...]
    reason: str
    detail: str = ""

    @property
    def message(self) -> str:
        en, zh = REASONS.get(self.reason, (self.reason, self.reason))
        extra = f" ({self.detail})" if self.detail else ""
        return f"{zh} / {en}{extra}"


@dataclass(frozen=True)
class Plan:
    """The result of `solve`. `distance` and `duration` are in model units (metres, seconds);
    `cost` divides distance by the problem's cost_scale, i.e. the instance's own convention."""

    routes: list[RoutePlan]
    unplanned: list[Unplanned]
    distance: int
    duration: int
    objective: int
    cost: float
    feasible: bool
    seconds: float
    iterations: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def vehicles(self) -> int:
        return len(self.routes)


@dataclass(frozen=True, slots=True)
class Progress:
    """What the progress callback receives: enough for a Celery task's progress bar."""

    fraction: float
    iteration: int
    best_cost: float | None
    feasible: bool
    phase: str = "solve"
