"""Joint procurement (联合采购): a round for one supplier product with tiered prices; shops commit
quantities before the deadline; at close the tier follows the total and each shop gets a PO."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JointRound(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=80)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    supplier_product = models.ForeignKey(
        "procurement.SupplierProduct", on_delete=models.PROTECT, related_name="rounds"
    )
    deadline = models.DateTimeField(_("deadline"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    solo_price_fen = models.IntegerField(help_text=_("What one shop pays alone (per unit)"))
    total_committed = models.IntegerField(default=0)
    tier_price_fen = models.IntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-deadline", "-pk"]
        verbose_name = _("joint procurement round")
        verbose_name_plural = _("joint procurement rounds")
        indexes = [models.Index(fields=["status", "deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_committed__gte=0), name="round_total_nonnegative"
            ),
            models.CheckConstraint(condition=Q(solo_price_fen__gt=0), name="round_solo_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class RoundTier(models.Model):
    joint_round = models.ForeignKey(JointRound, on_delete=models.CASCADE, related_name="tiers")
    min_quantity = models.PositiveIntegerField()
    price_fen = models.IntegerField()

    class Meta:
        ordering = ["min_quantity"]
        constraints = [
            models.UniqueConstraint(
                fields=["joint_round", "min_quantity"], name="unique_round_tier"
            ),
            models.CheckConstraint(condition=Q(price_fen__gt=0), name="round_tier_price_positive"),
        ]


class Commitment(models.Model):
    """A shop's quantity in a round (0 = withdrawn). At close: its price, saving and PO."""

    joint_round = models.ForeignKey(
        JointRound, on_delete=models.CASCADE, related_name="commitments"
    )
    outlet = models.ForeignKey("shops.Outlet", on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    quantity = models.IntegerField(default=0)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    unit_price_fen = models.IntegerField(null=True, blank=True)
    saved_fen = models.IntegerField(null=True, blank=True)
    purchase_order = models.ForeignKey(
        "procurement.PurchaseOrder",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["joint_round", "outlet"], name="unique_commitment"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="commitment_nonnegative"),
        ]
