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

import functools
import logging
import secrets
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connections, router, transaction
from django.db.models import F
from django.utils import timezone

from linli.accounts.models import Role, User
from linli.core.errors import CoreError, CoreErrorCode
from linli.core.events import publish
from linli.core.instances import model_build
from linli.core.sql import hot_cursor, insert_rows, model_from_row, update_rows
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


def _check_new(amount_fen: int, idempotency_key: str, reference: str, gateway: str) -> None:
    _check_amount(amount_fen)
    _check_key(idempotency_key)
    if not reference or len(reference) > 64:
        raise CoreError(CoreErrorCode.INVALID_INPUT, reason="reference: 1-64 characters")
    if not gateway_enabled(gateway):
        raise PaymentsError(PaymentsErrorCode.GATEWAY_UNKNOWN, gateway=gateway)


def payment_new(
    *,
    payer: User,
    amount_fen: int,
    reference: str,
    subject: str,
    idempotency_key: str,
    gateway: str = "sandbox",
    handed_over: bool = False,
) -> Payment:
    """A checked, unsaved payment (see `payment_create` for `handed_over`): for a caller that
    writes it in a statement of its own (checkout's writes at once on PostgreSQL)."""
    _check_new(amount_fen, idempotency_key, reference, gateway)
    return _build(payer, amount_fen, reference, subject, idempotency_key, gateway, handed_over)


def _build(
    payer: User,
    amount_fen: int,
    reference: str,
    subject: str,
    idempotency_key: str,
    gateway: str,
    handed_over: bool,
) -> Payment:
    payment = model_build(
        Payment,
        payer=payer,
        amount_fen=amount_fen,
        reference=reference,
        subject=(subject or reference)[:128],
        idempotency_key=idempotency_key,
        gateway=gateway,
        out_trade_no=_new_number("LL"),
    )
    if handed_over and gateway_get(gateway).prepay_offline:
        payment.status = Payment.Status.PENDING
    return payment


def payment_create(
    *,
    payer: User,
    amount_fen: int,
    reference: str,
    subject: str,
    idempotency_key: str,
    gateway: str = "sandbox",
    new: bool = False,
    handed_over: bool = False,
) -> Payment:
    """Create a payment, or return the one this payer already created with this key.

    Concurrent calls with the same key meet at the unique (payer, idempotency_key) constraint:
    the loser gets the IntegrityError, reads the winner's row and returns it. Reusing a key for a
    different amount, reference or gateway is refused (`idempotency_mismatch`). Only the INSERT
    needs a savepoint (to read the winner after losing); the rest is plain reads.

    `new=True`: the caller knows no payment can carry this key yet, because the key names a row
    it inserted in its own, still open transaction (checkout uses f"checkout:{pk}"). Then there
    is nothing to look up and no race to lose: one plain INSERT, no read, no savepoint. Should it
    still hit a unique constraint (the key, or an out_trade_no drawn twice), the IntegrityError
    propagates and rolls back the caller's transaction rather than being swallowed here.

    `handed_over=True`: the caller gives the client what it needs to pay in the same answer
    (checkout calls `payment_prepay(fresh=True)` right after). With a gateway that prepares
    offline (`prepay_offline`), the payment is then stored pending at once and the prepay
    writes nothing.
    """
    _check_new(amount_fen, idempotency_key, reference, gateway)

    def insert() -> Payment:
        payment = _build(
            payer, amount_fen, reference, subject, idempotency_key, gateway, handed_over
        )
        insert_rows([payment])
        return payment

    if new:
        return insert()
    lookup = Payment.objects.filter(payer=payer, idempotency_key=idempotency_key)
    existing = lookup.first()
    if existing is not None:
        return _same_payment(existing, amount_fen=amount_fen, reference=reference, gateway=gateway)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return insert()
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
    if payment.status != Payment.Status.CREATED:  # pending already (see payment_create)
        return result
    now = timezone.now()
    if _to_pending(payment.pk, now):
        payment.status, payment.updated_at = Payment.Status.PENDING, now
    else:  # a notification or the close job got there first
        payment.refresh_from_db()
    return result


def _to_pending(payment_id: int, now: datetime) -> bool:
    """created → pending, conditional; one prepared statement (it runs after many checkouts)."""
    values = {"status": Payment.Status.PENDING.value, "updated_at": now}
    return bool(update_rows(Payment, values, pk=payment_id, status=Payment.Status.CREATED.value))


def _log_notification(
    gateway: str,
    headers: dict[str, str],
    body: bytes | str,
    prefixes: tuple[str, ...],
    **fields: Any,
) -> PaymentNotification:
    """One INSERT of the notification with what is known of it (outcome, verified, payment)."""
    kept = {
        k: v[:512]
        for k, v in headers.items()
        if k in LOGGED_HEADERS or any(k.startswith(p) for p in prefixes)
    }
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    note = PaymentNotification(
        gateway=gateway[:32], headers=kept, body=text[:MAX_LOGGED_BODY], **fields
    )
    insert_rows([note])  # the model's INSERT without the ORM's per-call compiling
    return note


