"""Suppliers (companies, farm bases, cooperatives), their licences, people, products and prices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.core.storage import StorageClass


class Supplier(models.Model):
    """Who shops buy from. Shared across the platform: one row per USCC."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company (企业)")
        FARM_BASE = "farm_base", _("Farm base (种养殖基地)")
        COOPERATIVE = "cooperative", _("Cooperative (农民专业合作社)")

    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    uscc_legacy = models.BooleanField(_("legacy code"), default=False)
    legal_representative = models.CharField(_("legal representative"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    region = models.CharField(_("origin region"), max_length=60, blank=True)  # 山东寿光
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), default=2)
    registered_by = models.ForeignKey(
        "shops.Merchant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registered_suppliers",
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")

    def __str__(self) -> str:
        return self.name


class SupplierLicence(models.Model):
    class Kind(models.TextChoices):
        FOOD_BUSINESS = "food_business", _("Food business licence (食品经营许可证)")
        FOOD_PRODUCTION = "food_production", _("Food production licence (食品生产许可证)")

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="licences")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=20)
    valid_until = models.DateField(_("valid until"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="unique_supplier_licence")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class SupplierMember(models.Model):
    """A person who works for a supplier: sees the supplier portal, keeps its prices."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supplier_memberships"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["supplier", "user"], name="unique_supplier_member")
        ]


class SupplierProduct(models.Model):
    """What a supplier sells, at a base price per unit (fen). `available_quantity` is what it can
    deliver; joint-round commitments claim `committed_quantity` against it like stock."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(_("name"), max_length=80)
    spec = models.CharField(_("specification"), max_length=40, blank=True)
    unit = models.CharField(_("unit"), max_length=8, default="kg")
    origin = models.CharField(_("origin"), max_length=60, blank=True)
    price_fen = models.IntegerField(_("price (fen)"))
    available_quantity = models.IntegerField(_("available"), default=0)
    committed_quantity = models.IntegerField(_("committed"), default=0)
    min_order_quantity = models.PositiveIntegerField(_("minimum order"), default=1)
    shelf_life_days = models.PositiveIntegerField(_("shelf life (days)"), null=True, blank=True)
    storage = models.CharField(
        _("storage"), max_length=8, choices=StorageClass.choices, default=StorageClass.AMBIENT
    )
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["supplier_id", "name", "pk"]
        verbose_name = _("supplier product")
        verbose_name_plural = _("supplier products")
        constraints = [
            models.CheckConstraint(condition=Q(price_fen__gt=0), name="supplier_price_positive"),
            models.CheckConstraint(
                condition=Q(committed_quantity__gte=0), name="supplier_committed_nonnegative"
            ),
            models.CheckConstraint(
                condition=Q(committed_quantity__lte=F("available_quantity")),
                name="supplier_committed_within_available",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.spec}".strip()

    @property
    def uncommitted(self) -> int:
        return self.available_quantity - self.committed_quantity


class PriceTier(models.Model):
    """A quantity discount: ordering at least `min_quantity` units costs `price_fen` per unit."""

    supplier_product = models.ForeignKey(
        SupplierProduct, on_delete=models.CASCADE, related_name="tiers"
    )
    min_quantity = models.PositiveIntegerField()
    price_fen = models.IntegerField()

    class Meta:
        ordering = ["min_quantity"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier_product", "min_quantity"], name="unique_price_tier"
            ),
            models.CheckConstraint(condition=Q(price_fen__gt=0), name="tier_price_positive"),
            models.CheckConstraint(condition=Q(min_quantity__gte=1), name="tier_quantity_positive"),
        ]
