"""Common delivery (共同配送): slots claimed at checkout, a community hub, the orders' parcels,
vehicle types as data, planning runs with their routes and stops, couriers' assignments.

Units follow `linli.delivery.routing`: millilitres, grams, metres, seconds.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core.storage import StorageClass

USER = settings.AUTH_USER_MODEL


class Hub(models.Model):
    """A community hub (共同配送点) where shops hand over orders and vehicles load.

    Staging rules (避免占用公共空间): goods are accepted only within opening hours, and at most
    `max_waiting_vehicles` vehicles may stand at the hub loading at once; the planner staggers
    departures to keep to it."""

    community = models.ForeignKey(
        "community.Community", on_delete=models.CASCADE, related_name="hubs"
    )
    name = models.CharField(_("name"), max_length=80)
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.FloatField()
    lon = models.FloatField()
    opens = models.TimeField(_("opens"), default="07:00")
    closes = models.TimeField(_("closes"), default="21:30")
    max_waiting_vehicles = models.PositiveSmallIntegerField(
        _("vehicles waiting at most"), default=3
    )
    loading_minutes = models.PositiveSmallIntegerField(_("loading minutes"), default=10)
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name


class VehicleType(models.Model):
    """A kind of vehicle and how many there are, per community (shared fleet at the hub) or per
    outlet (the shop's own, used for the shop-by-shop comparison)."""

    class Kind(models.TextChoices):
        E_TRIKE = "e_trike", _("Electric tricycle")
        VAN = "van", _("Van")
        COLD_VAN = "cold_van", _("Refrigerated van")

    community = models.ForeignKey(
        "community.Community", on_delete=models.CASCADE, related_name="vehicle_types"
    )
    outlet = models.ForeignKey(
        "shops.Outlet", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=40)
    count = models.PositiveSmallIntegerField(_("how many"), default=1)
    ambient_ml = models.PositiveIntegerField(default=0)
    chilled_ml = models.PositiveIntegerField(default=0)
    frozen_ml = models.PositiveIntegerField(default=0)
    weight_g = models.PositiveIntegerField(default=0)
    speed_kmh = models.FloatField(default=15.0)
    g_co2_per_km = models.FloatField(default=0.0)
    fixed_cost = models.PositiveIntegerField(default=0)
    shift_start = models.TimeField(default="08:00")
    shift_end = models.TimeField(default="21:30")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(speed_kmh__gt=0), name="vehicle_speed_positive")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def profile(self) -> str:
        """Street profile: e-trikes ride, vans drive (both on the walking graph, see network)."""
        return "ride" if self.kind == self.Kind.E_TRIKE else "drive"


class Slot(models.Model):
    """A delivery window (or a group-buy pickup day) with its capacity, claimed like stock.

    `claimed` only moves by conditional UPDATEs; the check constraint is the backstop."""

    class Kind(models.TextChoices):
        HOME = "home", _("Home delivery")
        GROUP_BUY = "group_buy", _("Group-buy pickup")

    community = models.ForeignKey(
        "community.Community", on_delete=models.CASCADE, related_name="delivery_slots"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.HOME)
    date = models.DateField()
    starts = models.TimeField()
    ends = models.TimeField()
    cutoff_at = models.DateTimeField()
    capacity = models.PositiveIntegerField()
    claimed = models.PositiveIntegerField(default=0)
    pickup_site = models.ForeignKey(
        "community.OutletSite", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["date", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=Q(claimed__lte=F("capacity")), name="slot_claimed_within_capacity"
            ),
            models.UniqueConstraint(
                fields=["community", "kind", "date", "starts"], name="unique_slot"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%m-%d} {self.starts:%H:%M}–{self.ends:%H:%M}"

    @property
    def left(self) -> int:
        return max(0, self.capacity - self.claimed)


class SlotClaim(models.Model):
    """One order's place in a slot: lapses with the unpaid timeout unless paid."""

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("Held until payment")
        CONFIRMED = "confirmed", _("Paid")
        RELEASED = "released", _("Released")

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="claims")
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CLAIMED)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(status__in=("claimed", "confirmed")),
                name="one_live_slot_claim_per_order",
            )
        ]


