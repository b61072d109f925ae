"""The JSON API at /api/v1/: one NinjaAPI, a router per app, one error shape {"code", "detail"}."""

from __future__ import annotations

import logging

from django.core.exceptions import ObjectDoesNotExist
from django.db import DatabaseError, DataError, connection
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from linli.accounts.errors import AccountsError
from linli.accounts.services import api_token_authenticate
from linli.core.errors import CoreError, CoreErrorCode, LinliError

log = logging.getLogger("linli.api")


class TokenAuth(HttpBearer):
    """`Authorization: Bearer ll_…` for apps and devices."""

    def authenticate(self, request: HttpRequest, token: str) -> object | None:
        try:
            user = api_token_authenticate(key=token)
        except AccountsError:
            return None
        request.user = user
        return user


class TokenHeader(APIKeyHeader):
    """`X-Api-Token: ll_…` for clients that cannot set Authorization."""

    param_name = "X-Api-Token"

    def authenticate(self, request: HttpRequest, key: str | None) -> object | None:
        if not key:  # no header: leave it to the next auth without touching the database
            return None
        return TokenAuth().authenticate(request, key)


# Token auths first: they pass (None) when their header is absent, while session auth enforces
# CSRF and would refuse an app's token-authenticated POST before the token was looked at.
AUTH = [TokenAuth(), TokenHeader(), django_auth]

api = NinjaAPI(
    title="邻里 linli API",
    version="1",
    description="Community commerce for the 15-minute living circle. Errors: {code, detail}.",
    urls_namespace="api",
    auth=AUTH,
)


def _error(request: HttpRequest, err: LinliError) -> HttpResponse:
    return api.create_response(request, err.as_dict(), status=err.status)


@api.exception_handler(LinliError)
def linli_error(request: HttpRequest, exc: LinliError) -> HttpResponse:
    return _error(request, exc)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = exc.errors or []
    if any(e.get("type") == "json_invalid" for e in errors if isinstance(e, dict)):
        return _error(request, CoreError(CoreErrorCode.MALFORMED_JSON))
    parts = []
    for e in errors[:5]:
        if isinstance(e, dict):
            loc = ".".join(str(x) for x in e.get("loc", []) if x not in ("body", "payload"))
            parts.append(f"{loc}: {e.get('msg', '')}".strip(": "))
    return _error(request, CoreError(CoreErrorCode.INVALID_INPUT, reason="; ".join(parts)))


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, CoreError(CoreErrorCode.NOT_AUTHENTICATED))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, CoreError(CoreErrorCode.NOT_FOUND))


@api.exception_handler(ObjectDoesNotExist)
def does_not_exist(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, CoreError(CoreErrorCode.NOT_FOUND))


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and "parse" in str(exc).lower():
        return _error(request, CoreError(CoreErrorCode.MALFORMED_JSON))
    code = {
        401: CoreErrorCode.NOT_AUTHENTICATED,
        403: CoreErrorCode.PERMISSION_DENIED,
        404: CoreErrorCode.NOT_FOUND,
        429: CoreErrorCode.RATE_LIMITED,
    }.get(exc.status_code, CoreErrorCode.INVALID_INPUT)
    return _error(request, CoreError(code, reason=str(exc)))


@api.exception_handler(OverflowError)
def number_overflow(request: HttpRequest, exc: Exception) -> HttpResponse:
    # An id or amount beyond what the database holds is bad input, not a server fault.
    return _error(request, CoreError(CoreErrorCode.INVALID_INPUT, reason="number out of range"))


@api.exception_handler(MultiPartParserError)
def multipart_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, CoreError(CoreErrorCode.INVALID_INPUT, reason="malformed upload"))


@api.exception_handler(DataError)
def data_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, CoreError(CoreErrorCode.INVALID_INPUT, reason="value out of range"))


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.exception("unhandled API error on %s", request.path)
    return _error(request, CoreError(CoreErrorCode.SERVER_ERROR))


@api.get("/health", auth=None, response={200: dict, 503: dict}, tags=["health"])
def health(request: HttpRequest) -> Status[dict[str, object]]:
    """For load balancers and uptime checks: 200 when the database answers one query, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        log.exception("health check: database unreachable")
        return Status(503, {"status": "error", "db": False})
    return Status(200, {"status": "ok", "db": True})


api.add_router("/accounts/", "linli.accounts.api.router")
api.add_router("/shops/", "linli.shops.api.router")
api.add_router("/community/", "linli.community.api.router")
api.add_router("/catalog/", "linli.catalog.api.router")
api.add_router("/inventory/", "linli.inventory.api.router")
api.add_router("/", "linli.shops.nearby_api.router")
api.add_router("/payments/", "linli.payments.api.router")
api.add_router("/orders/", "linli.orders.api.router")
api.add_router("/procurement/", "linli.procurement.api.router")
api.add_router("/devices/lockers/", "linli.lockers.device_api.router")
api.add_router("/delivery/", "linli.delivery.api.router")
