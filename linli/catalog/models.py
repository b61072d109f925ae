"""Products with standard attributes, their photos, categories, and what each outlet sells at what price."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.core.storage import StorageClass

__all__ = ["Category", "Listing", "Product", "ProductPhoto", "StorageClass"]


class Category(models.Model):
    """A node of the shared category tree (蔬菜 › 叶菜…); the same for every merchant."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    slug = models.SlugField(max_length=40, unique=True)
    name_zh = models.CharField(max_length=40)
    name_en = models.CharField(max_length=60, blank=True)
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort", "pk"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name_zh

    def label(self, language: str | None) -> str:
        return self.name_en if (language or "").startswith("en") and self.name_en else self.name_zh


class Product(models.Model):
    """A merchant's product; a chain shares it across its outlets, each outlet lists it at a price."""

    merchant = models.ForeignKey(
        "shops.Merchant", on_delete=models.CASCADE, related_name="products"
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="products"
    )
    name = models.CharField(_("name"), max_length=80)
    sku = models.CharField(
        _("SKU"), max_length=40, blank=True, help_text=_("The merchant's own item code (货号)")
    )
    aliases = models.CharField(
        _("aliases"), max_length=200, blank=True, help_text=_("Other names, comma-separated")
    )
    brand = models.CharField(_("brand"), max_length=40, blank=True)
    spec = models.CharField(_("specification"), max_length=40, blank=True)  # "500g", "10枚"
    unit = models.CharField(_("unit"), max_length=8, default="个")  # 袋 盒 斤 个 瓶
    origin = models.CharField(_("origin"), max_length=60, blank=True)  # 产地
    shelf_life_days = models.PositiveIntegerField(_("shelf life (days)"), null=True, blank=True)
    storage = models.CharField(
        _("storage"), max_length=8, choices=StorageClass.choices, default=StorageClass.AMBIENT
    )
    green_label = models.BooleanField(_("green label"), default=False)
    barcode = models.CharField(_("barcode (GTIN)"), max_length=14, blank=True)
    description = models.TextField(_("description"), blank=True)
    volume_ml = models.PositiveIntegerField(_("volume (ml)"), null=True, blank=True)
    weight_g = models.PositiveIntegerField(_("weight (g)"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        indexes = [models.Index(fields=["merchant", "active"])]
        constraints = [
            models.UniqueConstraint(
                fields=["merchant", "sku"],
                condition=~models.Q(sku=""),
                name="unique_product_sku",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.spec}".strip()

    @property
    def display_name(self) -> str:
        return str(self)


class ProductPhoto(models.Model):
    """A photo (JPEG, PNG or WebP, checked by its first bytes, at most 2 MB) under MEDIA_ROOT."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="catalog/photos/%Y/%m/")
    content_type = models.CharField(max_length=20)
    size = models.PositiveIntegerField()
    sort = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sort", "pk"]


class Listing(models.Model):
    """An outlet sells a product at a price (integer fen)."""

    outlet = models.ForeignKey("shops.Outlet", on_delete=models.CASCADE, related_name="listings")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="listings")
    price_fen = models.IntegerField(_("price (fen)"))
    active = models.BooleanField(_("active"), default=True)
    low_stock_threshold = models.PositiveIntegerField(
        _("low-stock threshold"),
        null=True,
        blank=True,
        help_text=_("Alert when fewer units are available; blank: derived from recent sales"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        constraints = [
            models.UniqueConstraint(fields=["outlet", "product"], name="unique_listing"),
            models.CheckConstraint(
                condition=models.Q(price_fen__gt=0), name="listing_price_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} @ {self.outlet_id}"
