from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Status

from linli.accounts import selectors, services
from linli.accounts.models import Consent, User
from linli.accounts.schemas import (
    ConsentIn,
    MeOut,
    RegisterIn,
    SmsLoginIn,
    SmsSendIn,
    SmsSendOut,
    TokenIn,
    TokenOut,
)
from linli.core.errors import CoreError, CoreErrorCode

router = Router(tags=["accounts"])


def _me(user: User) -> MeOut:
    return MeOut(
        id=user.pk,
        display_name=str(user),
        phone=user.masked_phone,
        roles=sorted(user.role_set()),
        home=reverse(selectors.user_home_url_name(user=user)),
    )


@router.post("/sms/send", response=SmsSendOut, auth=None)
def sms_send(request: HttpRequest, payload: SmsSendIn) -> SmsSendOut:
    """Send a login (or registration) code by SMS."""
    if payload.purpose not in ("login", "register"):
        raise CoreError(CoreErrorCode.INVALID_INPUT, reason="purpose")
    services.sms_code_send(phone=payload.phone, purpose=payload.purpose)
    return SmsSendOut(sent=True, expires_in=settings.LINLI_SMS_CODE_TTL_SECONDS)


@router.post("/sms/login", response=MeOut, auth=None)
def sms_login(request: HttpRequest, payload: SmsLoginIn) -> MeOut:
    """Log in with the code; starts a session cookie."""
    user = services.sms_login(phone=payload.phone, code=payload.code)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return _me(user)


@router.post("/register", response={201: MeOut}, auth=None)
def register(request: HttpRequest, payload: RegisterIn) -> Status[MeOut]:
    user = services.resident_register(
        phone=payload.phone, code=payload.code, display_name=payload.display_name
    )
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return Status(201, _me(user))


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> MeOut:
    return _me(request.user)  # type: ignore[arg-type]


@router.post("/tokens", response={201: TokenOut})
def token_create(request: HttpRequest, payload: TokenIn) -> Status[TokenOut]:
    """Create a bearer token for an app; the key is shown once."""
    key = services.api_token_create(user=request.user, name=payload.name)  # type: ignore[arg-type]
    return Status(201, TokenOut(token=key))


@router.post("/consents", response=dict[str, bool])
def consent_set(request: HttpRequest, payload: ConsentIn) -> dict[str, bool]:
    if payload.kind not in Consent.values:
        raise CoreError(CoreErrorCode.INVALID_INPUT, reason=f"kind={payload.kind}")
    user: User = request.user  # type: ignore[assignment]
    services.consent_set(user=user, kind=payload.kind, granted=payload.granted)
    return selectors.consent_states(user=user)
