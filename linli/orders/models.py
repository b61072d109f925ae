"""Cart (one over many shops), checkout (one payment), orders (one per shop) and their log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.orders.domain import Status


class Cart(models.Model):
    resident = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cart"
    )
    updated_at = models.DateTimeField(auto_now=True)


class CartLine(models.Model):
    # db_index=False: unique_cart_listing (cart, listing) serves every lookup by cart.
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines", db_index=False)
    listing = models.ForeignKey("catalog.Listing", on_delete=models.CASCADE)
    quantity = models.PositiveIntegerField()
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cart", "listing"], name="unique_cart_listing"),
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="cart_qty_positive"),
        ]


class Checkout(models.Model):
    """One submission of the cart: one payment, one order per shop. Idempotent per key."""

    # db_index=False: unique_checkout_key (resident, idempotency_key) serves lookups by resident.
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="checkouts", db_index=False
    )
    idempotency_key = models.CharField(max_length=64)
    total_fen = models.PositiveIntegerField()
    payment = models.OneToOneField(
        "payments.Payment", null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "idempotency_key"], name="unique_checkout_key"
            )
        ]

    @property
    def reference(self) -> str:
        return f"checkout:{self.pk}"


class Order(models.Model):
    """A shop's part of a checkout, fulfilled one way (store pickup, locker, delivery slot)."""

    checkout = models.ForeignKey(Checkout, on_delete=models.PROTECT, related_name="orders")
    # No single-column indexes on resident and outlet: the Meta indexes (resident, -placed_at) and
    # (outlet, status) start with them. `number` is unique through a Meta constraint, which on
    # PostgreSQL skips the varchar_pattern_ops "_like" index no query here uses.
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders", db_index=False
    )
    outlet = models.ForeignKey(
        "shops.Outlet", on_delete=models.PROTECT, related_name="orders", db_index=False
    )
    number = models.CharField(_("order number"), max_length=24, null=True)
    status = models.CharField(
        max_length=12, choices=[(s.value, s.value) for s in Status], default=Status.PLACED
    )
    fulfilment_method = models.CharField(max_length=24, default="store_pickup")
    fulfilment_data = models.JSONField(default=dict, blank=True)
    subtotal_fen = models.PositiveIntegerField()
    fee_fen = models.PositiveIntegerField(default=0)
    total_fen = models.PositiveIntegerField()
    refunded_fen = models.PositiveIntegerField(default=0)
    pickup_code = models.CharField(max_length=6, blank=True)
    pickup_tries = models.PositiveSmallIntegerField(default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)
    placed_at = models.DateTimeField(default=timezone.now)
    paid_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    picked_up_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["outlet", "status"]),
            models.Index(fields=["resident", "-placed_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="unique_order_number"),
            models.CheckConstraint(
                condition=models.Q(refunded_fen__lte=models.F("total_fen")),
                name="order_refund_within_total",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    listing = models.ForeignKey("catalog.Listing", on_delete=models.PROTECT)
    product_id = models.BigIntegerField()
    name = models.CharField(max_length=120)  # snapshot: what the resident bought
    spec = models.CharField(max_length=60, blank=True)
    storage = models.CharField(max_length=8, default="ambient")
    unit_price_fen = models.PositiveIntegerField()
    quantity = models.PositiveIntegerField()
    line_total_fen = models.PositiveIntegerField()
    lots = models.JSONField(default=list, blank=True)  # batch, expiry, origin at hand-over

    @property
    def claim_ref(self) -> str:
        return f"order-line:{self.pk}"


class OrderEvent(models.Model):
    """Every status change with who made it: the order's history as residents and shops see it."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    source = models.CharField(max_length=12)
    target = models.CharField(max_length=12)
    actor_kind = models.CharField(max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
