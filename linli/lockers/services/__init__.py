"""Writes for lockers and the parcel station. Import from here."""

from linli.lockers.services.charges import charge_pay, charge_settle
from linli.lockers.services.claims import (
    booking_claim,
    booking_confirm,
    booking_release,
    bookings_release_expired,
)
from linli.lockers.services.coldchain import Reading, readings_csv, readings_record
from linli.lockers.services.deposit import (
    booking_code_refresh,
    booking_collect,
    booking_deposit,
    bookings_return_overdue,
    qr_payload,
)
from linli.lockers.services.devices import cabinet_authenticate, cabinet_key_issue
from linli.lockers.services.pickup import Opened, locker_open
from linli.lockers.services.station import (
    parcel_code_refresh,
    parcel_hand_over,
    parcel_register,
    parcels_remind,
    parcels_return_overdue,
)
from linli.lockers.services.walkup import parcel_deposit

__all__ = [
    "Opened",
    "Reading",
    "booking_claim",
    "booking_code_refresh",
    "booking_collect",
    "booking_confirm",
    "booking_deposit",
    "booking_release",
    "bookings_release_expired",
    "bookings_return_overdue",
    "cabinet_authenticate",
    "cabinet_key_issue",
    "charge_pay",
    "charge_settle",
    "locker_open",
    "parcel_code_refresh",
    "parcel_deposit",
    "parcel_hand_over",
    "parcel_register",
    "parcels_remind",
    "parcels_return_overdue",
    "qr_payload",
    "readings_csv",
    "readings_record",
]
