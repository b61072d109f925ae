"""/api/v1/payments/: gateway notify endpoints (no auth, signature-verified), payment status for
the payer, prepay, refunds for platform admins."""

from __future__ import annotations

import json
from dataclasses import asdict

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from linli.accounts.models import User
from linli.core.money import format_fen
from linli.payments import selectors, services
from linli.payments.errors import PaymentsError, PaymentsErrorCode
from linli.payments.gateways import gateway_enabled, gateway_get
from linli.payments.models import Payment, Refund
from linli.payments.schemas import PaymentOut, PrepayIn, PrepayOut, RefundIn, RefundOut

router = Router(tags=["payments"])


def _refund_out(r: Refund) -> RefundOut:
    return RefundOut(
        id=r.pk,
        out_refund_no=r.out_refund_no,
        amount_fen=r.amount_fen,
        reason=r.reason,
        status=r.status,
        created_at=r.created_at,
        completed_at=r.completed_at,
    )


def _payment_out(p: Payment) -> PaymentOut:
    return PaymentOut(
        id=p.pk,
        out_trade_no=p.out_trade_no,
        status=p.status,
        gateway=p.gateway,
        amount_fen=p.amount_fen,
        amount=format_fen(p.amount_fen),
        currency=p.currency,
        reference=p.reference,
        subject=p.subject,
        refunded_fen=p.refunded_fen,
        created_at=p.created_at,
        captured_at=p.captured_at,
        refunds=[_refund_out(r) for r in p.refunds.all()],
    )


@router.post("/notify/{gateway}", auth=None, response={200: dict, 400: dict})
def notify(request: HttpRequest, gateway: str) -> HttpResponse:
    """A gateway's asynchronous payment notification. Verified by signature; the only way money
    is captured. Answers in the gateway's own format (WeChat `{"code": "SUCCESS"}`, Alipay
    `success`); a failure answer makes the gateway retry."""
    if not gateway_enabled(gateway):
        # logs the notification and raises gateway_unknown → {"code", "detail"}
        services.payment_notify(gateway=gateway, headers=dict(request.headers), body=request.body)
    gw = gateway_get(gateway)
    try:
        services.payment_notify(gateway=gateway, headers=dict(request.headers), body=request.body)
    except PaymentsError as e:
        if gateway == "sandbox":
            return HttpResponse(
                json.dumps(e.as_dict(), ensure_ascii=False),
                status=e.status,
                content_type="application/json",
            )
        ack = gw.ack(False, e.spec.code, status=e.status)
    else:
        ack = gw.ack(True)
    return HttpResponse(ack.body, status=ack.status, content_type=ack.content_type)


@router.get("/{out_trade_no}", response=PaymentOut)
def payment_detail(request: HttpRequest, out_trade_no: str) -> PaymentOut:
    """A payment's status, for its payer (or a platform admin)."""
    user: User = request.user  # type: ignore[assignment]
    return _payment_out(selectors.payment_get_for_user(user=user, out_trade_no=out_trade_no))


@router.post("/{out_trade_no}/prepay", response=PrepayOut)
def payment_prepay(request: HttpRequest, out_trade_no: str, payload: PrepayIn) -> PrepayOut:
    """What the client needs to pay (cashier URL, QR code URL or WeChat JSAPI/app params)."""
    user: User = request.user  # type: ignore[assignment]
    payment = selectors.payment_get_for_user(user=user, out_trade_no=out_trade_no)
    if payment.payer_id != user.pk:
        raise PaymentsError(PaymentsErrorCode.PAYMENT_NOT_FOUND)
    result = services.payment_prepay(payment=payment, return_url=payload.return_url)
    return PrepayOut(**asdict(result))


@router.post("/{out_trade_no}/refunds", response={201: RefundOut})
def refund_create(request: HttpRequest, out_trade_no: str, payload: RefundIn) -> Status[RefundOut]:
    """Refund all or part of a captured payment (platform admins only; idempotent by key)."""
    user: User = request.user  # type: ignore[assignment]
    payment = selectors.payment_get_for_user(user=user, out_trade_no=out_trade_no)
    refund = services.refund_create(
        payment=payment,
        amount_fen=payload.amount_fen,
        reason=payload.reason,
        idempotency_key=payload.idempotency_key,
        actor=user,
    )
    return Status(201, _refund_out(refund))
