"""Writes for payments: create, prepay, capture by notification (exactly once), close, refund.

Money is captured only by `payment_notify`, the service behind /api/v1/payments/notify/<gateway>
(and behind the sandbox cashier's asynchronous notification). Capture and refund are conditional
UPDATEs (`… WHERE status IN (created, pending)`, `… WHERE refunded_fen + n <= amount_fen`), so
concurrent deliveries and concurrent refunds cannot double-capture or over-refund; a
CheckConstraint on Payment backs the refund sum up.

Gateway network calls (WeChat/Alipay prepay, refund, close) are made outside our row locks:
`payment_prepay`, `payment_close` and `refund_create` run their database steps in their own short
transactions around the call instead of one `@transaction.atomic` around everything.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from linli.accounts.models import Role, User
from linli.core.errors import CoreError, CoreErrorCode
from linli.core.events import publish
from linli.payments.errors import PaymentsError, PaymentsErrorCode
from linli.payments.events import PaymentCaptured, RefundSucceeded
from linli.payments.gateways import gateway_enabled, gateway_get
from linli.payments.gateways.base import (
    GatewayUnavailable,
    Notification,
    PrepayResult,
    RefundResult,
    SignatureInvalid,
    lower_headers,
)
from linli.payments.models import Payment, PaymentNotification, Refund

log = logging.getLogger("linli.payments")

MAX_LOGGED_BODY = 65536
LOGGED_HEADERS = ("content-type", "user-agent", "x-forwarded-for")


def _new_number(prefix: str) -> str:
    """'LL' + local date + 14 hex digits: 24 characters, unique enough, sortable by day."""
    return f"{prefix}{timezone.localdate():%Y%m%d}{secrets.token_hex(7).upper()}"


def _check_amount(amount_fen: int) -> None:
    if not isinstance(amount_fen, int) or isinstance(amount_fen, bool) or amount_fen <= 0:
        raise PaymentsError(PaymentsErrorCode.AMOUNT_INVALID)


def _check_key(idempotency_key: str) -> None:
    if not idempotency_key or len(idempotency_key) > 80:
        raise CoreError(CoreErrorCode.INVALID_INPUT, reason="idempotency_key: 1-80 characters")


# --- payments -------------------------------------------------------------------------------


def _same_payment(existing: Payment, *, amount_fen: int, reference: str, gateway: str) -> Payment:
    if (existing.amount_fen, existing.reference, existing.gateway) != (
        amount_fen,
        reference,
        gateway,
    ):
        raise PaymentsError(PaymentsErrorCode.IDEMPOTENCY_MISMATCH)
    return existing


def payment_create(
    *,
    payer: User,
    amount_fen: int,
    reference: str,
    subject: str,
    idempotency_key: str,
    gateway: str = "sandbox",
) -> Payment:
    """Create a payment, or return the one this payer already created with this key.

    Concurrent calls with the same key meet at the unique (payer, idempotency_key) constraint:
    the loser gets the IntegrityError, reads the winner's row and returns it. Reusing a key for a
    different amount, reference or gateway is refused (`idempotency_mismatch`). Only the INSERT
    needs a savepoint (to read the winner after losing); the rest is plain reads.
    """
    _check_amount(amount_fen)
    _check_key(idempotency_key)
    if not reference or len(reference) > 64:
        raise CoreError(CoreErrorCode.INVALID_INPUT, reason="reference: 1-64 characters")
    if not gateway_enabled(gateway):
        raise PaymentsError(PaymentsErrorCode.GATEWAY_UNKNOWN, gateway=gateway)
    lookup = Payment.objects.filter(payer=payer, idempotency_key=idempotency_key)
    existing = lookup.first()
    if existing is not None:
        return _same_payment(existing, amount_fen=amount_fen, reference=reference, gateway=gateway)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return Payment.objects.create(
                    payer=payer,
                    amount_fen=amount_fen,
                    reference=reference,
                    subject=(subject or reference)[:128],
                    idempotency_key=idempotency_key,
                    gateway=gateway,
                    out_trade_no=_new_number("LL"),
                )
        except IntegrityError:
            existing = lookup.first()
            if existing is not None:
                return _same_payment(
                    existing, amount_fen=amount_fen, reference=reference, gateway=gateway
                )
            # otherwise an out_trade_no collision: draw another number
    raise PaymentsError(PaymentsErrorCode.GATEWAY_ERROR)  # pragma: no cover


def payment_prepay(
    *,
    payment: Payment,
    return_url: str = "",
    options: Mapping[str, str] | None = None,
    fresh: bool = False,
) -> PrepayResult:
    """Ask the gateway for what the client needs to pay; the payment becomes pending.

    `fresh=True`: the caller has just read or written the payment (e.g. the checkout that
    created it), so it is not read again first. Either way the move to pending is conditional.
    """
    if not fresh:
        payment.refresh_from_db()
    if payment.status in (Payment.Status.CLOSED, Payment.Status.FAILED):
        raise PaymentsError(PaymentsErrorCode.ALREADY_CLOSED)
    if payment.status == Payment.Status.CAPTURED:
        raise PaymentsError(PaymentsErrorCode.ALREADY_PAID)
    gateway = gateway_get(payment.gateway)
    try:
        result = gateway.prepay(payment, return_url=return_url, options=options)
    except GatewayUnavailable as e:
        log.warning("prepay of %s failed: %s", payment.out_trade_no, e)
        raise PaymentsError(PaymentsErrorCode.GATEWAY_ERROR) from e
    now = timezone.now()
    if Payment.objects.filter(pk=payment.pk, status=Payment.Status.CREATED).update(
        status=Payment.Status.PENDING, updated_at=now
    ):
        payment.status, payment.updated_at = Payment.Status.PENDING, now
    else:  # already pending, or a notification or the close job got there first
        payment.refresh_from_db()
    return result


def _log_notification(
    gateway: str, headers: dict[str, str], body: bytes | str, prefixes: tuple[str, ...]
) -> PaymentNotification:
    kept = {
        k: v[:512]
        for k, v in headers.items()
        if k in LOGGED_HEADERS or any(k.startswith(p) for p in prefixes)
    }
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    # one INSERT: committed on its own (autocommit), before any verification
    return PaymentNotification.objects.create(
        gateway=gateway[:32], headers=kept, body=text[:MAX_LOGGED_BODY]
    )


def _set_outcome(note: PaymentNotification, outcome: str, **fields: object) -> None:
    PaymentNotification.objects.filter(pk=note.pk).update(outcome=outcome, **fields)


def payment_notify(*, gateway: str, headers: Mapping[str, str], body: bytes | str) -> Payment:
    """Verify a gateway notification, log it, and capture the payment once.

    Every notification is stored first (its own transaction), verified or not. A verified
    "paid" notification whose amount equals the payment's captures it with one conditional
    UPDATE; only the delivery that moves the row publishes `PaymentCaptured`. Replays return the
    same payment and publish nothing. Raises signature_invalid, payment_not_found,
    amount_mismatch or gateway_unknown (the outcome is logged before raising).
    """
    lowered = lower_headers(headers)
    if not gateway_enabled(gateway):
        note = _log_notification(gateway, lowered, body, ())
        _set_outcome(note, PaymentNotification.Outcome.GATEWAY_UNKNOWN)
        raise PaymentsError(PaymentsErrorCode.GATEWAY_UNKNOWN, gateway=gateway)
    gw = gateway_get(gateway)
    note = _log_notification(gateway, lowered, body, gw.logged_header_prefixes)
    try:
        parsed = gw.parse_notification(lowered, body)
    except SignatureInvalid as e:
        log.warning("rejected %s notification %s: %s", gateway, note.pk, e)
        _set_outcome(note, PaymentNotification.Outcome.SIGNATURE_INVALID)
        raise PaymentsError(PaymentsErrorCode.SIGNATURE_INVALID) from e
    payment, error = _capture(gateway, parsed, note)
    if error is not None:
        raise error
    assert payment is not None
    return payment


def _capture(
    gateway: str, n: Notification, note: PaymentNotification
) -> tuple[Payment | None, PaymentsError | None]:
    Outcome = PaymentNotification.Outcome
    error: PaymentsError | None = None
    with transaction.atomic():
        payment = Payment.objects.filter(gateway=gateway, out_trade_no=n.out_trade_no).first()
        fields: dict[str, object] = {"verified": True, "out_trade_no": n.out_trade_no[:32]}
        if payment is None:
            outcome = Outcome.PAYMENT_NOT_FOUND
            error = PaymentsError(PaymentsErrorCode.PAYMENT_NOT_FOUND)
        else:
            fields["payment"] = payment
            if n.amount_fen != payment.amount_fen:
                log.error(
                    "amount mismatch on %s: expected %s, notified %s",
                    payment.out_trade_no,
                    payment.amount_fen,
                    n.amount_fen,
                )
                outcome = Outcome.AMOUNT_MISMATCH
                error = PaymentsError(
                    PaymentsErrorCode.AMOUNT_MISMATCH, expected=payment.amount_fen, got=n.amount_fen
                )
            elif not n.paid:
                outcome = Outcome.NOT_PAID
            else:
                now = timezone.now()
                moved = Payment.objects.filter(
                    pk=payment.pk, status__in=Payment.OPEN_STATUSES
                ).update(
                    status=Payment.Status.CAPTURED,
                    transaction_id=n.transaction_id or None,
                    captured_at=now,
                    updated_at=now,
                )
                if moved:  # this delivery moved the row: we know what it holds now
                    payment.status = Payment.Status.CAPTURED
                    payment.transaction_id = n.transaction_id or None
                    payment.captured_at = payment.updated_at = now
                    outcome = Outcome.CAPTURED
                    publish(
                        PaymentCaptured(
                            payment_id=payment.pk,
                            reference=payment.reference,
                            amount_fen=payment.amount_fen,
                            payer_id=payment.payer_id,
                        )
                    )
                else:
                    payment.refresh_from_db()
                    if payment.status == Payment.Status.CAPTURED:
                        outcome = Outcome.DUPLICATE
                    else:
                        # Money arrived for a payment we had closed: needs a refund by hand.
                        log.error(
                            "payment %s paid after it was %s", payment.out_trade_no, payment.status
                        )
                        outcome = Outcome.LATE
        _set_outcome(note, outcome, **fields)
    return payment, error


def payment_close(*, payment: Payment) -> Payment:
    """Close an unpaid payment (timeout, order cancelled). Closing twice is fine; paid is not."""
    payment.refresh_from_db()
    if payment.status == Payment.Status.CAPTURED:
        raise PaymentsError(PaymentsErrorCode.ALREADY_PAID)
    if payment.status in (Payment.Status.CLOSED, Payment.Status.FAILED):
        return payment
    if payment.status == Payment.Status.PENDING:
        # Close at the gateway first, so the payer cannot pay after we gave up on the payment.
        try:
            gateway_get(payment.gateway).close(payment)
        except GatewayUnavailable as e:
            raise PaymentsError(PaymentsErrorCode.GATEWAY_ERROR) from e
    with transaction.atomic():
        now = timezone.now()
        Payment.objects.filter(pk=payment.pk, status__in=Payment.OPEN_STATUSES).update(
            status=Payment.Status.CLOSED, closed_at=now, updated_at=now
        )
    payment.refresh_from_db()
    if payment.status == Payment.Status.CAPTURED:  # a notification won the race
        raise PaymentsError(PaymentsErrorCode.ALREADY_PAID)
    return payment


def payments_close_expired(*, older_than_minutes: int | None = None) -> int:
    """Close unpaid payments created more than N minutes ago (the periodic job). Returns how many."""
    minutes = older_than_minutes or settings.LINLI_PAYMENTS_UNPAID_CLOSE_MINUTES
    cutoff = timezone.now() - timedelta(minutes=minutes)
    closed = 0
    stale = Payment.objects.filter(status__in=Payment.OPEN_STATUSES, created_at__lt=cutoff)
    for payment in stale.order_by("pk")[:500]:
        try:
            if payment_close(payment=payment).status == Payment.Status.CLOSED:
                closed += 1
        except PaymentsError as e:
            log.info("not closing %s: %s", payment.out_trade_no, e.spec.code)
    return closed


# --- refunds --------------------------------------------------------------------------------


@transaction.atomic
def _refund_claim(
    *,
    payment: Payment,
    amount_fen: int,
    reason: str,
    idempotency_key: str,
    requested_by: User | None,
) -> tuple[Refund, bool]:
    lookup = Refund.objects.filter(payment=payment, idempotency_key=idempotency_key)
    existing = lookup.first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            refund = Refund.objects.create(
                payment=payment,
                amount_fen=amount_fen,
                reason=reason[:200],
                idempotency_key=idempotency_key,
                out_refund_no=_new_number("LR"),
                requested_by=requested_by,
            )
    except IntegrityError:
        existing = lookup.first()
        if existing is None:
            raise
        return existing, False
    claimed = Payment.objects.filter(
        pk=payment.pk,
        status=Payment.Status.CAPTURED,
        refunded_fen__lte=F("amount_fen") - amount_fen,
    ).update(refunded_fen=F("refunded_fen") + amount_fen, updated_at=timezone.now())
    if not claimed:
        current = Payment.objects.get(pk=payment.pk)
        if current.status != Payment.Status.CAPTURED:
            raise PaymentsError(PaymentsErrorCode.NOT_CAPTURED)
        raise PaymentsError(
            PaymentsErrorCode.REFUND_EXCEEDS, available=current.amount_fen - current.refunded_fen
        )
    return refund, True


@transaction.atomic
def _refund_finish(refund: Refund, result: RefundResult) -> None:
    now = timezone.now()
    pending = Refund.objects.filter(pk=refund.pk, status=Refund.Status.REQUESTED)
    if result.status == "succeeded":
        if pending.update(
            status=Refund.Status.SUCCEEDED,
            gateway_refund_id=result.gateway_refund_id[:64],
            completed_at=now,
        ):
            payment = refund.payment
            publish(
                RefundSucceeded(
                    payment_id=payment.pk,
                    refund_id=refund.pk,
                    reference=payment.reference,
                    amount_fen=refund.amount_fen,
                )
            )
    elif result.status == "failed":
        if pending.update(status=Refund.Status.FAILED, completed_at=now):
            # give the claimed amount back
            Payment.objects.filter(pk=refund.payment_id).update(
                refunded_fen=F("refunded_fen") - refund.amount_fen, updated_at=now
            )
    elif result.gateway_refund_id:
        pending.update(gateway_refund_id=result.gateway_refund_id[:64])


def refund_create(
    *,
    payment: Payment,
    amount_fen: int,
    reason: str,
    idempotency_key: str,
    actor: User | None = None,
) -> Refund:
    """Refund all or part of a captured payment.

    The amount is claimed first (`refunded_fen + n <= amount_fen`, conditional UPDATE) together
    with the Refund row, then the gateway is asked; a failed refund gives its claim back. The same
    key returns the same refund (and re-asks the gateway if that refund is still `requested`;
    gateways deduplicate on out_refund_no). `actor`, when given, must be a platform admin.
    """
    if actor is not None and not actor.has_role(Role.PLATFORM_ADMIN):
        raise CoreError(CoreErrorCode.PERMISSION_DENIED)
    _check_amount(amount_fen)
    _check_key(idempotency_key)
    refund, _created = _refund_claim(
        payment=payment,
        amount_fen=amount_fen,
        reason=reason,
        idempotency_key=idempotency_key,
        requested_by=actor,
    )
    if refund.status != Refund.Status.REQUESTED:
        return refund
    try:
        result = gateway_get(payment.gateway).refund(refund.payment, refund)
    except GatewayUnavailable as e:
        # Unknown at the gateway: keep the claim and the requested refund; a retry re-asks.
        log.warning("refund %s: gateway unavailable: %s", refund.out_refund_no, e)
        raise PaymentsError(PaymentsErrorCode.GATEWAY_ERROR) from e
    _refund_finish(refund, result)
    refund.refresh_from_db()
    return refund
