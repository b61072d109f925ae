"""A courier puts an express parcel into a locker for a resident (no order behind it).

《智能快件箱寄递服务管理办法》: only with the recipient's consent (their locker setting), and a
parcel marked fresh (生鲜) never into an ambient compartment.
"""

from __future__ import annotations

from django.db import transaction

from linli.accounts.models import Role, User
from linli.accounts.selectors import consent_is_granted
from linli.core.errors import CoreError, CoreErrorCode
from linli.core.storage import StorageClass
from linli.lockers.errors import LockersError, LockersErrorCode
from linli.lockers.models import Booking, Cabinet, Compartment
from linli.lockers.services.claims import ZONE_NAMES, compartment_take
from linli.lockers.services.common import event_log
from linli.lockers.services.deposit import _check_fits, _deposit


def parcel_deposit(
    *,
    actor: User,
    cabinet_id: int,
    recipient_phone: str,
    carrier: str,
    tracking_no: str,
    storage: str = StorageClass.AMBIENT,
    fresh: bool = False,
    volume_ml: int = 0,
    weight_g: int = 0,
    compartment_label: str = "",
) -> Booking:
    """Take a compartment and deposit at once; refusals are logged and change nothing else."""
    if not (actor.has_role(Role.COURIER) or actor.has_role(Role.PLATFORM_ADMIN)):
        raise CoreError(CoreErrorCode.PERMISSION_DENIED)
    cabinet = Cabinet.objects.select_related("site").filter(pk=cabinet_id, active=True).first()
    if cabinet is None:
        raise LockersError(LockersErrorCode.CABINET_UNKNOWN, serial=cabinet_id)
    with transaction.atomic():
        try:
            return _walkup(
                actor, cabinet, recipient_phone, carrier, tracking_no, storage, fresh,
                volume_ml, weight_g, compartment_label,
            )  # fmt: skip
        except LockersError as e:
            err = e
            transaction.set_rollback(True)
    event_log("deposit", code=err.spec.code, channel="page", cabinet=cabinet, actor=actor,
              detail=f"{carrier} {tracking_no}")  # fmt: skip
    raise err


def _walkup(
    actor: User,
    cabinet: Cabinet,
    phone: str,
    carrier: str,
    tracking_no: str,
    storage: str,
    fresh: bool,
    volume_ml: int,
    weight_g: int,
    label: str,
) -> Booking:
    resident = User.objects.filter(phone=(phone or "").strip(), is_active=True).first()
    if resident is None or not consent_is_granted(user=resident, kind="locker_deposit"):
        raise LockersError(LockersErrorCode.NO_CONSENT)
    if storage not in StorageClass.values:
        raise CoreError(CoreErrorCode.INVALID_INPUT, reason=f"storage={storage}")
    if fresh and storage == StorageClass.AMBIENT:
        raise LockersError(LockersErrorCode.FRESH_NEEDS_COLD)
    if label:
        comp = Compartment.objects.filter(cabinet=cabinet, label=label).first()
        if comp is None:
            raise LockersError(LockersErrorCode.COMPARTMENT_NOT_FOUND, label=label)
        _check_fits(comp, storage, volume_ml, weight_g)
        if not Compartment.objects.filter(pk=comp.pk, state="free").update(state="held"):
            raise LockersError(LockersErrorCode.COMPARTMENT_BUSY, label=label)
    else:
        taken = compartment_take(
            cabinet_filter={"cabinet": cabinet},
            storage=storage,
            volume_ml=volume_ml,
            weight_g=weight_g,
        )
        if taken is None:
            raise LockersError(
                LockersErrorCode.NO_COMPARTMENT, zone=ZONE_NAMES.get(storage, storage)
            )
        comp = taken
    booking = Booking.objects.create(
        compartment=comp,
        cabinet=cabinet,
        resident=resident,
        carrier=carrier[:20],
        tracking_no=tracking_no[:40],
        storage=storage,
        volume_ml=volume_ml,
        weight_g=weight_g,
        consent=Booking.Consent.SETTING,
        status=Booking.Status.CONFIRMED,
    )
    booking = Booking.objects.select_related("cabinet__site", "compartment", "resident").get(
        pk=booking.pk
    )
    return _deposit(booking, actor, "page")
