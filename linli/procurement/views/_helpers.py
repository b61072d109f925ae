from __future__ import annotations

from datetime import date

from django.http import HttpRequest

from linli.accounts.models import User
from linli.core.money import parse_yuan


def user_of(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def int_or(value: str | None, default: int = 0) -> int:
    """A posted id as an int; 0 (matches no row) when it is missing or not a number."""
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def whole(value: str | None) -> int:
    """A form's whole number; text or blanks become -1 so the service answers with its code."""
    v = int_or(value, 0)
    return -1 if v is None else v


def fen_or(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return parse_yuan(value)
    except ValueError:
        return -1


def date_or(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
