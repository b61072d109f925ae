"""Merchants (a single shop or a chain), their outlets, licences and business formats (业态)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BusinessFormat(models.Model):
    """A format of the 2021 Guide, seeded from `linli.core.formats` (data, not code)."""

    class Class(models.TextChoices):
        BASIC = "basic", _("Basic (基本保障类)")
        QUALITY = "quality", _("Quality (品质提升类)")

    slug = models.SlugField(primary_key=True, max_length=40)
    zh = models.CharField(max_length=40)
    en = models.CharField(max_length=60)
    cls = models.CharField(max_length=8, choices=Class.choices)
    target_minutes = models.PositiveSmallIntegerField(default=15)
    osm_tags = models.JSONField(default=list, blank=True)
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort"]
        verbose_name = _("business format")
        verbose_name_plural = _("business formats")

    def __str__(self) -> str:
        return self.label(get_language() or "zh-hans")

    def label(self, language: str) -> str:
        return self.en if language.startswith("en") else self.zh


class Merchant(models.Model):
    """The business: a single shop or a chain (品牌连锁) with many outlets."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single shop")
        CHAIN = "chain", _("Chain")

    class Source(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        OSM = "osm", _("OpenStreetMap")

    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.SINGLE)
    # OSM-sourced merchants are map entries, not registered businesses: they have no USCC
    # until the owner claims the shop and registers it.
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.REGISTERED
    )
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    uscc_legacy = models.BooleanField(
        _("legacy code"), default=False, help_text=_("Accepted although its check digit fails")
    )
    legal_representative = models.CharField(_("legal representative"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    generated = models.BooleanField(
        default=False, help_text=_("Demo merchant created to fill a format the map lacks")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("merchant")
        verbose_name_plural = _("merchants")

    def __str__(self) -> str:
        return self.name


class Outlet(models.Model):
    """One shop or service point on the street, with its location and formats."""

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="outlets")
    community = models.ForeignKey(
        "community.Community", on_delete=models.PROTECT, related_name="outlets"
    )
    name = models.CharField(_("name"), max_length=80)
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.FloatField()
    lon = models.FloatField()
    formats = models.ManyToManyField(BusinessFormat, related_name="outlets")
    opening_hours = models.JSONField(
        _("opening hours"),
        default=list,
        blank=True,
        help_text=_('Weekly ranges: [{"days": [1,2,3,4,5], "open": "07:00", "close": "22:00"}]'),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    osm_id = models.BigIntegerField(null=True, blank=True)
    osm_type = models.CharField(max_length=1, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("outlet")
        verbose_name_plural = _("outlets")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "osm_type", "osm_id"],
                condition=models.Q(osm_id__isnull=False),
                name="unique_outlet_osm",
            ),
            models.CheckConstraint(
                condition=models.Q(lat__gte=-90, lat__lte=90, lon__gte=-180, lon__lte=180),
                name="outlet_lat_lon_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Licence(models.Model):
    """A licence shown to residents: business licence (USCC), food business (JY), food production (SC)."""

    class Kind(models.TextChoices):
        BUSINESS = "business", _("Business licence (营业执照)")
        FOOD_BUSINESS = "food_business", _("Food business licence (食品经营许可证)")
        FOOD_PRODUCTION = "food_production", _("Food production licence (食品生产许可证)")

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="licences")
    outlet = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.CASCADE, related_name="licences"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=20)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    legacy = models.BooleanField(_("legacy number"), default=False)

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="unique_licence_number")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def is_expired(self, today: date | None = None) -> bool:
        day = today or timezone.localdate()
        return bool(self.valid_until and self.valid_until < day)


class Membership(models.Model):
    """Who works for a merchant. Owners and managers (a chain's head office) see all outlets;
    staff only those listed (all if none); a franchisee only the outlets listed (none if none)."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MANAGER = "manager", _("Manager")
        STAFF = "staff", _("Staff")
        FRANCHISEE = "franchisee", _("Franchisee")

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shop_memberships"
    )
    role = models.CharField(max_length=12, choices=Role.choices)
    outlets = models.ManyToManyField(Outlet, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["merchant", "user"], name="unique_membership")
        ]
