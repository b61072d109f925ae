"""Writes for common delivery. Import from here."""

from linli.delivery.services.consolidation import (
    delivery_hand_over,
    delivery_open,
    parcels_for,
    wave_changed,
)
from linli.delivery.services.courier import (
    FAIL_REASONS,
    delivery_complete,
    delivery_deposit,
    delivery_drop,
    delivery_fail,
    parcel_scan,
)
from linli.delivery.services.planning import planning_execute, planning_request, reason_text
from linli.delivery.services.slots import (
    group_buy_slot_ensure,
    slot_claim,
    slot_confirm,
    slot_release,
    slots_ensure,
)

__all__ = [
    "FAIL_REASONS",
    "delivery_complete",
    "delivery_deposit",
    "delivery_drop",
    "delivery_fail",
    "delivery_hand_over",
    "delivery_open",
    "group_buy_slot_ensure",
    "parcel_scan",
    "parcels_for",
    "planning_execute",
    "planning_request",
    "reason_text",
    "slot_claim",
    "slot_confirm",
    "slot_release",
    "slots_ensure",
    "wave_changed",
]
