"""Traceability and recall (shop staff), the chain page, the supplier portal, the resident's
origin page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from linli.catalog.models import Product
from linli.core.errors import LinliError
from linli.procurement import access, selectors, services
from linli.procurement.errors import ProcurementError, ProcurementErrorCode
from linli.procurement.views._helpers import fen_or, int_or, user_of, whole
from linli.shops.models import Membership, Outlet

E = ProcurementErrorCode


@login_required
def recall(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    batch = (request.GET.get("batch") or request.POST.get("batch") or "").strip()[:40]
    if request.method == "POST":
        try:
            r = services.recall_create(
                actor=user, batch_no=batch, reason=request.POST.get("reason", "")
            )
            messages.success(
                request,
                _("Batch %(b)s recalled: %(w)s written off, %(n)s residents notified.")
                % {"b": r.batch_no, "w": r.units_written_off, "n": r.residents_notified},
            )
            return redirect("procurement:recall")
        except LinliError as e:
            messages.error(request, e.message())
    return render(
        request,
        "procurement/recall.html",
        {
            "batch": batch,
            "lots": selectors.lots_by_batch_for_user(user=user, batch_no=batch),
            "recalls": selectors.recalls_for_user(user=user),
        },
    )


@login_required
def lot_trace(request: HttpRequest, lot_id: int) -> HttpResponse:
    t = selectors.lot_trace_for_user(user=user_of(request), lot_id=lot_id)
    return render(request, "procurement/lot_trace.html", {"t": t})


@login_required
def chain(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    heads = list(
        Membership.objects.filter(user=user, role__in=access.HEAD_OFFICE).select_related("merchant")
    )
    if not heads:
        raise ProcurementError(E.NOT_HEAD_OFFICE)
    merchant = next(
        (m.merchant for m in heads if m.merchant_id == int_or(request.GET.get("merchant"))),
        heads[0].merchant,
    )
    if request.method == "POST":
        p = request.POST
        product = Product.objects.filter(
            pk=int_or(p.get("product")), merchant_id=merchant.pk
        ).first()
        try:
            if product is None:
                raise ProcurementError(E.PRODUCT_NOT_FOUND)
            if p.get("action") == "transfer":
                src = Outlet.objects.filter(pk=int_or(p.get("from")), merchant=merchant).first()
                dst = Outlet.objects.filter(pk=int_or(p.get("to")), merchant=merchant).first()
                if src is None or dst is None:
                    raise ProcurementError(E.NOT_YOUR_OUTLET)
                services.chain_transfer(
                    actor=user,
                    from_outlet=src,
                    to_outlet=dst,
                    product=product,
                    quantity=whole(p.get("quantity")),
                )
                messages.success(request, _("Transferred."))
            elif p.get("action") == "assortment":
                ids = [int(x) for x in p.getlist("outlets") if x.isdigit()]
                services.chain_assortment_set(
                    actor=user, product=product, outlet_ids=ids, price_fen=fen_or(p.get("price"))
                )
                messages.success(request, _("Assortment saved."))
            else:
                services.chain_price_set(
                    actor=user, product=product, price_fen=fen_or(p.get("price")) or -1
                )
                messages.success(request, _("Price set at every outlet."))
            return redirect(f"{request.path}?merchant={merchant.pk}")
        except LinliError as e:
            messages.error(request, e.message())
    outlets, rows = selectors.chain_overview(user=user, merchant_id=merchant.pk)
    return render(
        request,
        "procurement/chain.html",
        {"merchant": merchant, "heads": heads, "outlets": outlets, "rows": rows},
    )


@login_required
def portal(request: HttpRequest) -> HttpResponse:
    """The supplier portal: its products, prices, tiered quotes and the orders sent to it."""
    user = user_of(request)
    mine = selectors.suppliers_for_member(user=user)
    if not mine:
        raise ProcurementError(E.SUPPLIER_NOT_FOUND)
    s = next((x for x in mine if x.pk == int_or(request.GET.get("supplier"))), mine[0])
    return render(
        request,
        "procurement/portal.html",
        {
            "supplier": s,
            "suppliers": mine,
            "products": selectors.supplier_products(supplier=s),
            "orders": list(
                selectors.purchase_orders_for_supplier(user=user, supplier_id=s.pk)[:100]
            ),
        },
    )


def listing_origin(request: HttpRequest, listing_id: int) -> HttpResponse:
    """For residents: where the goods on the shelf came from."""
    listing, lots = selectors.listing_trace_public(listing_id=listing_id)
    return render(request, "procurement/origin.html", {"listing": listing, "lots": lots})
