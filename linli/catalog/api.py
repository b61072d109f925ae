"""Catalog API: public search, listings and listing detail; products and prices for merchants."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from linli.accounts.models import User
from linli.catalog import selectors, services
from linli.catalog.errors import CatalogError, CatalogErrorCode
from linli.catalog.models import Listing, Product
from linli.catalog.schemas import (
    ListingIn,
    ListingOut,
    PhotoOut,
    ProductIn,
    ProductOut,
    ProductPatch,
    SearchHitOut,
)
from linli.core.money import format_fen
from linli.shops.models import Merchant, Outlet

router = Router(tags=["catalog"])
_OUTLETS = Query(None, description="outlet ids to search in")
_PHOTO = File(...)


def product_out(p: Product) -> ProductOut:
    cat = p.category
    return ProductOut(
        id=p.pk,
        merchant_id=p.merchant_id,
        name=p.name,
        aliases=p.aliases,
        brand=p.brand,
        spec=p.spec,
        unit=p.unit,
        origin=p.origin,
        shelf_life_days=p.shelf_life_days,
        storage=p.storage,
        green_label=p.green_label,
        barcode=p.barcode,
        description=p.description,
        volume_ml=p.volume_ml,
        weight_g=p.weight_g,
        category_id=p.category_id,
        category=cat.name_zh if cat else None,
        active=p.active,
        photos=[ph.file.url for ph in p.photos.all()],
    )


def listing_out(listing: Listing) -> ListingOut:
    return ListingOut(
        id=listing.pk,
        outlet_id=listing.outlet_id,
        outlet=listing.outlet.name,
        price_fen=listing.price_fen,
        price=format_fen(listing.price_fen),
        active=listing.active,
        product=product_out(listing.product),
    )


@router.get("/search", response=list[SearchHitOut], auth=None)
def search(
    request: HttpRequest,
    q: str = Query(..., max_length=40),
    outlet: list[int] | None = _OUTLETS,
    limit: int = Query(50, ge=1, le=100),
) -> list[SearchHitOut]:
    """Search listings in Chinese, pinyin or pinyin initials (xhs → 西红柿)."""
    hits = selectors.listing_search(q=q, outlet_ids=outlet or None, limit=limit, with_photos=True)
    return [
        SearchHitOut(listing=listing_out(h.listing), score=h.score, match=h.how, minutes=h.minutes)
        for h in hits
    ]


@router.get("/listings/{listing_id}", response=ListingOut, auth=None)
def listing_detail(request: HttpRequest, listing_id: int) -> ListingOut:
    return listing_out(selectors.listing_get_public(listing_id=listing_id))


@router.get("/outlets/{outlet_id}/listings", response=list[ListingOut], auth=None)
def outlet_listings(request: HttpRequest, outlet_id: int) -> list[ListingOut]:
    """What a shop sells, by category."""
    return [listing_out(x) for x in selectors.listings_for_outlet_public(outlet_id=outlet_id)]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@router.get("/mine/products", response=list[ProductOut])
def my_products(request: HttpRequest, merchant_id: int | None = Query(None)) -> list[ProductOut]:
    qs = selectors.products_for_user(user=_user(request), merchant_id=merchant_id)
    return [product_out(p) for p in qs.prefetch_related("photos")]


@router.post("/products", response={201: ProductOut})
def product_create(request: HttpRequest, payload: ProductIn) -> Status[ProductOut]:
    merchant = Merchant.objects.filter(pk=payload.merchant_id).first()
    if merchant is None:
        raise CatalogError(CatalogErrorCode.NOT_YOUR_MERCHANT)
    data = payload.model_dump(exclude={"merchant_id", "category_id", "name"})
    product = services.product_create(
        actor=_user(request),
        merchant=merchant,
        name=payload.name,
        category=payload.category_id,
        **data,
    )
    return Status(201, product_out(product))


@router.patch("/products/{product_id}", response=ProductOut)
def product_update(request: HttpRequest, product_id: int, payload: ProductPatch) -> ProductOut:
    user = _user(request)
    product = selectors.product_get_for_user(user=user, product_id=product_id)
    data = payload.model_dump(exclude_unset=True)
    if "category_id" in data:
        data["category"] = data.pop("category_id")
    return product_out(services.product_update(actor=user, product=product, **data))


@router.post("/products/{product_id}/photos", response={201: PhotoOut})
def photo_add(
    request: HttpRequest, product_id: int, file: UploadedFile = _PHOTO
) -> Status[PhotoOut]:
    user = _user(request)
    product = selectors.product_get_for_user(user=user, product_id=product_id)
    photo = services.photo_add(actor=user, product=product, uploaded_file=file)
    return Status(
        201,
        PhotoOut(id=photo.pk, url=photo.file.url, content_type=photo.content_type, size=photo.size),
    )


@router.put("/outlets/{outlet_id}/listings/{product_id}", response=ListingOut)
def listing_upsert(
    request: HttpRequest, outlet_id: int, product_id: int, payload: ListingIn
) -> ListingOut:
    """Put a product on sale at an outlet at a price in fen, or change it."""
    user = _user(request)
    outlet = Outlet.objects.filter(pk=outlet_id).first()
    if outlet is None:
        raise CatalogError(CatalogErrorCode.NOT_YOUR_OUTLET)
    product = selectors.product_get_for_user(user=user, product_id=product_id)
    listing = services.listing_upsert(
        actor=user,
        outlet=outlet,
        product=product,
        price_fen=payload.price_fen,
        active=payload.active,
    )
    listing = Listing.objects.select_related("outlet", "product__category").get(pk=listing.pk)
    return listing_out(listing)
