"""The cabinets' own API at /api/v1/devices/lockers/<serial>/…, authenticated per cabinet by
`X-Cabinet-Key` (never a user session). Wrong keys and unknown cabinets get coded answers and
are logged."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from linli.lockers import services
from linli.lockers.models import Booking, Cabinet

router = Router(auth=None, tags=["devices: lockers"])


def _cabinet(request: HttpRequest, serial: str) -> Cabinet:
    return services.cabinet_authenticate(
        serial=serial, key=request.headers.get("X-Cabinet-Key", "")
    )


class ReadingIn(Schema):
    zone: str
    celsius: float
    measured_at: datetime | None = None


class ReadingsIn(Schema):
    readings: list[ReadingIn]


class ReadingsOut(Schema):
    stored: int
    alarms_opened: list[str]


@router.post("/{serial}/readings/", response=ReadingsOut)
def readings(request: HttpRequest, serial: str, payload: ReadingsIn) -> dict[str, object]:
    cabinet = _cabinet(request, serial)
    alarms = services.readings_record(
        cabinet=cabinet,
        readings=[services.Reading(r.zone, r.celsius, r.measured_at) for r in payload.readings],
    )
    return {"stored": len(payload.readings), "alarms_opened": [a.zone for a in alarms]}


class CodeIn(Schema):
    code: str


class OpenOut(Schema):
    compartment: str
    fee_fen: int


@router.post("/{serial}/open/", response=OpenOut)
def open_with_code(request: HttpRequest, serial: str, payload: CodeIn) -> dict[str, object]:
    """The keypad or scanner sends the code; the answer names the door to open.

    An unpaid overtime fee keeps the door shut: 402 `{"code": "locker_fee_due", "detail",
    "amount_fen", "pay_url", "pay_kind"}`; the cabinet shows the amount and a QR code of
    `pay_url`, and the same code opens the door once the fee is paid."""
    cabinet = _cabinet(request, serial)
    opened = services.locker_open(
        cabinet=cabinet,
        code=payload.code,
        channel="device",
        site_url=request.build_absolute_uri("/"),
    )
    return {"compartment": opened.label, "fee_fen": opened.fee_fen}


class DepositIn(Schema):
    booking: str  # the reference on the shop's slip, e.g. LB000042
    compartment: str = ""


class DepositOut(Schema):
    booking: str
    compartment: str
    deadline: datetime


@router.post("/{serial}/deposit/", response=DepositOut)
def deposit(request: HttpRequest, serial: str, payload: DepositIn) -> dict[str, object]:
    """A courier or shop assistant deposits at the cabinet's screen by the booking reference."""
    cabinet = _cabinet(request, serial)
    ref = payload.booking.strip().upper().removeprefix("LB")
    pk = int(ref) if ref.isdigit() else 0
    if not Booking.objects.filter(pk=pk, cabinet=cabinet).exists():
        pk = 0  # another cabinet's booking: same answer as an unknown one
    b = services.booking_deposit(
        actor=None, booking_id=pk, compartment_label=payload.compartment, channel="device"
    )
    return {"booking": b.reference, "compartment": b.compartment.label, "deadline": b.deadline}


class CompartmentOut(Schema):
    label: str
    size: str
    zone: str
    state: str


@router.get("/{serial}/compartments/", response=list[CompartmentOut])
def compartments(request: HttpRequest, serial: str) -> list[object]:
    cabinet = _cabinet(request, serial)
    return list(cabinet.compartments.order_by("label"))
