"""Purchase orders: draft → sent → partly received → received (or cancelled); receipts into lots."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PurchaseOrder(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        PARTLY_RECEIVED = "partly_received", _("Partly received")
        RECEIVED = "received", _("Received")
        CANCELLED = "cancelled", _("Cancelled")

    outlet = models.ForeignKey(
        "shops.Outlet", on_delete=models.PROTECT, related_name="purchase_orders"
    )
    supplier = models.ForeignKey(
        "procurement.Supplier", on_delete=models.PROTECT, related_name="purchase_orders"
    )
    number = models.CharField(_("number"), max_length=24, unique=True, null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    joint_round = models.ForeignKey(
        "procurement.JointRound",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="purchase_orders",
    )
    expected_date = models.DateField(_("expected on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        indexes = [
            models.Index(fields=["outlet", "status"]),
            models.Index(fields=["supplier", "status"]),
        ]

    def __str__(self) -> str:
        return self.number or f"PO#{self.pk}"


class PurchaseOrderLine(models.Model):
    """A product of the shop's catalogue bought at a unit price (fen). `solo_price_fen` is what
    one shop alone would have paid (joint rounds show the saving)."""

    purchase_order = models.ForeignKey(
        PurchaseOrder, on_delete=models.CASCADE, related_name="lines"
    )
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    supplier_product = models.ForeignKey(
        "procurement.SupplierProduct",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    quantity_ordered = models.IntegerField()
    unit_price_fen = models.IntegerField()
    solo_price_fen = models.IntegerField(null=True, blank=True)
    quantity_received = models.IntegerField(default=0)
    quantity_rejected = models.IntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity_ordered__gt=0), name="po_line_qty_positive"
            ),
            models.CheckConstraint(
                condition=Q(unit_price_fen__gt=0), name="po_line_price_positive"
            ),
            models.CheckConstraint(
                condition=Q(quantity_received__gte=0, quantity_rejected__gte=0),
                name="po_line_received_nonnegative",
            ),
        ]

    @property
    def line_total_fen(self) -> int:
        return self.quantity_ordered * self.unit_price_fen

    @property
    def outstanding(self) -> int:
        return max(0, self.quantity_ordered - self.quantity_received)


class Receipt(models.Model):
    """One delivery received against a purchase order."""

    purchase_order = models.ForeignKey(
        PurchaseOrder, on_delete=models.CASCADE, related_name="receipts"
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["received_at", "pk"]


class ReceiptLine(models.Model):
    """Units of a PO line put into stock as one lot: the link from a lot back to its supplier."""

    receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE, related_name="lines")
    po_line = models.ForeignKey(
        PurchaseOrderLine, on_delete=models.CASCADE, related_name="receipt_lines"
    )
    lot = models.OneToOneField(
        "inventory.Lot", on_delete=models.PROTECT, related_name="receipt_line"
    )
    quantity = models.IntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="receipt_line_qty_positive")
        ]


class Discrepancy(models.Model):
    """What did not match the order: more or less than ordered, or units refused at the door."""

    class Kind(models.TextChoices):
        OVER = "over", _("More than ordered")
        SHORT = "short", _("Less than ordered")
        REJECTED = "rejected", _("Refused (damaged or wrong)")

    po_line = models.ForeignKey(
        PurchaseOrderLine, on_delete=models.CASCADE, related_name="discrepancies"
    )
    receipt = models.ForeignKey(
        Receipt, null=True, blank=True, on_delete=models.CASCADE, related_name="discrepancies"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    quantity = models.IntegerField()
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="discrepancy_qty_positive")
        ]
