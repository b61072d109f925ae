"""Catalog pages: a shop's products and search for residents; product list and edit for merchants."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from linli.accounts.models import User
from linli.catalog import selectors, services
from linli.catalog.errors import CatalogError, CatalogErrorCode
from linli.catalog.models import Category, StorageClass
from linli.core.money import format_fen, parse_yuan
from linli.shops.models import Membership
from linli.shops.selectors import outlet_list_for_user, outlet_public_get

# Straight-line metres × this ≈ metres walked, when the street engine's minutes are not at hand.


def shop(request: HttpRequest, outlet_id: int) -> HttpResponse:
    """A shop's products by category, with price, cold-chain badge, green label and origin."""
    outlet = outlet_public_get(outlet_id=outlet_id)
    listings = selectors.listings_for_outlet_public(outlet_id=outlet_id)
    groups = selectors.listings_by_category(listings, language=get_language())
    return render(request, "catalog/shop.html", {"outlet": outlet, "groups": groups})


def _minutes_from_home(user: User) -> dict[int, float]:
    """Walking minutes on the street network from the resident's home to every outlet within an
    hour's walk (the 15-minute engine); empty when the home or the network is unknown."""
    if not user.is_authenticated:
        return {}
    from linli.core.errors import LinliError
    from linli.shops.nearby import nearby_for_user

    try:
        nearby = nearby_for_user(user=user, minutes=60)
    except LinliError:
        return {}
    return {item.outlet.pk: item.minutes for item in nearby.items}


def search(request: HttpRequest) -> HttpResponse:
    """Search listings; results nearest first among equal matches. htmx gets the results only."""
    q = (request.GET.get("q") or "").strip()[:40]
    hits: list[selectors.SearchHit] = []
    if q:
        minutes = _minutes_from_home(request.user)  # type: ignore[arg-type]
        hits = selectors.listing_search(q=q, limit=50, minutes_by_outlet=minutes, with_photos=True)
    partial = request.headers.get("HX-Request") and not request.headers.get("HX-Boosted")
    template = "catalog/_search_results.html" if partial else "catalog/search.html"
    return render(request, template, {"q": q, "hits": hits})


# --- merchant side ------------------------------------------------------------------------------


class ProductForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    sku = forms.CharField(label=_("SKU"), max_length=40, required=False)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), required=False
    )
    aliases = forms.CharField(
        label=_("Aliases"),
        max_length=200,
        required=False,
        help_text=_("Other names, comma-separated"),
    )
    brand = forms.CharField(label=_("Brand"), max_length=40, required=False)
    spec = forms.CharField(label=_("Specification"), max_length=40, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=8, initial="个")
    origin = forms.CharField(label=_("Origin"), max_length=60, required=False)
    shelf_life_days = forms.IntegerField(label=_("Shelf life (days)"), min_value=0, required=False)
    storage = forms.ChoiceField(label=_("Storage"), choices=StorageClass.choices)
    green_label = forms.BooleanField(label=_("Green label"), required=False)
    barcode = forms.CharField(label=_("Barcode (GTIN)"), max_length=14, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    volume_ml = forms.IntegerField(label=_("Volume (ml)"), min_value=0, required=False)
    weight_g = forms.IntegerField(label=_("Weight (g)"), min_value=0, required=False)
    active = forms.BooleanField(label=_("On sale"), required=False, initial=True)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "input")


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def merchant_products(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    products = list(selectors.products_for_user(user=user).prefetch_related("listings__outlet"))
    outlets = list(outlet_list_for_user(user=user))
    return render(
        request, "catalog/merchant_products.html", {"products": products, "outlets": outlets}
    )


@login_required
def merchant_product_edit(request: HttpRequest, product_id: int | None = None) -> HttpResponse:
    user = _user(request)
    product = (
        selectors.product_get_for_user(user=user, product_id=product_id) if product_id else None
    )
    merchants = [
        m.merchant for m in Membership.objects.filter(user=user).select_related("merchant")
    ]
    outlets = [
        o
        for o in outlet_list_for_user(user=user)
        if product is None or o.merchant_id == product.merchant_id
    ]
    listings = {x.outlet_id: x for x in (product.listings.all() if product else [])}
    if request.method == "POST":
        form = ProductForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                if product is None:
                    merchant = next(
                        (m for m in merchants if str(m.pk) == request.POST.get("merchant")), None
                    ) or (merchants[0] if merchants else None)
                    if merchant is None:
                        raise CatalogError(CatalogErrorCode.NOT_YOUR_MERCHANT)
                    name = data.pop("name")
                    product = services.product_create(
                        actor=user, merchant=merchant, name=name, **data
                    )
                else:
                    product = services.product_update(actor=user, product=product, **data)
                for o in outlets:
                    if o.merchant_id != product.merchant_id:
                        continue
                    raw = (request.POST.get(f"price_{o.pk}") or "").strip()
                    on_sale = request.POST.get(f"listed_{o.pk}") == "on"
                    if raw:
                        try:
                            fen = parse_yuan(raw)
                        except ValueError:
                            fen = 0
                        services.listing_upsert(
                            actor=user, outlet=o, product=product, price_fen=fen, active=on_sale
                        )
                    elif o.pk in listings:
                        x = listings[o.pk]
                        services.listing_upsert(
                            actor=user,
                            outlet=o,
                            product=product,
                            price_fen=x.price_fen,
                            active=False,
                        )
                photo = request.FILES.get("photo")
                if photo:
                    services.photo_add(actor=user, product=product, uploaded_file=photo)
            except CatalogError as e:
                messages.error(request, e.message())
            else:
                messages.success(request, _("Saved."))
                return redirect("catalog:merchant_product_edit", product_id=product.pk)
    else:
        initial = {"storage": StorageClass.AMBIENT, "unit": "个", "active": True}
        if product is not None:
            initial = {f: getattr(product, f) for f in ProductForm.base_fields}
        form = ProductForm(initial=initial)
    prices = [
        {
            "outlet": o,
            "price": format_fen(listings[o.pk].price_fen, symbol=False) if o.pk in listings else "",
            "listed": listings[o.pk].active if o.pk in listings else True,
        }
        for o in outlets
    ]
    return render(
        request,
        "catalog/merchant_product_edit.html",
        {"form": form, "product": product, "merchants": merchants, "prices": prices},
    )
