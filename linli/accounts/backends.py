from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from linli.accounts.models import User


class PhonePasswordBackend(ModelBackend):
    """Password login by phone number as well as by username (staff accounts)."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or not password:
            return None
        user = User.objects.filter(phone=username).first()
        if user and user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