def payment_notify(*, gateway: str, headers: Mapping[str, str], body: bytes | str) -> Payment:
    """Verify a gateway notification, log it, and capture the payment once.

    Every notification is logged, verified or not, by one INSERT that already carries its
    outcome. Verification needs no database, so it comes first: a rejected notification is
    logged on its own (autocommit) before raising; a verified one is logged in the same
    transaction as its capture, so the row and the capture commit together. If anything fails
    unexpectedly (verification or capture), the notification is still logged, as `received`,
    before the error propagates.

    A verified "paid" notification captures with one conditional UPDATE … RETURNING (open, this
    out_trade_no, this amount); only the delivery that moves the row publishes
    `PaymentCaptured`. Replays return the same payment and publish nothing. Raises
    signature_invalid, payment_not_found, amount_mismatch or gateway_unknown (the outcome is
    logged before raising).
    """
    Outcome = PaymentNotification.Outcome
    lowered = lower_headers(headers)
    if not gateway_enabled(gateway):
        _log_notification(gateway, lowered, body, (), outcome=Outcome.GATEWAY_UNKNOWN)
        raise PaymentsError(PaymentsErrorCode.GATEWAY_UNKNOWN, gateway=gateway)
    gw = gateway_get(gateway)
    prefixes = gw.logged_header_prefixes
    try:
        parsed = gw.parse_notification(lowered, body)
    except SignatureInvalid as e:
        note = _log_notification(
            gateway, lowered, body, prefixes, outcome=Outcome.SIGNATURE_INVALID
        )
        log.warning("rejected %s notification %s: %s", gateway, note.pk, e)
        raise PaymentsError(PaymentsErrorCode.SIGNATURE_INVALID) from e
    except Exception:
        _log_notification(gateway, lowered, body, prefixes)
        raise

    logged: list[PaymentNotification] = []

    def log_verified(outcome: str, payment: Payment | None) -> None:
        logged.append(
            _log_notification(
                gateway,
                lowered,
                body,
                prefixes,
                verified=True,
                out_trade_no=parsed.out_trade_no[:32],
                outcome=outcome,
                payment=payment,
            )
        )

    payment, error = _capture(gateway, parsed, log_verified, logged)
    if error is not None:
        raise error
    assert payment is not None
    return payment


@functools.cache
def _capture_sql(db: str) -> str:
    """The capture UPDATE for one database alias, built once from the model's table and columns,
    returning the whole row."""
    qn = connections[db].ops.quote_name
    meta = Payment._meta
    col = {f.name: qn(str(f.column)) for f in meta.concrete_fields}
    return (
        f"UPDATE {qn(meta.db_table)} SET {col['status']} = %s, {col['transaction_id']} = %s, "
        f"{col['captured_at']} = %s, {col['updated_at']} = %s "
        f"WHERE {col['gateway']} = %s AND {col['out_trade_no']} = %s "
        f"AND {col['amount_fen']} = %s AND {col['status']} IN (%s, %s) "
        f"RETURNING {', '.join(col.values())}"
    )


def _capture_update(gateway: str, n: Notification) -> Payment | None:
    """Capture with one conditional UPDATE … RETURNING and return the row as it now is.

    Matches only an open payment with this gateway, number and amount, so concurrent
    deliveries cannot both move it (on PostgreSQL the others wait for the row, then see it
    captured and match nothing). Raw SQL because `QuerySet.update` cannot return rows; RETURNING
    works on SQLite ≥ 3.35 and PostgreSQL. The row is converted as the ORM would (aware datetimes
    on SQLite), so the payment is returned without being read again."""
    db = router.db_for_write(Payment)
    connection = connections[db]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    params = [
        Payment.Status.CAPTURED.value,
        n.transaction_id or None,
        now,
        now,
        gateway,
        n.out_trade_no,
        n.amount_fen,
        *(s.value for s in Payment.OPEN_STATUSES),
    ]
    with hot_cursor(connection.alias) as cursor:
        cursor.execute(_capture_sql(db), params)
        row = cursor.fetchone()
    return model_from_row(Payment, row, db) if row is not None else None


def _capture(
    gateway: str,
    n: Notification,
    log_verified: Callable[[str, Payment | None], None],
    logged: list[PaymentNotification],
) -> tuple[Payment | None, PaymentsError | None]:
    """Capture and log in one transaction. Whatever fails (the capture, its commit, or a
    PaymentCaptured handler run on that commit), the notification stays logged: as it was if its
    row was committed, else on its own as `received`."""
    body_failed = False
    try:
        with transaction.atomic():
            try:
                return _capture_and_log(gateway, n, log_verified)
            except Exception:
                body_failed = True
                raise
    except Exception:
        # A failing body certainly rolled the row back; after it, only the row can tell (a
        # handler failing after the commit leaves it stored, a failed COMMIT does not).
        if body_failed or not PaymentNotification.objects.filter(pk=logged[-1].pk).exists():
            log_verified(PaymentNotification.Outcome.RECEIVED, None)
        raise


def _capture_and_log(
    gateway: str, n: Notification, log_verified: Callable[[str, Payment | None], None]
) -> tuple[Payment | None, PaymentsError | None]:
    Outcome = PaymentNotification.Outcome
    error: PaymentsError | None = None
    payment = _capture_update(gateway, n) if n.paid else None
    if payment is not None:  # this delivery moved the row
        outcome = Outcome.CAPTURED
        publish(
            PaymentCaptured(
                payment_id=payment.pk,
                reference=payment.reference,
                amount_fen=payment.amount_fen,
                payer_id=payment.payer_id,
            )
        )
    else:  # not captured by this delivery: read the payment to say why
        payment = Payment.objects.filter(gateway=gateway, out_trade_no=n.out_trade_no).first()
        if payment is None:
            outcome = Outcome.PAYMENT_NOT_FOUND
            error = PaymentsError(PaymentsErrorCode.PAYMENT_NOT_FOUND)
        elif n.amount_fen != payment.amount_fen:
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
        elif payment.status == Payment.Status.CAPTURED:
            outcome = Outcome.DUPLICATE
        else:
            # Money arrived for a payment we had closed: needs a refund by hand.
            log.error("payment %s paid after it was %s", payment.out_trade_no, payment.status)
            outcome = Outcome.LATE
    log_verified(outcome, payment)
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
