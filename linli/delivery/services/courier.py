"""The courier's moves: scan each parcel onto the vehicle, deliver with proof (the resident's
code or a photo), deposit into the locker, drop at the pickup point, or record a failed attempt
with a reason and a new slot. Only deliveries on the courier's own current routes."""

from __future__ import annotations

import hmac
import uuid
from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from linli.accounts.models import User
from linli.accounts.notify import notification_send
from linli.core.images import sniff_upload
from linli.delivery.errors import DeliveryError, DeliveryErrorCode
from linli.delivery.models import Delivery, Parcel, PlanningRun
from linli.delivery.services.consolidation import _to_ready, delivery_hand_over, wave_changed
from linli.delivery.services.slots import slot_move
from linli.inventory.services import stock_claims_commit
from linli.orders.domain import Actor, Status
from linli.orders.models import Order
from linli.orders.services.lifecycle import _claim_refs, _record_lots, max_pickup_tries, move

PHOTO_MAX_BYTES = 8 * 1024 * 1024
FAIL_REASONS = {
    "not_home": ("Nobody home", "无人在家"),
    "no_access": ("Could not get in", "无法进入小区或楼栋"),
    "wrong_address": ("Address wrong", "地址有误"),
    "refused": ("Refused by the resident", "收件人拒收"),
    "damaged": ("Goods damaged", "商品损坏"),
    "other": ("Other", "其他"),
}


def _on_my_routes(courier: User, delivery_id: int, *, lock: bool = False) -> Delivery:
    qs = Delivery.objects.filter(
        pk=delivery_id,
        stops__route__courier=courier,
        stops__route__run__status=PlanningRun.Status.DONE,
    )
    if lock:
        qs = qs.select_for_update(of=("self",))
    d = qs.select_related("order").first()
    if d is None:
        raise DeliveryError(DeliveryErrorCode.NOT_FOUND)
    return d


def _check_loaded(d: Delivery) -> None:
    if d.status != Delivery.Status.OUT:
        raise DeliveryError(DeliveryErrorCode.WRONG_STATE, status=d.get_status_display())
    left = d.parcels.filter(scanned_at__isnull=True).count()
    if left:
        raise DeliveryError(DeliveryErrorCode.NOT_ALL_SCANNED, left=left)


@transaction.atomic
def parcel_scan(*, courier: User, code: str) -> Parcel:
    """A scanner's text (or the typed code) confirms one parcel on the courier's route. When
    every parcel of the order is scanned the delivery is out."""
    raw = (code or "").strip().upper()
    parcel = (
        Parcel.objects.select_related("delivery")
        .filter(
            code=raw,
            delivery__stops__route__courier=courier,
            delivery__stops__route__run__status=PlanningRun.Status.DONE,
        )
        .first()
    )
    if parcel is None:
        raise DeliveryError(DeliveryErrorCode.PARCEL_UNKNOWN, code=raw[:20])
    d = parcel.delivery
    if d.status == Delivery.Status.WAITING:  # collected at the shop, not handed over
        d = delivery_hand_over(actor=courier, order_id=d.order_id, by_courier=True)
    if d.status not in (Delivery.Status.AT_HUB, Delivery.Status.OUT):
        raise DeliveryError(DeliveryErrorCode.WRONG_STATE, status=d.get_status_display())
    now = timezone.now()
    Parcel.objects.filter(pk=parcel.pk, scanned_at__isnull=True).update(scanned_at=now)
    if not d.parcels.filter(scanned_at__isnull=True).exists():
        Delivery.objects.filter(pk=d.pk, status=Delivery.Status.AT_HUB).update(
            status=Delivery.Status.OUT
        )
    parcel.refresh_from_db()
    return parcel


def _check_photo(photo: UploadedFile) -> str:
    if (photo.size or 0) > PHOTO_MAX_BYTES:
        raise DeliveryError(
            DeliveryErrorCode.PHOTO_TOO_LARGE, limit_mb=PHOTO_MAX_BYTES // (1024 * 1024)
        )
    kind = sniff_upload(photo)
    if kind is None:
        raise DeliveryError(DeliveryErrorCode.PHOTO_TYPE)
    return kind[1]


def _finish(d: Delivery, courier: User, status: str, proof: str, now: datetime) -> Delivery:
    Delivery.objects.filter(pk=d.pk).update(
        status=status, proof=proof, done_at=now, done_by=courier
    )
    d.refresh_from_db()
    return d


def delivery_complete(
    *,
    courier: User,
    delivery_id: int,
    code: str = "",
    photo: UploadedFile | None = None,
    now: datetime | None = None,
) -> Delivery:
    """Hand over at the door against the resident's code (wrong tries counted on the order, as
    at the counter) or a photo as proof. The order is picked up and its stock committed."""
    now = now or timezone.now()
    with transaction.atomic():
        d = _on_my_routes(courier, delivery_id, lock=True)
        if d.destination != Delivery.Destination.HOME:
            raise DeliveryError(DeliveryErrorCode.WRONG_STATE, status=d.get_destination_display())
        _check_loaded(d)
        order = Order.objects.select_for_update().get(pk=d.order_id)
        typed = (code or "").strip()
        if typed:
            if order.pickup_tries >= max_pickup_tries():
                raise DeliveryError(DeliveryErrorCode.CODE_LOCKED)
            if hmac.compare_digest(order.pickup_code, typed):
                return _hand_over(d, order, courier, "code", now)
            Order.objects.filter(pk=order.pk).update(pickup_tries=F("pickup_tries") + 1)
            left = max_pickup_tries() - order.pickup_tries - 1
        elif photo is not None:
            ext = _check_photo(photo)
            d.photo.save(f"{uuid.uuid4().hex}.{ext}", photo, save=True)
            return _hand_over(d, order, courier, "photo", now)
        else:
            raise DeliveryError(DeliveryErrorCode.PROOF_MISSING)
    # Raised outside the block so the counted try is kept.
    if left <= 0:
        raise DeliveryError(DeliveryErrorCode.CODE_LOCKED)
    raise DeliveryError(DeliveryErrorCode.CODE_WRONG, left=left)


