"""Pages: the resident's cart, checkout and orders; the shop's order board."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts.models import User
from linli.core import fulfilment
from linli.core.errors import LinliError
from linli.core.storage import coldest
from linli.orders import selectors, services
from linli.orders.domain import HOLDING, PAID_STATES, Actor, Status
from linli.orders.qr import pickup_qr_svg
from linli.payments.services import payment_prepay


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _cart_context(resident: User) -> dict[str, Any]:
    lines = selectors.cart_lines_for(resident=resident)
    groups: dict[int, dict[str, Any]] = {}
    for ln in lines:
        g = groups.setdefault(
            ln.listing.outlet_id,
            {"outlet": ln.listing.outlet, "lines": [], "subtotal": 0, "options": []},
        )
        g["lines"].append(ln)
        g["subtotal"] += ln.listing.price_fen * ln.quantity
    for outlet_id, g in groups.items():
        products = [(ln.listing.product, ln.quantity) for ln in g["lines"]]
        parcel = fulfilment.Parcel(
            outlet_id=outlet_id,
            volume_ml=sum((p.volume_ml or 0) * q for p, q in products),
            weight_g=sum((p.weight_g or 0) * q for p, q in products),
            storage=coldest([p.storage for p, _ in products]),
        )
        g["options"] = [
            opt
            for p in fulfilment.all_providers()
            for opt in p.options(resident_id=resident.pk, parcel=parcel)
        ]
    total = sum(g["subtotal"] for g in groups.values())
    return {"groups": list(groups.values()), "total": total, "key": uuid.uuid4().hex}


@login_required
def cart(request: HttpRequest) -> HttpResponse:
    template = "orders/_cart.html" if request.headers.get("HX-Request") else "orders/cart.html"
    return render(request, template, _cart_context(_user(request)))


@login_required
@require_POST
def cart_set(request: HttpRequest) -> HttpResponse:
    """Add to or change the cart from any page; htmx gets the fresh cart (or a count badge)."""
    resident = _user(request)
    try:
        services.cart_line_set(
            resident=resident,
            listing_id=_int(request.POST.get("listing_id")),
            quantity=_int(request.POST.get("quantity"), -1),
        )
    except LinliError as e:
        if request.headers.get("HX-Request"):
            raise
        messages.error(request, e.message())
    if request.POST.get("next") == "badge":
        return render(
            request, "orders/_cart_badge.html", {"count": selectors.cart_count(resident=resident)}
        )
    if request.headers.get("HX-Request"):
        return render(request, "orders/_cart.html", _cart_context(resident))
    return redirect("orders:cart")


@login_required
@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    """One more of a listing, from a shop or search page; answers with the cart badge."""
    resident = _user(request)
    services.cart_line_add(resident=resident, listing_id=_int(request.POST.get("listing_id")))
    if request.headers.get("HX-Request"):
        response = render(
            request, "orders/_cart_badge.html", {"count": selectors.cart_count(resident=resident)}
        )
        response["HX-Trigger"] = json.dumps(
            {"toast": {"message": _("Added to cart"), "kind": "success"}}
        )
        return response
    nxt = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()})
    return redirect(nxt if nxt and safe else "orders:cart")


@login_required
@require_POST
def checkout(request: HttpRequest) -> HttpResponse:
    resident = _user(request)
    choices = {}
    for key, value in request.POST.items():
        if key.startswith("method-"):
            outlet_id = _int(key.removeprefix("method-"))
            method, data = parse_choice(str(value))
            choices[outlet_id] = services.CheckoutChoice(outlet_id, method, data)
    try:
        result = services.checkout_submit(
            resident=resident,
            idempotency_key=request.POST.get("key", ""),
            choices=choices,
            expected_total_fen=_int(request.POST.get("expected_total"), -1),
        )
    except LinliError as e:
        messages.error(request, e.message())
        return render(request, "orders/cart.html", _cart_context(resident), status=e.status)
    if result.payment is None:
        return redirect("orders:list")
    prepay = payment_prepay(
        payment=result.payment,
        return_url=request.build_absolute_uri(reverse("orders:list")),
        fresh=True,  # just created, or just read with the checkout
    )
    return redirect(getattr(prepay, "pay_url", "") or "orders:list")


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    orders = selectors.order_list_for_resident(resident=_user(request))
    return render(request, "orders/list.html", {"orders": orders})


@login_required
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    resident = _user(request)
    order = selectors.order_get_for_resident(resident=resident, order_id=order_id)
    status = Status(order.status)
    show_code = status in (HOLDING & PAID_STATES)
    return render(
        request,
        "orders/detail.html",
        {
            "order": order,
            "timeline": selectors.order_timeline(order),
            "show_code": show_code,
            "qr": pickup_qr_svg(order) if show_code else "",
            "can_cancel": status in (Status.PLACED, Status.PAID),
            "can_complete": status == Status.PICKED_UP,
            "locked": order.pickup_tries >= services.lifecycle.max_pickup_tries(),
        },
    )


@login_required
@require_POST
def order_action(request: HttpRequest, order_id: int, action: str) -> HttpResponse:
    resident = _user(request)
    try:
        if action == "cancel":
            services.order_cancel(
                actor=resident,
                order_id=order_id,
                reason=request.POST.get("reason") or "顾客取消",
                actor_kind=Actor.RESIDENT,
            )
            messages.success(request, _("The order was cancelled."))
        elif action == "complete":
            services.order_complete(resident=resident, order_id=order_id)
            messages.success(request, _("Thank you! The order is complete."))
        elif action == "new-code":
            services.order_pickup_code_refresh(resident=resident, order_id=order_id)
            messages.success(request, _("A new pickup code was issued."))
    except LinliError as e:
        messages.error(request, e.message())
    return redirect("orders:detail", order_id=order_id)


# --- the shop's order board -------------------------------------------------------------


def _board_context(request: HttpRequest) -> dict[str, Any]:
    outlet = _int(request.GET.get("outlet")) or None
    board = selectors.order_board_for_shop(actor=_user(request), outlet_id=outlet)
    return {
        "board": board,
        "new_count": len(board[Status.PAID]),
        "columns": [
            (Status.PAID, _("New"), board[Status.PAID]),
            (Status.ACCEPTED, _("Preparing"), board[Status.ACCEPTED]),
            (Status.READY, _("Ready for pickup"), board[Status.READY]),
        ],
    }


@login_required
def board(request: HttpRequest) -> HttpResponse:
    template = "orders/_board.html" if request.headers.get("HX-Request") else "orders/board.html"
    return render(request, template, _board_context(request))


@login_required
@require_POST
def board_action(request: HttpRequest, order_id: int, action: str) -> HttpResponse:
    actor = _user(request)
    try:
        if action == "accept":
            services.order_accept(actor=actor, order_id=order_id)
        elif action == "ready":
            services.order_mark_ready(actor=actor, order_id=order_id)
        elif action == "handover":
            code = parse_scanned_code(request.POST.get("code", ""))
            services.order_pickup_verify(actor=actor, order_id=order_id, code=code)
            messages.success(request, _("Handed over."))
        elif action == "cancel":
            services.order_cancel(
                actor=actor,
                order_id=order_id,
                reason=request.POST.get("reason") or "商家取消",
                actor_kind=Actor.SHOP,
            )
    except LinliError as e:
        messages.error(request, e.message())
    if request.headers.get("HX-Request"):
        return render(request, "orders/_board.html", _board_context(request))
    return redirect("orders:board")


def parse_scanned_code(raw: str) -> str:
    """A handheld scanner types the QR payload `linli:pickup:<number>:<code>`; staff may type
    just the six digits."""
    raw = (raw or "").strip()
    return raw.rsplit(":", 1)[-1] if raw.startswith("linli:pickup:") else raw


def parse_choice(value: str) -> tuple[str, dict[str, Any]]:
    """`delivery_slot|{"slot_id": 7}` → ("delivery_slot", {"slot_id": 7}); bad data is dropped
    and the provider then answers with its own clear error or default."""
    method, _, raw = value.partition("|")
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        data = {}
    return method, data if isinstance(data, dict) else {}
