"""/api/v1/delivery/: slots of the resident's community, planning runs (start, progress), the
courier's scan and the shop's hand-over. Errors are the usual {code, detail}."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from linli.accounts.models import User
from linli.delivery import selectors, services
from linli.delivery.errors import DeliveryError, DeliveryErrorCode
from linli.delivery.provider import home_slots, resident_home
from linli.delivery.services.slots import slot_unavailable

router = Router(tags=["delivery"])


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


class SlotOut(Schema):
    id: int
    date: date
    window: str
    left: int
    available: bool
    reason: str = ""


@router.get("/slots", response=list[SlotOut])
def slots(request: HttpRequest) -> list[dict[str, object]]:
    """Home-delivery slots for the caller's household (today's not yet started, tomorrow's)."""
    home = resident_home(_user(request).pk)
    if home is None:
        raise DeliveryError(DeliveryErrorCode.NO_ADDRESS)
    now = timezone.now()
    out = []
    for s in home_slots(home.building.community, now):
        why = slot_unavailable(s, now)
        out.append(
            {
                "id": s.pk,
                "date": s.date,
                "window": f"{s.starts:%H:%M}-{s.ends:%H:%M}",
                "left": s.left,
                "available": why is None,
                "reason": why.message() if why else "",
            }
        )
    return out


class RunIn(Schema):
    community_id: int
    date: date
    seconds: float | None = None


class RunOut(Schema):
    id: int
    status: str
    progress: float
    phase: str
    orders: int
    stops: int
    routes: int
    distance_m: int
    plan_seconds: float | None
    unplanned: list[dict[str, object]]
    savings: dict[str, object]


def _run_out(run_id: int, user: User) -> dict[str, object]:
    run = selectors.run_for_manager(user=user, run_id=run_id)
    if run is None:
        raise DeliveryError(DeliveryErrorCode.NOT_FOUND)
    return {**run.__dict__, "id": run.pk, "routes": run.routes.count()}


@router.post("/runs", response={202: RunOut})
def run_start(request: HttpRequest, payload: RunIn) -> tuple[int, dict[str, object]]:
    seconds = min(max(payload.seconds, 0.5), 120.0) if payload.seconds else None
    run = services.planning_request(
        actor=_user(request), community_id=payload.community_id, day=payload.date, seconds=seconds
    )
    return 202, _run_out(run.pk, _user(request))


@router.get("/runs/{run_id}", response=RunOut)
def run_get(request: HttpRequest, run_id: int) -> dict[str, object]:
    return _run_out(run_id, _user(request))


class ScanIn(Schema):
    code: str


class ScanOut(Schema):
    code: str
    delivery_id: int
    delivery_status: str


@router.post("/courier/scan", response=ScanOut)
def scan(request: HttpRequest, payload: ScanIn) -> dict[str, object]:
    parcel = services.parcel_scan(courier=_user(request), code=payload.code)
    parcel.delivery.refresh_from_db()
    return {
        "code": parcel.code,
        "delivery_id": parcel.delivery_id,
        "delivery_status": parcel.delivery.status,
    }


class HandOverIn(Schema):
    order_id: int


@router.post("/hand-over", response=ScanOut)
def hand_over(request: HttpRequest, payload: HandOverIn) -> dict[str, object]:
    d = services.delivery_hand_over(actor=_user(request), order_id=payload.order_id)
    return {"code": "", "delivery_id": d.pk, "delivery_status": d.status}
