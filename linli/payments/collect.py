"""payments' side of `linli.core.collection`: collect money for a reference of another app, and
tell that app when it is captured. Registered in PaymentsConfig.ready()."""

from __future__ import annotations

import logging

from django.conf import settings

from linli.accounts.models import User
from linli.core import collection
from linli.core.errors import CoreError, CoreErrorCode
from linli.payments.errors import PaymentsError, PaymentsErrorCode
from linli.payments.events import PaymentCaptured
from linli.payments.models import Payment
from linli.payments.services import payment_create, payment_prepay

log = logging.getLogger("linli.payments")

MAX_ATTEMPTS = 20


def collect_gateway() -> str:
    return str(getattr(settings, "LINLI_PAYMENTS_COLLECT_GATEWAY", "sandbox"))


class PaymentsCollector:
    """One payment per (payer, reference, amount) at a time.

    The first attempt uses the caller's idempotency key; when that payment was closed unpaid
    (the unpaid-close job), the next attempt gets `<key>:<n>`, so a resident who comes back the
    next day can still pay, and a repeated call never creates a second open payment."""

    def collect(
        self,
        *,
        payer_id: int,
        amount_fen: int,
        reference: str,
        subject: str,
        idempotency_key: str,
        return_url: str = "",
    ) -> collection.Collection:
        payer = User.objects.filter(pk=payer_id, is_active=True).first()
        if payer is None:
            raise CoreError(CoreErrorCode.PERMISSION_DENIED)
        mine = Payment.objects.filter(payer=payer, reference=reference, amount_fen=amount_fen)
        for _ in range(2):  # a second round only when the close job won a race with us
            captured = mine.filter(status=Payment.Status.CAPTURED).first()
            if captured is not None:
                return collection.Collection(paid=True, payment_id=captured.pk)
            payment = mine.filter(status__in=Payment.OPEN_STATUSES).order_by("-pk").first()
            if payment is None:
                attempt = Payment.objects.filter(payer=payer, reference=reference).count() + 1
                if attempt > MAX_ATTEMPTS:
                    raise PaymentsError(PaymentsErrorCode.GATEWAY_ERROR)
                payment = payment_create(
                    payer=payer,
                    amount_fen=amount_fen,
                    reference=reference,
                    subject=subject,
                    idempotency_key=idempotency_key
                    if attempt == 1
                    else f"{idempotency_key}:{attempt}",
                    gateway=collect_gateway(),
                )
            try:
                result = payment_prepay(payment=payment, return_url=return_url)
            except PaymentsError as e:
                if e.code in (PaymentsErrorCode.ALREADY_PAID, PaymentsErrorCode.ALREADY_CLOSED):
                    continue
                raise
            return collection.Collection(
                paid=False, pay_url=result.pay_url, kind=result.kind, payment_id=payment.pk
            )
        raise PaymentsError(PaymentsErrorCode.GATEWAY_ERROR)


def on_payment_captured(event: PaymentCaptured) -> None:
    """Forward a capture to the app that owns the reference (after commit, once per payment)."""
    payer_id = event.payer_id
    if payer_id is None:
        payer_id = (
            Payment.objects.filter(pk=event.payment_id).values_list("payer_id", flat=True).first()
        )
    if payer_id is None:  # pragma: no cover - the payment was just captured
        return
    collection.reference_paid(
        collection.Paid(
            reference=event.reference,
            payment_id=event.payment_id,
            payer_id=payer_id,
            amount_fen=event.amount_fen,
        )
    )
