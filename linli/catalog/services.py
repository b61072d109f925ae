"""Writes for the catalog: products (search text kept up to date), photos, listings. Permission-checked."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from stdnum import ean

from linli.accounts.models import User
from linli.catalog.errors import CatalogError, CatalogErrorCode
from linli.catalog.models import Category, Listing, Product, ProductPhoto, StorageClass
from linli.catalog.permissions import can_manage_merchant, can_manage_outlet
from linli.catalog.search import build_search_text
from linli.core.images import sniff_upload
from linli.core.money import format_fen
from linli.shops.models import Merchant, Outlet

PHOTO_MAX_BYTES = getattr(settings, "LINLI_PHOTO_MAX_BYTES", 2 * 1024 * 1024)

# Fields a merchant may set on a product (anything else is refused, not ignored).
PRODUCT_FIELDS = frozenset(
    {
        "name",
        "sku",
        "category",
        "aliases",
        "brand",
        "spec",
        "unit",
        "origin",
        "shelf_life_days",
        "storage",
        "green_label",
        "barcode",
        "description",
        "volume_ml",
        "weight_g",
        "active",
    }
)


def _require_merchant(actor: User | None, merchant_id: int) -> None:
    if not can_manage_merchant(actor=actor, merchant_id=merchant_id):
        raise CatalogError(CatalogErrorCode.NOT_YOUR_MERCHANT)


def _clean_product_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - PRODUCT_FIELDS
    if unknown:
        raise CatalogError(CatalogErrorCode.PRODUCT_INVALID, reason=", ".join(sorted(unknown)))
    out = dict(fields)
    if "name" in out:
        out["name"] = (out["name"] or "").strip()
        if not out["name"]:
            raise CatalogError(CatalogErrorCode.PRODUCT_INVALID, reason="name")
    if "sku" in out:
        out["sku"] = str(out["sku"] or "").strip()
        if len(out["sku"]) > 40:
            raise CatalogError(CatalogErrorCode.PRODUCT_INVALID, reason="sku")
    if "storage" in out and out["storage"] not in StorageClass.values:
        raise CatalogError(CatalogErrorCode.PRODUCT_INVALID, reason=f"storage={out['storage']}")
    if out.get("barcode"):
        code = str(out["barcode"]).strip()
        if len(code) not in (8, 12, 13, 14) or not ean.is_valid(code):
            raise CatalogError(CatalogErrorCode.PRODUCT_INVALID, reason=f"barcode={code}")
        out["barcode"] = code
    for key in ("shelf_life_days", "volume_ml", "weight_g"):
        value = out.get(key)
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or value < 0
        ):
            raise CatalogError(CatalogErrorCode.PRODUCT_INVALID, reason=key)
    category = out.get("category")
    if isinstance(category, int) and not isinstance(category, bool):
        found = Category.objects.filter(pk=category).first()
        if found is None:
            raise CatalogError(CatalogErrorCode.CATEGORY_NOT_FOUND)
        out["category"] = found
    return out


def _check_sku_free(merchant_id: int, sku: str | None, product_id: int | None) -> None:
    taken = Product.objects.filter(merchant_id=merchant_id, sku=sku)
    if product_id is not None:
        taken = taken.exclude(pk=product_id)
    if sku and taken.exists():
        raise CatalogError(CatalogErrorCode.SKU_TAKEN, sku=sku)


def product_search_text_refresh(*, product: Product) -> str:
    """Recompute `search_text` (tokens + pinyin + initials); services call it on every save."""
    category = product.category
    cat_text = ""
    if category is not None:
        cat_text = " ".join(x for x in (category.name_zh, category.name_en) if x)
    product.search_text = build_search_text(
        name=product.name,
        aliases=product.aliases,
        brand=product.brand,
        category=cat_text,
        description=product.description,
        barcode=product.barcode,
    )
    return product.search_text


@transaction.atomic
def product_create(*, actor: User | None, merchant: Merchant, name: str, **fields: Any) -> Product:
    """Create a merchant's product. Keyword fields: see PRODUCT_FIELDS."""
    _require_merchant(actor, merchant.pk)
    clean = _clean_product_fields({"name": name, **fields})
    _check_sku_free(merchant.pk, clean.get("sku"), None)
    product = Product(merchant=merchant, **clean)
    product_search_text_refresh(product=product)
    product.save()
    return product


@transaction.atomic
def product_update(*, actor: User | None, product: Product, **fields: Any) -> Product:
    _require_merchant(actor, product.merchant_id)
    clean = _clean_product_fields(fields)
    _check_sku_free(product.merchant_id, clean.get("sku"), product.pk)
    for key, value in clean.items():
        setattr(product, key, value)
    product_search_text_refresh(product=product)
    product.save()
    return product


@transaction.atomic
def photo_add(*, actor: User | None, product: Product, uploaded_file: UploadedFile) -> ProductPhoto:
    """Store a product photo. The type is read from the file's first bytes, not its name."""
    _require_merchant(actor, product.merchant_id)
    size = uploaded_file.size or 0
    if size > PHOTO_MAX_BYTES:
        raise CatalogError(
            CatalogErrorCode.PHOTO_TOO_LARGE, limit_mb=PHOTO_MAX_BYTES // (1024 * 1024)
        )
    kind = sniff_upload(uploaded_file)
    if kind is None:
        raise CatalogError(CatalogErrorCode.PHOTO_TYPE)
    content_type, ext = kind
    photo = ProductPhoto(
        product=product,
        content_type=content_type,
        size=size,
        sort=product.photos.count(),
    )
    photo.file.save(f"{uuid.uuid4().hex}.{ext}", uploaded_file, save=False)
    photo.save()
    return photo


@transaction.atomic
def listing_upsert(
    *, actor: User | None, outlet: Outlet, product: Product, price_fen: int, active: bool = True
) -> Listing:
    """Put a product on sale at an outlet (or change its price / take it off sale)."""
    if not can_manage_outlet(actor=actor, outlet_id=outlet.pk):
        raise CatalogError(CatalogErrorCode.NOT_YOUR_OUTLET)
    if product.merchant_id != outlet.merchant_id:
        raise CatalogError(CatalogErrorCode.PRODUCT_NOT_FOUND)
    if not isinstance(price_fen, int) or isinstance(price_fen, bool) or price_fen <= 0:
        shown = format_fen(price_fen) if isinstance(price_fen, int) else str(price_fen)
        raise CatalogError(CatalogErrorCode.PRICE_INVALID, price=shown)
    listing, _ = Listing.objects.update_or_create(
        outlet=outlet, product=product, defaults={"price_fen": price_fen, "active": active}
    )
    return listing


def category_ensure(
    *, slug: str, name_zh: str, name_en: str = "", parent: Category | None = None, sort: int = 0
) -> Category:
    """Create or update a category (demo data, admin scripts)."""
    category, _ = Category.objects.update_or_create(
        slug=slug, defaults={"name_zh": name_zh, "name_en": name_en, "parent": parent, "sort": sort}
    )
    return category
