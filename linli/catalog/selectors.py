"""Reads for the catalog: public listings of an outlet, search, and a merchant's own products."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from linli.accounts.models import User
from linli.catalog import search
from linli.catalog.errors import CatalogError, CatalogErrorCode
from linli.catalog.models import Category, Listing, Product, ProductPhoto
from linli.shops.models import Membership

# At most this many candidate rows are ranked in Python per search.
SEARCH_CANDIDATES = 400


def _listing_qs() -> QuerySet[Listing]:
    return Listing.objects.filter(
        active=True, product__active=True, outlet__active=True
    ).select_related("product", "product__category", "outlet")


def _with_photos(qs: QuerySet[Listing]) -> QuerySet[Listing]:
    return qs.prefetch_related(
        Prefetch("product__photos", queryset=ProductPhoto.objects.order_by("sort", "pk"))
    )


@dataclass(frozen=True)
class SearchHit:
    listing: Listing
    score: int
    how: str
    minutes: float | None


def listing_search(
    *,
    q: str,
    outlet_ids: list[int] | None = None,
    limit: int = 50,
    minutes_by_outlet: dict[int, float] | None = None,
    with_photos: bool = False,
) -> list[SearchHit]:
    """Listings matching `q` (Chinese, pinyin or initials), best match first, then nearest shop.

    `minutes_by_outlet` is the resident's walking time per outlet (the 15-minute engine's output);
    it breaks ties between equally good matches. One query (two `with_photos`), no
    Postgres-only features.
    """
    terms = search.query_terms(q)
    if not terms:
        return []
    qs = _listing_qs()
    for term in terms:
        qs = qs.filter(product__search_text__icontains=term)
    if outlet_ids is not None:
        qs = qs.filter(outlet_id__in=outlet_ids)
    minutes_by_outlet = minutes_by_outlet or {}
    hits: list[SearchHit] = []
    for listing in qs.order_by("pk")[:SEARCH_CANDIDATES]:
        p = listing.product
        match = search.score(
            q, name=p.name, aliases=p.aliases, brand=p.brand, search_text=p.search_text
        )
        if match is None:
            continue
        hits.append(
            SearchHit(listing, match.score, match.how, minutes_by_outlet.get(listing.outlet_id))
        )
    hits.sort(
        key=lambda h: search.rank_key(
            search.Match(h.score, h.how), h.minutes, (h.listing.price_fen, h.listing.pk)
        )
    )
    hits = hits[: max(0, limit)]
    if with_photos and hits:
        prefetch_related_objects(
            [h.listing for h in hits],
            Prefetch("product__photos", queryset=ProductPhoto.objects.order_by("sort", "pk")),
        )
    return hits


def listings_for_outlet_public(*, outlet_id: int) -> list[Listing]:
    """An outlet's listings on sale, with product, category and photos (3 queries)."""
    qs = _with_photos(_listing_qs().filter(outlet_id=outlet_id))
    return list(qs.order_by("product__category__sort", "product__category_id", "product__name"))


def listings_by_category(
    listings: list[Listing], *, language: str | None = None
) -> list[tuple[str, list[Listing]]]:
    """Group listings under their category label (uncategorised last)."""
    groups: OrderedDict[str, list[Listing]] = OrderedDict()
    other: list[Listing] = []
    for listing in listings:
        cat = listing.product.category
        if cat is None:
            other.append(listing)
        else:
            groups.setdefault(cat.label(language), []).append(listing)
    out = list(groups.items())
    if other:
        out.append(("其他" if not (language or "").startswith("en") else "Other", other))
    return out


def listing_get_public(*, listing_id: int) -> Listing:
    listing = _with_photos(_listing_qs()).filter(pk=listing_id).first()
    if listing is None:
        raise CatalogError(CatalogErrorCode.LISTING_NOT_FOUND)
    return listing


def products_for_user(*, user: User, merchant_id: int | None = None) -> QuerySet[Product]:
    """Products of every merchant the user belongs to (tenancy)."""
    merchant_ids = Membership.objects.filter(user=user).values("merchant_id")
    qs = Product.objects.filter(merchant_id__in=merchant_ids)
    if merchant_id is not None:
        qs = qs.filter(merchant_id=merchant_id)
    return qs.select_related("category", "merchant").order_by("merchant_id", "name")


def product_get_for_user(*, user: User, product_id: int) -> Product:
    product = (
        products_for_user(user=user)
        .prefetch_related("photos", "listings__outlet")
        .filter(pk=product_id)
        .first()
    )
    if product is None:
        raise CatalogError(CatalogErrorCode.PRODUCT_NOT_FOUND)
    return product


def category_list() -> list[Category]:
    return list(Category.objects.select_related("parent").order_by("sort", "pk"))
