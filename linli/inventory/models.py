"""Stock per outlet and product, its lots (batch, expiry, origin), claims, and the movement ledger.

Invariants (the database enforces the first three):
- 0 <= claimed <= on_hand; a lot's quantity_remaining >= 0.
- at most one *active* claim per ref.
- on_hand == sum of the stock level's lots' quantity_remaining (services keep it so), and every
  change of on_hand is one StockMovement row (sum of movements == on_hand).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StockLevel(models.Model):
    # db_index=False: unique_stock_level (outlet, product) serves lookups by outlet.
    outlet = models.ForeignKey(
        "shops.Outlet", on_delete=models.CASCADE, related_name="stock_levels", db_index=False
    )
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="stock_levels"
    )
    on_hand = models.IntegerField(_("on hand"), default=0)
    claimed = models.IntegerField(_("claimed"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        constraints = [
            models.UniqueConstraint(fields=["outlet", "product"], name="unique_stock_level"),
            models.CheckConstraint(condition=Q(claimed__gte=0), name="stock_claimed_nonnegative"),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="stock_on_hand_nonnegative"),
            models.CheckConstraint(
                condition=Q(claimed__lte=F("on_hand")), name="stock_claimed_within_on_hand"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}@{self.outlet_id}: {self.on_hand}/{self.claimed}"

    @property
    def available(self) -> int:
        return self.on_hand - self.claimed


class Lot(models.Model):
    """A received batch. `expiry_date` is the last day it may be sold (null: does not expire).
    A recalled lot (`recalled_at` set) is never sold again: see `inventory.lots.lots_recall`."""

    stock_level = models.ForeignKey(StockLevel, on_delete=models.CASCADE, related_name="lots")
    batch_no = models.CharField(_("batch"), max_length=40)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    production_date = models.DateField(_("production date"), null=True, blank=True)
    origin = models.CharField(_("origin"), max_length=60, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    recalled_at = models.DateTimeField(_("recalled at"), null=True, blank=True)
    quantity_received = models.IntegerField(default=0)
    quantity_remaining = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity_remaining__gte=0), name="lot_remaining_nonnegative"
            ),
        ]
        indexes = [models.Index(fields=["stock_level", "expiry_date"])]

    def __str__(self) -> str:
        return f"{self.batch_no} ({self.expiry_date})"


class StockMovement(models.Model):
    """The ledger: one row per change of on_hand, with its reason, lot, actor and reference."""

    class Reason(models.TextChoices):
        RECEIVE = "receive", pgettext_lazy("stock movement", "Received")
        SALE = "sale", _("Sold")
        WRITE_OFF_EXPIRED = "write_off_expired", _("Written off: expired")
        WRITE_OFF_DAMAGED = "write_off_damaged", _("Written off: damaged")
        COUNT_ADJUST = "count_adjust", _("Stock count")
        RETURN = "return", pgettext_lazy("stock movement", "Returned")
        RECALL = "recall", _("Written off: recalled")
        TRANSFER_OUT = "transfer_out", _("Transferred out")
        TRANSFER_IN = "transfer_in", _("Transferred in")

    stock_level = models.ForeignKey(StockLevel, on_delete=models.CASCADE, related_name="movements")
    lot = models.ForeignKey(
        Lot, null=True, blank=True, on_delete=models.SET_NULL, related_name="movements"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    quantity = models.IntegerField(help_text=_("Change of on hand (negative when stock leaves)"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ref = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="movement_nonzero"),
        ]


class StockClaim(models.Model):
    """Units held for an order line (cart hold, unpaid or paid order) until hand-over or release."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        COMMITTED = "committed", pgettext_lazy("stock claim", "Committed")
        RELEASED = "released", _("Released")

    stock_level = models.ForeignKey(StockLevel, on_delete=models.PROTECT, related_name="claims")
    quantity = models.IntegerField()
    ref = models.CharField(max_length=60)
    expires_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("stock claim")
        verbose_name_plural = _("stock claims")
        constraints = [
            models.UniqueConstraint(
                fields=["ref"], condition=Q(status="active"), name="unique_active_claim_ref"
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="claim_quantity_positive"),
        ]
        indexes = [
            models.Index(fields=["ref"]),
            models.Index(fields=["status", "expires_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.ref} ×{self.quantity} ({self.status})"
