"""Payments, refunds and the raw log of every gateway notification. Money is integer fen."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Payment(models.Model):
    """One attempt to collect `amount_fen` from `payer` through one gateway.

    created → pending (sent to the gateway) → captured | failed | closed. `captured` is reached only
    through a verified gateway notification (`services.payment_notify`), exactly once.
    """

    class Status(models.TextChoices):
        CREATED = "created", _("Created")
        PENDING = "pending", _("Awaiting payment")
        CAPTURED = "captured", _("Paid")
        FAILED = "failed", _("Failed")
        CLOSED = "closed", _("Closed")

    OPEN_STATUSES = (Status.CREATED, Status.PENDING)

    # db_index=False: payment_idempotency_per_payer (payer, idempotency_key) serves it.
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments", db_index=False
    )
    gateway = models.CharField(max_length=32)
    amount_fen = models.BigIntegerField()
    currency = models.CharField(max_length=3, default="CNY")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CREATED)
    # Unique / indexed through Meta, not unique=True / db_index=True: on PostgreSQL those add a
    # varchar_pattern_ops "_like" index for LIKE 'prefix%' that no query here makes (the admin's
    # search is UPPER(...) LIKE '%...%', which no btree serves). `reference` keeps its plain index:
    # selectors and collect filter by it.
    out_trade_no = models.CharField(max_length=32)
    transaction_id = models.CharField(max_length=64, null=True, blank=True)
    reference = models.CharField(max_length=64)
    subject = models.CharField(max_length=128)
    idempotency_key = models.CharField(max_length=80)
    refunded_fen = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    captured_at = models.DateTimeField(null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["reference"], name="payment_reference_idx")]
        constraints = [
            models.UniqueConstraint(fields=["out_trade_no"], name="unique_payment_out_trade_no"),
            models.UniqueConstraint(
                fields=["transaction_id"], name="unique_payment_transaction_id"
            ),
            models.UniqueConstraint(
                fields=["payer", "idempotency_key"], name="payment_idempotency_per_payer"
            ),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(condition=Q(currency="CNY"), name="payment_currency_cny"),
            models.CheckConstraint(
                condition=Q(refunded_fen__gte=0)
                & Q(refunded_fen__lte=F("amount_fen"))
                & (Q(status="captured") | Q(refunded_fen=0)),
                name="payment_refunded_within_captured",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.out_trade_no} {self.amount_fen} fen {self.status}"

    @property
    def refundable_fen(self) -> int:
        return self.amount_fen - self.refunded_fen if self.status == self.Status.CAPTURED else 0


class Refund(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        SUCCEEDED = "succeeded", _("Refunded")
        FAILED = "failed", _("Refund failed")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount_fen = models.BigIntegerField()
    reason = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REQUESTED)
    out_refund_no = models.CharField(max_length=32, unique=True)
    gateway_refund_id = models.CharField(max_length=64, blank=True)
    idempotency_key = models.CharField(max_length=80)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["payment", "idempotency_key"], name="refund_idempotency_per_payment"
            ),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="refund_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.out_refund_no} {self.amount_fen} fen {self.status}"


class PaymentNotification(models.Model):
    """Every notification a gateway sent us, verified or not, with what we did with it."""

    class Outcome(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("payment notification", "Received")
        CAPTURED = "captured", _("Captured")
        DUPLICATE = "duplicate", _("Already captured")
        NOT_PAID = "not_paid", _("Not a payment")
        LATE = "late", _("Paid after close")
        SIGNATURE_INVALID = "signature_invalid", _("Signature invalid")
        AMOUNT_MISMATCH = "amount_mismatch", _("Amount mismatch")
        PAYMENT_NOT_FOUND = "payment_not_found", _("Payment not found")
        GATEWAY_UNKNOWN = "gateway_unknown", _("Gateway unknown")

    gateway = models.CharField(max_length=32)
    headers = models.JSONField(default=dict, blank=True)
    body = models.TextField(blank=True)
    verified = models.BooleanField(default=False)
    outcome = models.CharField(max_length=24, choices=Outcome.choices, default=Outcome.RECEIVED)
    out_trade_no = models.CharField(max_length=32, blank=True, db_index=True)
    payment = models.ForeignKey(
        Payment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.gateway} {self.out_trade_no or '?'} {self.outcome}"