class Delivery(models.Model):
    """One order on its way through the hub to a home, a locker or a pickup point."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("At the shop")
        AT_HUB = "at_hub", _("At the hub")
        OUT = "out", _("Out for delivery")
        DELIVERED = "delivered", _("Delivered")
        DEPOSITED = "deposited", _("In the locker")
        DROPPED = "dropped", _("At the pickup point")
        FAILED = "failed", _("Not delivered")
        CANCELLED = "cancelled", _("Cancelled")

    class Destination(models.TextChoices):
        HOME = "home", pgettext_lazy("delivery destination", "Home")
        LOCKER = "locker", _("Locker")
        PICKUP_POINT = "pickup_point", _("Pickup point")

    OPEN = ("waiting", "at_hub", "out", "failed")

    order = models.OneToOneField("orders.Order", on_delete=models.CASCADE, related_name="delivery")
    community = models.ForeignKey("community.Community", on_delete=models.CASCADE)
    hub = models.ForeignKey(Hub, null=True, blank=True, on_delete=models.SET_NULL)
    date = models.DateField()
    slot = models.ForeignKey(Slot, null=True, blank=True, on_delete=models.SET_NULL)
    destination = models.CharField(max_length=12, choices=Destination.choices)
    building = models.ForeignKey(
        "community.Building", null=True, blank=True, on_delete=models.SET_NULL
    )
    household = models.ForeignKey(
        "community.Household", null=True, blank=True, on_delete=models.SET_NULL
    )
    locker_site = models.ForeignKey(
        "lockers.Site", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pickup_site = models.ForeignKey(
        "community.OutletSite", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    volume_ml = models.PositiveIntegerField(default=0)
    weight_g = models.PositiveIntegerField(default=0)
    storage = models.CharField(max_length=8, choices=StorageClass.choices, default="ambient")
    unplanned_reason = models.CharField(max_length=24, blank=True)
    at_hub_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proof = models.CharField(max_length=8, blank=True)  # code | photo | locker | point
    photo = models.FileField(upload_to="delivery/proof/%Y/%m/", blank=True)
    fail_reason = models.CharField(max_length=16, blank=True)
    fail_note = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name_plural = "deliveries"
        indexes = [models.Index(fields=["community", "date", "status"])]

    def __str__(self) -> str:
        return f"D{self.pk}"


class Parcel(models.Model):
    """A bag of one storage class (an order may become several), scanned onto the vehicle."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="parcels")
    code = models.CharField(max_length=20, unique=True)
    storage = models.CharField(max_length=8, choices=StorageClass.choices)
    volume_ml = models.PositiveIntegerField()
    weight_g = models.PositiveIntegerField()
    scanned_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.code


class CourierAssignment(models.Model):
    """Which couriers drive for which community's hub (and so get its routes)."""

    courier = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    community = models.ForeignKey("community.Community", on_delete=models.CASCADE)
    hub = models.ForeignKey(Hub, null=True, blank=True, on_delete=models.CASCADE)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["courier", "community"], name="unique_courier_community"
            )
        ]


class PlanningRun(models.Model):
    """One planning of a wave (community × day): progress while it runs, then the routes, the
    orders it could not place (with reasons) and the shop-by-shop comparison."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Planning")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        SUPERSEDED = "superseded", _("Replaced by a newer plan")

    community = models.ForeignKey("community.Community", on_delete=models.CASCADE)
    hub = models.ForeignKey(Hub, null=True, blank=True, on_delete=models.SET_NULL)
    date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    reason = models.CharField(max_length=40, blank=True)  # manual | order_added | demo
    progress = models.FloatField(default=0.0)
    phase = models.CharField(max_length=16, blank=True)
    seconds_budget = models.FloatField(default=10.0)
    requested_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    plan_seconds = models.FloatField(null=True, blank=True)
    orders = models.PositiveIntegerField(default=0)
    stops = models.PositiveIntegerField(default=0)
    distance_m = models.PositiveIntegerField(default=0)
    unplanned = models.JSONField(default=list, blank=True)  # [{order_ids, reason, detail}]
    savings = models.JSONField(default=dict, blank=True)
    notes = models.JSONField(default=list, blank=True)
    error = models.CharField(max_length=300, blank=True)
    replan_wanted = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["community", "date", "-created_at"])]

    @property
    def percent(self) -> int:
        return round(self.progress * 100)


class Route(models.Model):
    run = models.ForeignKey(PlanningRun, on_delete=models.CASCADE, related_name="routes")
    number = models.PositiveSmallIntegerField()
    vehicle_type = models.ForeignKey(VehicleType, null=True, on_delete=models.SET_NULL)
    courier = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="delivery_routes"
    )
    bay = models.PositiveSmallIntegerField(default=1)
    load_at = models.DateTimeField(null=True, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    distance_m = models.PositiveIntegerField()
    duration_s = models.PositiveIntegerField()
    load = models.JSONField(default=dict)

    class Meta:
        ordering = ["number"]


class RouteStop(models.Model):
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="stops")
    seq = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=Delivery.Destination.choices)
    name = models.CharField(max_length=120)
    lat = models.FloatField()
    lon = models.FloatField()
    arrive_at = models.DateTimeField()
    deliveries = models.ManyToManyField(Delivery, related_name="stops")

    class Meta:
        ordering = ["route", "seq"]
