"""The sandbox cashier: the demo's stand-in for WeChat's or Alipay's payment page.

Confirming does not capture anything here: like a real gateway, the sandbox then sends a signed
asynchronous notification (Celery task) to the notify service, which captures.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from linli.core.money import format_fen
from linli.payments.gateways import gateway_enabled
from linli.payments.models import Payment
from linli.payments.tasks import sandbox_deliver_notification


def _payment(request: HttpRequest, out_trade_no: str) -> Payment:
    if not gateway_enabled("sandbox"):
        raise Http404
    payment = Payment.objects.filter(
        out_trade_no=out_trade_no, gateway="sandbox", payer_id=request.user.pk
    ).first()
    if payment is None:
        raise Http404
    return payment


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def sandbox_cashier(request: HttpRequest, out_trade_no: str) -> HttpResponse:
    payment = _payment(request, out_trade_no)
    next_url = _next(request)
    if request.method == "POST":
        done = reverse("payments:sandbox_result", args=[payment.out_trade_no])
        if request.POST.get("action") == "pay" and payment.status in Payment.OPEN_STATUSES:
            transaction.on_commit(
                lambda: sandbox_deliver_notification.delay(out_trade_no=payment.out_trade_no)
            )
            return redirect(next_url or done)
        return redirect(next_url or f"{done}?cancelled=1")
    return render(
        request,
        "payments/sandbox_cashier.html",
        {
            "payment": payment,
            "amount": format_fen(payment.amount_fen, symbol=False),  # .price adds the ¥
            "next_url": next_url,
            "open": payment.status in Payment.OPEN_STATUSES,
        },
    )


@login_required
def sandbox_result(request: HttpRequest, out_trade_no: str) -> HttpResponse:
    payment = _payment(request, out_trade_no)
    return render(
        request,
        "payments/sandbox_result.html",
        {
            "payment": payment,
            "amount": format_fen(payment.amount_fen, symbol=False),
            "cancelled": request.GET.get("cancelled") == "1",
            "waiting": payment.status in Payment.OPEN_STATUSES
            and request.GET.get("cancelled") != "1",
        },
    )
