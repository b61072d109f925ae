"""Per-cabinet device keys: shown once at issue, kept as a SHA-256 hash, checked in constant
time. A wrong key or an unknown cabinet is refused with its own code and logged."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.db import transaction

from linli.accounts.models import User
from linli.core.errors import CoreError, CoreErrorCode
from linli.lockers.errors import LockersError, LockersErrorCode
from linli.lockers.models import Cabinet
from linli.lockers.services.common import event_log, is_platform_admin


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def cabinet_key_issue(*, actor: User | None, cabinet: Cabinet) -> str:
    """A new key for the device (the old one stops working). actor None: set-up scripts."""
    if actor is not None and not is_platform_admin(actor):
        raise CoreError(CoreErrorCode.PERMISSION_DENIED)
    key = "lk_" + secrets.token_urlsafe(24)
    Cabinet.objects.filter(pk=cabinet.pk).update(key_hash=_hash(key), key_prefix=key[:8])
    cabinet.key_hash, cabinet.key_prefix = _hash(key), key[:8]
    event_log("key_issued", cabinet=cabinet, actor=actor)
    return key


def cabinet_authenticate(*, serial: str, key: str, channel: str = "device") -> Cabinet:
    cabinet = Cabinet.objects.select_related("site").filter(serial=serial, active=True).first()
    if cabinet is None:
        err = LockersError(LockersErrorCode.CABINET_UNKNOWN, serial=serial[:32])
        event_log("auth", code=err.spec.code, channel=channel, detail=f"serial={serial[:32]}")
        raise err
    if not cabinet.key_hash or not hmac.compare_digest(cabinet.key_hash, _hash(key or "")):
        err = LockersError(LockersErrorCode.DEVICE_KEY_INVALID)
        event_log("auth", code=err.spec.code, channel=channel, cabinet=cabinet)
        raise err
    return cabinet
