"""Merchant pages for bulk product import (Excel or CSV, all or nothing) and export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.catalog.bulk import products as bulk
from linli.catalog.bulk.tables import CONTENT_TYPES, FORMATS
from linli.catalog.errors import CatalogError, CatalogErrorCode
from linli.shops.models import Outlet
from linli.shops.selectors import outlet_list_for_user


def download(content: bytes, fmt: str, stem: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


def _outlets(user: User) -> list[Outlet]:
    return list(outlet_list_for_user(user=user).select_related("merchant").order_by("pk"))


def _outlet(outlets: list[Outlet], outlet_id: int) -> Outlet:
    found = next((o for o in outlets if o.pk == outlet_id), None)
    if found is None:
        raise CatalogError(CatalogErrorCode.NOT_YOUR_OUTLET)
    return found


@login_required
def products_import_index(request: HttpRequest) -> HttpResponse:
    outlets = _outlets(request.user)  # type: ignore[arg-type]
    if not outlets:
        raise CatalogError(CatalogErrorCode.NOT_YOUR_OUTLET)
    return redirect("catalog:products_import", outlet_id=outlets[0].pk)


@login_required
def products_import(request: HttpRequest, outlet_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    outlets = _outlets(user)
    outlet = _outlet(outlets, outlet_id)
    errors: list[dict[str, object]] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a file to import."))
        else:
            try:
                result = bulk.products_import(
                    actor=user, outlet=outlet, content=upload.read(), filename=upload.name or ""
                )
            except bulk.ImportRejected as e:
                messages.error(request, e.message())
                errors = [x.as_dict(get_language()) for x in e.errors]
            except CatalogError as e:
                messages.error(request, e.message())
            else:
                messages.success(
                    request,
                    _("Imported: %(c)s new, %(u)s updated, %(l)s prices set.")
                    % {"c": result.created, "u": result.updated, "l": result.listed},
                )
                return redirect("catalog:products_import", outlet_id=outlet.pk)
    return render(
        request,
        "catalog/merchant_import.html",
        {
            "outlet": outlet,
            "outlets": outlets,
            "errors": errors,
            "columns": bulk.COLUMNS,
            "lang_en": (get_language() or "").startswith("en"),
        },
    )


@login_required
def products_template(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    return download(bulk.template(fmt), fmt, "linli-products-template")


@login_required
def products_export(request: HttpRequest, outlet_id: int, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    user: User = request.user  # type: ignore[assignment]
    outlet = _outlet(_outlets(user), outlet_id)
    content = bulk.products_export(actor=user, outlet=outlet, fmt=fmt)
    return download(content, fmt, f"products-{outlet.pk}-{timezone.localdate():%Y%m%d}")
