"""Writes for accounts: SMS codes and login, registration, roles, API tokens, consent."""

from __future__ import annotations

import hmac
import re
import secrets
from datetime import timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import F
from django.utils import timezone

from linli.accounts.errors import AccountsError, AccountsErrorCode
from linli.accounts.models import (
    ApiToken,
    Consent,
    ConsentRecord,
    LoginThrottle,
    Role,
    RoleGrant,
    SmsCode,
    User,
)
from linli.accounts.sms import get_backend
from linli.core.sql import as_health_check, hot_cursor, model_from_row, update_rows

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def phone_normalize(raw: str) -> str:
    """Accept '+86 138 0013 8000', '138-0013-8000' …; return 11 digits or raise phone_invalid."""
    digits = re.sub(r"[\s\-()]", "", raw or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not _MOBILE.match(digits):
        raise AccountsError(AccountsErrorCode.PHONE_INVALID)
    return digits


def _check_not_locked(throttle: LoginThrottle) -> None:
    if throttle.locked_until and throttle.locked_until > timezone.now():
        until = timezone.localtime(throttle.locked_until).strftime("%H:%M")
        raise AccountsError(AccountsErrorCode.LOCKED_OUT, until=until)


@transaction.atomic
def sms_code_send(*, phone: str, purpose: str = "login") -> SmsCode:
    """Send a 6-digit code. Login codes only go to registered phones; at most N sends per hour.

    The per-phone throttle row is locked first so parallel requests count sends one at a time.
    """
    phone = phone_normalize(phone)
    exists = User.objects.filter(phone=phone, is_active=True).exists()
    if purpose == "login" and not exists:
        raise AccountsError(AccountsErrorCode.PHONE_UNKNOWN)
    if purpose == "register" and exists:
        raise AccountsError(AccountsErrorCode.PHONE_TAKEN)
    throttle, _ = LoginThrottle.objects.get_or_create(phone=phone)
    throttle = LoginThrottle.objects.select_for_update().get(pk=throttle.pk)
    _check_not_locked(throttle)
    now = timezone.now()
    limit = settings.LINLI_SMS_MAX_SENDS_PER_HOUR
    if (
        SmsCode.objects.filter(phone=phone, created_at__gt=now - timedelta(hours=1)).count()
        >= limit
    ):
        raise AccountsError(AccountsErrorCode.SMS_TOO_MANY, limit=limit)
    code = f"{secrets.randbelow(10**6):06d}"
    ttl = settings.LINLI_SMS_CODE_TTL_SECONDS
    sms = SmsCode.objects.create(
        phone=phone,
        code_hash=SmsCode.hash(phone, code),
        purpose=purpose,
        created_at=now,
        expires_at=now + timedelta(seconds=ttl),
    )
    minutes = ttl // 60
    get_backend().send(
        phone, f"【邻里】验证码 {code}，{minutes} 分钟内有效。Your linli code is {code}."
    )
    return sms


def _register_failure(throttle: LoginThrottle) -> int:
    """Count a wrong try; lock the phone when the limit is reached. Returns tries left."""
    LoginThrottle.objects.filter(pk=throttle.pk).update(failed_count=F("failed_count") + 1)
    throttle.refresh_from_db()
    left = settings.LINLI_SMS_MAX_WRONG_TRIES - throttle.failed_count
    if left <= 0:
        throttle.locked_until = timezone.now() + timedelta(
            seconds=settings.LINLI_SMS_LOCKOUT_SECONDS
        )
        throttle.failed_count = 0
        throttle.save(update_fields=["locked_until", "failed_count"])
    return max(left, 0)


def sms_code_verify(*, phone: str, code: str, purpose: str = "login") -> None:
    """Consume a valid code or raise. Wrong tries are counted even though the caller fails."""
    phone = phone_normalize(phone)
    with transaction.atomic():
        throttle, _ = LoginThrottle.objects.get_or_create(phone=phone)
        throttle = LoginThrottle.objects.select_for_update().get(pk=throttle.pk)
        _check_not_locked(throttle)
        now = timezone.now()
        latest = (
            SmsCode.objects.filter(phone=phone, purpose=purpose, used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        given = SmsCode.hash(phone, (code or "").strip())
        if latest is not None and hmac.compare_digest(latest.code_hash, given):
            if latest.expires_at <= now:
                raise AccountsError(AccountsErrorCode.SMS_CODE_EXPIRED)
            # Single use even under a race: only one UPDATE finds used_at still empty.
            if SmsCode.objects.filter(pk=latest.pk, used_at__isnull=True).update(used_at=now):
                LoginThrottle.objects.filter(pk=throttle.pk).update(failed_count=0)
                return
        left = _register_failure(throttle)
    if left == 0:
        raise AccountsError(AccountsErrorCode.LOCKED_OUT, until="…")
    raise AccountsError(AccountsErrorCode.SMS_CODE_WRONG, left=left)


def sms_login(*, phone: str, code: str) -> User:
    """Verify the code and return the account to log in."""
    sms_code_verify(phone=phone, code=code, purpose="login")
    return User.objects.get(phone=phone_normalize(phone))


def resident_register(*, phone: str, code: str, display_name: str) -> User:
    """Create a resident account from a verified phone."""
    sms_code_verify(phone=phone, code=code, purpose="register")
    phone = phone_normalize(phone)
    with transaction.atomic():
        if User.objects.filter(phone=phone).exists():
            raise AccountsError(AccountsErrorCode.PHONE_TAKEN)
        user = user_create(phone=phone, display_name=display_name, roles=[Role.RESIDENT])
    return user


@transaction.atomic
def user_create(
    *,
    phone: str | None,
    display_name: str,
    roles: list[str],
    username: str | None = None,
    password: str | None = None,
) -> User:
    """Create a person with roles. Phone is normalised; username defaults to the phone."""
    phone = phone_normalize(phone) if phone else None
    user = User(username=username or phone or display_name, phone=phone, display_name=display_name)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    for role in roles:
        role_grant(user=user, role=role)
    return user


def role_grant(*, user: User, role: str) -> None:
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    RoleGrant.objects.get_or_create(user=user, role=role)
    user.__dict__.pop("_role_cache", None)


def api_token_create(*, user: User, name: str) -> str:
    """Return a new bearer token key (shown once)."""
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash(key), prefix=key[:8])
    return key


# Record a token's use at most this often: a write per request would cost more than the request.
TOKEN_USE_RECORD_EVERY = timedelta(minutes=5)


@cache
def _token_user_sql(vendor: str) -> str:
    # Hand-written because every API request pays for it (the ORM spent more building this join
    # than the database answering it). The user comes whole (any field may be used downstream);
    # of the token only its id and whether its recorded use is stale.
    user, token = User._meta.db_table, ApiToken._meta.db_table
    cols = ", ".join(f'u."{f.column}"' for f in User._meta.concrete_fields)
    select = (
        f'SELECT {cols}, t."id" AS token_id,'
        ' (t."last_used_at" IS NULL OR t."last_used_at" < %s) AS stale'
        f' FROM "{token}" t INNER JOIN "{user}" u ON u."id" = t."user_id"'
        ' WHERE t."key_hash" = %s AND NOT t."revoked" AND u."is_active"'
    )
    if vendor != "postgresql":
        return select
    # PostgreSQL records a stale use in the same statement: no second round trip and commit.
    return (
        f"WITH found AS ({select}), touched AS ("
        f'UPDATE "{token}" SET "last_used_at" = %s'
        ' WHERE "id" IN (SELECT token_id FROM found WHERE stale))'
        " SELECT * FROM found"
    )


def api_token_authenticate(*, key: str) -> User:
    """The active user of a live token, or TOKEN_INVALID. One statement, checked against the
    database on every call (nothing cached: a revoked token or a deactivated user is refused at
    once), plus an UPDATE of the token's last use at most every TOKEN_USE_RECORD_EVERY."""
    now = timezone.now()
    db = router.db_for_read(User)
    connection = connections[db]
    stale_before = connection.ops.adapt_datetimefield_value(now - TOKEN_USE_RECORD_EVERY)
    params: list[Any] = [stale_before, ApiToken.hash(key)]
    in_one = connection.vendor == "postgresql"
    if in_one:
        params.append(now)
    sql = _token_user_sql(connection.vendor)

    def lookup() -> tuple[Any, ...] | None:
        with hot_cursor(db) as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()  # type: ignore[no-any-return]

    # The first statement of an API request: it checks the reused connection itself (running
    # it twice records the same last use), which spares every authenticated request a round trip.
    row = as_health_check(lookup, db)
    if row is None:
        raise AccountsError(AccountsErrorCode.TOKEN_INVALID)
    *user_columns, token_id, stale = row
    if stale and not in_one:  # a new resident's first request, or the first after a pause
        update_rows(ApiToken, {"last_used_at": now}, pk=token_id)
    return model_from_row(User, user_columns, db)


def consent_set(*, user: User, kind: str, granted: bool) -> ConsentRecord:
    """Record a grant or a withdrawal; the newest record is the one in force."""
    if kind not in Consent.values:
        raise ValueError(f"unknown consent {kind!r}")
    return ConsentRecord.objects.create(user=user, kind=kind, granted=granted)
