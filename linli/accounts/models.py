"""Identity: one User per person, logged in by phone (SMS code) or, for staff, by password.

Roles are grants beside identity: a person can be a resident and a shop owner at once.
"""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    SHOP_OWNER = "shop_owner", _("Shop owner")
    SHOP_STAFF = "shop_staff", _("Shop staff")
    SUPPLIER = "supplier", _("Supplier")
    SERVICE_WORKER = "service_worker", _("Service worker")
    COURIER = "courier", _("Courier")
    PROPERTY_MANAGER = "property_manager", _("Property manager")
    COMMUNITY_OFFICER = "community_officer", _("Community officer")
    COMMERCE_OFFICIAL = "commerce_official", _("Commerce official")
    PLATFORM_ADMIN = "platform_admin", _("Platform admin")


class LinliUserManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(models.Q(username=username) | models.Q(phone=username))


class User(AbstractUser):
    """A person. `phone` is the login for everyone; staff may also keep a password."""

    phone = models.CharField(_("phone"), max_length=11, unique=True, null=True, blank=True)
    display_name = models.CharField(_("display name"), max_length=40, blank=True)

    objects = LinliUserManager()  # type: ignore[misc]  # Django-stubs: manager override

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def masked_phone(self) -> str:
        """138****1234: what shops and couriers see unless they need the full number."""
        p = self.phone or ""
        return f"{p[:3]}****{p[-4:]}" if len(p) == 11 else p

    def role_set(self) -> frozenset[str]:
        cached: frozenset[str] | None = getattr(self, "_role_cache", None)
        if cached is None:
            cached = frozenset(self.roles.values_list("role", flat=True))
            if self.is_superuser:
                cached = cached | {Role.PLATFORM_ADMIN}
            self._role_cache = cached
        return cached

    def has_role(self, role: str) -> bool:
        return role in self.role_set()


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_role_grant")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class SmsCode(models.Model):
    """A one-time login code. Only its hash is stored; rows also count sends for the rate limit."""

    phone = models.CharField(max_length=11, db_index=True)
    code_hash = models.CharField(max_length=64)
    purpose = models.CharField(max_length=16, default="login")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    @staticmethod
    def hash(phone: str, code: str) -> str:
        return hashlib.sha256(f"{phone}:{code}".encode()).hexdigest()


class LoginThrottle(models.Model):
    """Wrong tries per phone; a lock-out after too many, shared by every app server."""

    phone = models.CharField(max_length=11, unique=True)
    failed_count = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)


class ApiToken(models.Model):
    """Bearer token for apps and devices. The key is shown once; only its hash is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=60)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    @staticmethod
    def new_key() -> str:
        return "ll_" + secrets.token_urlsafe(32)

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class Consent(models.TextChoices):
    PERSONALISED = "personalised", _("Personalised recommendations")
    LOCATION = "location", _("Location history")
    LOCKER_DEPOSIT = "locker_deposit", _("Deposits into smart lockers")
    MARKETING_SMS = "marketing_sms", _("Marketing messages")


class ConsentRecord(models.Model):
    """Every grant or withdrawal is a new row (PIPL Art. 24): the latest row per kind is in force."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=32, choices=Consent.choices)
    granted = models.BooleanField()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "kind", "-recorded_at"])]


class Notification(models.Model):
    """A message to one person, shown in the app (and sent by SMS when it must reach them now).

    Kept low (accounts) so every app can tell people things: lockers (deposited, overdue,
    temperature alarm), parcel stations (arrived, daily reminder, returned), and later orders.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=120)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"])]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title
