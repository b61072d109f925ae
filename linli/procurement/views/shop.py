"""Shop staff pages: suppliers, purchase orders (edit, send, receive), joint rounds."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.catalog.models import Product
from linli.core.errors import LinliError
from linli.procurement import access, selectors, services
from linli.procurement.errors import ProcurementError, ProcurementErrorCode
from linli.procurement.models import PurchaseOrder, Supplier, SupplierProduct
from linli.procurement.views._helpers import date_or, fen_or, int_or, user_of, whole
from linli.shops.models import Membership

E = ProcurementErrorCode


@login_required
def suppliers(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    merchants = list(
        Membership.objects.filter(user=user)
        .exclude(role=Membership.Role.FRANCHISEE)
        .select_related("merchant")
    )
    if request.method == "POST":
        p = request.POST
        merchant = next(
            (m.merchant for m in merchants if m.merchant_id == int_or(p.get("merchant"))), None
        )
        try:
            s = services.supplier_register(
                actor=user,
                merchant=merchant,
                name=p.get("name", ""),
                kind=p.get("kind", ""),
                uscc=p.get("uscc", ""),
                accept_legacy=bool(p.get("accept_legacy")),
                phone=p.get("phone", ""),
                region=p.get("region", ""),
                lead_time_days=int_or(p.get("lead_time_days"), 2) or 0,
            )
            messages.success(request, _("Supplier registered."))
            return redirect("procurement:supplier", supplier_id=s.pk)
        except LinliError as e:
            messages.error(request, e.message())
    q = (request.GET.get("q") or "").strip()[:40]
    return render(
        request,
        "procurement/suppliers.html",
        {
            "suppliers": list(selectors.supplier_list(q=q)),
            "q": q,
            "kinds": Supplier.Kind.choices,
            "merchants": [m.merchant for m in merchants],
            "form": request.POST if request.method == "POST" else {},
        },
    )


@login_required
def supplier(request: HttpRequest, supplier_id: int) -> HttpResponse:
    user = user_of(request)
    s = selectors.supplier_get(supplier_id=supplier_id)
    editor = access.can_edit_supplier(user, s)
    if request.method == "POST":
        p = request.POST
        try:
            if p.get("action") == "tiers":
                sp = SupplierProduct.objects.filter(pk=int_or(p.get("product")), supplier=s).first()
                if sp is None:
                    raise ProcurementError(E.PRODUCT_NOT_FOUND)
                tiers = []
                for q, price in zip(p.getlist("tier_qty"), p.getlist("tier_price"), strict=False):
                    if q or price:
                        tiers.append((whole(q), fen_or(price) or -1))
                services.price_tiers_set(actor=user, supplier_product=sp, tiers=tiers)
            else:
                services.supplier_product_upsert(
                    actor=user,
                    supplier=s,
                    name=p.get("name", ""),
                    price_fen=fen_or(p.get("price")) or -1,
                    unit=p.get("unit", "kg"),
                    spec=p.get("spec", ""),
                    origin=p.get("origin", ""),
                    available_quantity=whole(p.get("available")),
                    shelf_life_days=int_or(p.get("shelf_life_days")) or None,
                )
            messages.success(request, _("Saved."))
            return redirect("procurement:supplier", supplier_id=s.pk)
        except LinliError as e:
            messages.error(request, e.message())
    return render(
        request,
        "procurement/supplier.html",
        {"supplier": s, "products": selectors.supplier_products(supplier=s), "editor": editor},
    )


@login_required
def po_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    outlets = list(access.outlets_for(user))
    if request.method == "POST":
        outlet = next((o for o in outlets if o.pk == int_or(request.POST.get("outlet"))), None)
        s = Supplier.objects.filter(pk=int_or(request.POST.get("supplier")), active=True).first()
        try:
            if outlet is None:
                raise ProcurementError(E.NOT_YOUR_OUTLET)
            if s is None:
                raise ProcurementError(E.SUPPLIER_NOT_FOUND)
            po = services.purchase_order_create_draft(actor=user, outlet=outlet, supplier=s)
            return redirect("procurement:po", po_id=po.pk)
        except LinliError as e:
            messages.error(request, e.message())
    status = request.GET.get("status") or None
    outlet_id = int_or(request.GET.get("outlet")) or None
    orders = list(
        selectors.purchase_orders_for_user(user=user, outlet_id=outlet_id, status=status)[:100]
    )
    return render(
        request,
        "procurement/po_list.html",
        {
            "orders": orders,
            "outlets": outlets,
            "suppliers": list(selectors.supplier_list()),
            "statuses": PurchaseOrder.Status.choices,
            "status": status,
            "outlet_id": outlet_id,
        },
    )


def _po_post(request: HttpRequest, po: PurchaseOrder) -> None:
    user = user_of(request)
    p = request.POST
    action = p.get("action")
    if action == "add_line":
        services.purchase_order_line_add(
            actor=user,
            purchase_order=po,
            line=services.LineSpec(
                product_id=int_or(p.get("product"), 0) or 0,
                quantity=whole(p.get("quantity")),
                unit_price_fen=fen_or(p.get("price")),
                supplier_product_id=int_or(p.get("supplier_product")) or None,
            ),
        )
    elif action == "remove_line":
        services.purchase_order_line_remove(
            actor=user, purchase_order=po, line_id=int_or(p.get("line"), 0) or 0
        )
    elif action == "send":
        services.purchase_order_send(actor=user, purchase_order=po)
        messages.success(request, _("Sent to the supplier."))
    elif action == "cancel":
        services.purchase_order_cancel(actor=user, purchase_order=po)
    elif action == "receive":
        lines = [
            services.ReceiveLine(
                po_line_id=ln.pk,
                quantity=whole(p.get(f"qty_{ln.pk}")),
                batch_no=p.get(f"batch_{ln.pk}", ""),
                production_date=date_or(p.get(f"prod_{ln.pk}")),
                expiry_date=date_or(p.get(f"exp_{ln.pk}")),
                origin=p.get(f"origin_{ln.pk}", ""),
                rejected=whole(p.get(f"rej_{ln.pk}")),
                note=p.get(f"note_{ln.pk}", ""),
            )
            for ln in po.lines.all()
        ]
        services.purchase_order_receive(
            actor=user,
            purchase_order=po,
            lines=lines,
            close=bool(p.get("close")),
            accept_over=bool(p.get("accept_over")),
        )
        messages.success(request, _("Received into stock."))


@login_required
def po_detail(request: HttpRequest, po_id: int) -> HttpResponse:
    user = user_of(request)
    po = selectors.purchase_order_get_for_user(user=user, po_id=po_id)
    if request.method == "POST":
        try:
            _po_post(request, po)
            return redirect("procurement:po", po_id=po.pk)
        except LinliError as e:
            messages.error(request, e.message())
    lines = list(po.lines.all())
    return render(
        request,
        "procurement/po_detail.html",
        {
            "po": po,
            "lines": lines,
            "total_fen": sum(ln.line_total_fen for ln in lines),
            "products": list(
                Product.objects.filter(merchant_id=po.outlet.merchant_id, active=True).order_by(
                    "name"
                )
            ),
            "supplier_products": selectors.supplier_products(supplier=po.supplier),
            "receivable": po.status in ("sent", "partly_received"),
            "today": timezone.localdate(),
            "discrepancies": [d for ln in lines for d in ln.discrepancies.all()],
        },
    )


@login_required
def rounds(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if request.method == "POST":
        p = request.POST
        sp = SupplierProduct.objects.filter(pk=int_or(p.get("supplier_product"))).first()
        try:
            if sp is None:
                raise ProcurementError(E.PRODUCT_NOT_FOUND)
            deadline = None
            try:
                deadline = timezone.make_aware(datetime.fromisoformat(p.get("deadline", "")))
            except ValueError:
                raise ProcurementError(E.ROUND_DEADLINE_INVALID) from None
            rnd = services.round_open(
                actor=user, supplier_product=sp, title=p.get("title", ""), deadline=deadline
            )
            return redirect("procurement:round", round_id=rnd.pk)
        except LinliError as e:
            messages.error(request, e.message())
    return render(
        request,
        "procurement/rounds.html",
        {
            "rounds": selectors.rounds_list(user=user),
            "can_open": access.can_coordinate(user),
            "supplier_products": list(
                SupplierProduct.objects.filter(active=True, supplier__active=True)
                .select_related("supplier")
                .prefetch_related("tiers")
            ),
            "default_deadline": (timezone.localtime() + timedelta(days=2)).strftime(
                "%Y-%m-%dT18:00"
            ),
        },
    )


@login_required
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    user = user_of(request)
    rnd = selectors.round_get(user=user, round_id=round_id)
    outlets = list(access.outlets_for(user))
    if request.method == "POST":
        p = request.POST
        try:
            if p.get("action") == "close":
                services.round_close(actor=user, joint_round=rnd)
            else:
                outlet = next((o for o in outlets if o.pk == int_or(p.get("outlet"))), None)
                if outlet is None:
                    raise ProcurementError(E.NOT_YOUR_OUTLET)
                services.round_commit(
                    actor=user, joint_round=rnd, outlet=outlet, quantity=whole(p.get("quantity"))
                )
                messages.success(request, _("Commitment saved."))
            return redirect("procurement:round", round_id=rnd.pk)
        except LinliError as e:
            messages.error(request, e.message())
    mine = {c.outlet_id: c for c in rnd.mine}  # type: ignore[attr-defined]
    return render(
        request,
        "procurement/round_detail.html",
        {
            "round": rnd,
            "rows": [(o, mine.get(o.pk)) for o in outlets],
            "open": rnd.status == "open" and rnd.deadline > timezone.now(),
            "saved_total": sum(c.saved_fen or 0 for c in mine.values()),
        },
    )