def _hand_over(d: Delivery, order: Order, courier: User, proof: str, now: datetime) -> Delivery:
    _to_ready(order, courier, "共同配送 common delivery")
    order.refresh_from_db()
    order = move(order, Status.PICKED_UP, Actor.SHOP, courier, note=f"送达 delivered ({proof})")
    _record_lots(order, stock_claims_commit(refs=_claim_refs(order), actor=courier))
    return _finish(d, courier, Delivery.Status.DELIVERED, proof, now)


@transaction.atomic
def delivery_deposit(
    *, courier: User, delivery_id: int, compartment_label: str = "", now: datetime | None = None
) -> Delivery:
    """A locker order: into its booked compartment through the lockers service (which texts the
    resident the one-time code and makes the order ready). The lockers service trusts its
    caller here like a cabinet device: the courier's right is checked above (own route)."""
    from linli.lockers.models import Booking
    from linli.lockers.services import booking_deposit

    now = now or timezone.now()
    d = _on_my_routes(courier, delivery_id, lock=True)
    if d.destination != Delivery.Destination.LOCKER:
        raise DeliveryError(DeliveryErrorCode.NOT_LOCKER)
    _check_loaded(d)
    booking = Booking.objects.filter(order_id=d.order_id, status__in=Booking.ACTIVE).first()
    if booking is None:
        raise DeliveryError(DeliveryErrorCode.NOT_LOCKER)
    booking_deposit(
        actor=None, booking_id=booking.pk, compartment_label=compartment_label, channel="courier"
    )
    return _finish(d, courier, Delivery.Status.DEPOSITED, "locker", now)


@transaction.atomic
def delivery_drop(*, courier: User, delivery_id: int, now: datetime | None = None) -> Delivery:
    """Group buy: the goods are at the pickup point; the resident collects them with the
    order's pickup code (the order is ready)."""
    now = now or timezone.now()
    d = _on_my_routes(courier, delivery_id, lock=True)
    if d.destination != Delivery.Destination.PICKUP_POINT:
        raise DeliveryError(DeliveryErrorCode.WRONG_STATE, status=d.get_destination_display())
    _check_loaded(d)
    order = Order.objects.select_related("resident").get(pk=d.order_id)
    _to_ready(order, courier, "已送达自提点 at the pickup point")
    site = d.pickup_site.name if d.pickup_site else ""
    notification_send(
        user=order.resident,
        kind="group_buy_ready",
        title="团购商品已到自提点",
        body=f"订单 {order.number} 已到 {site}，请凭取货码领取。",
        url="/orders/",
    )
    return _finish(d, courier, Delivery.Status.DROPPED, "point", now)


@transaction.atomic
def delivery_fail(
    *,
    courier: User,
    delivery_id: int,
    reason: str,
    note: str = "",
    slot_id: int | None = None,
    now: datetime | None = None,
) -> Delivery:
    """Not delivered: why, and (optionally) a new slot; the goods go back to the hub and the
    delivery joins the new slot's wave (re-planned if that wave has a plan)."""
    if reason not in FAIL_REASONS:
        raise DeliveryError(DeliveryErrorCode.REASON_REQUIRED)
    now = now or timezone.now()
    d = _on_my_routes(courier, delivery_id, lock=True)
    if d.status not in (Delivery.Status.OUT, Delivery.Status.AT_HUB):
        raise DeliveryError(DeliveryErrorCode.WRONG_STATE, status=d.get_status_display())
    values: dict[str, object] = {
        "fail_reason": reason,
        "fail_note": note[:200],
        "attempts": d.attempts + 1,
        "done_by": courier,
        "done_at": now,
        "status": Delivery.Status.FAILED,
    }
    order = Order.objects.select_related("resident").get(pk=d.order_id)
    zh = FAIL_REASONS[reason][1]
    body = f"订单 {order.number} 未能送达（{zh}）。"
    if slot_id is not None:
        slot = slot_move(order_id=d.order_id, slot_id=slot_id, now=now)
        values.update(status=Delivery.Status.AT_HUB, slot=slot, date=slot.date, done_at=None)
        body += f"已改约 {slot}。"
    Delivery.objects.filter(pk=d.pk).update(**values)
    Parcel.objects.filter(delivery=d).update(scanned_at=None)
    notification_send(
        user=order.resident, kind="delivery_failed", title="配送未完成", body=body, url="/orders/"
    )
    d.refresh_from_db()
    if slot_id is not None:
        wave_changed(community_id=d.community_id, day=d.date, reason="rescheduled")
    return d
