"""Smart lockers (sites, cabinets, compartments, bookings), their cold chain (readings, alarms),
fees (a ledger with one row per charge key) and the property parcel station (代收包裹).

Nothing here points upward: an order is referred to by `order_id` only, and checkout reaches
lockers through `core.fulfilment`.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.core.storage import StorageClass

USER = settings.AUTH_USER_MODEL


def code_hash(scope: str, code: str) -> str:
    """Pickup codes are kept only as an HMAC bound to where they open (a cabinet, a station)."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{scope}:{code}".encode(), hashlib.sha256).hexdigest()


class Site(models.Model):
    """A place with lockers or a parcel counter, on the community's street network (lat/lon are
    snapped to it when walking minutes are computed)."""

    class Kind(models.TextChoices):
        LOCKER = "locker", _("Smart locker")
        STATION = "station", _("Parcel station")

    class Operator(models.TextChoices):
        PLATFORM = "platform", _("Platform")
        PROPERTY = "property", _("Property management")
        SHOP = "shop", _("Shop")

    community = models.ForeignKey(
        "community.Community", on_delete=models.CASCADE, related_name="locker_sites"
    )
    outlet_site = models.ForeignKey(
        "community.OutletSite", null=True, blank=True, on_delete=models.SET_NULL
    )
    name = models.CharField(_("name"), max_length=80)
    address = models.CharField(_("address"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.LOCKER)
    operator = models.CharField(_("operator"), max_length=8, choices=Operator.choices)
    operator_outlet = models.ForeignKey(
        "shops.Outlet", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lat = models.FloatField()
    lon = models.FloatField()
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(operator="shop") | Q(operator_outlet__isnull=False),
                name="shop_site_has_outlet",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Cabinet(models.Model):
    """One locker unit with its own device key (shown once; only the hash is kept)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="cabinets")
    serial = models.CharField(_("serial"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=40, blank=True)
    key_hash = models.CharField(max_length=64, blank=True)
    key_prefix = models.CharField(max_length=8, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name or self.serial


class Compartment(models.Model):
    class Size(models.TextChoices):
        S = "S", "S"
        M = "M", "M"
        L = "L", "L"
        XL = "XL", "XL"

    class State(models.TextChoices):
        FREE = "free", _("Free")
        HELD = "held", _("Held")  # claimed at checkout or holding goods
        OUT_OF_SERVICE = "out", _("Out of service")

    cabinet = models.ForeignKey(Cabinet, on_delete=models.CASCADE, related_name="compartments")
    label = models.CharField(_("number"), max_length=8)
    size = models.CharField(_("size"), max_length=2, choices=Size.choices)
    zone = models.CharField(_("temperature zone"), max_length=8, choices=StorageClass.choices)
    state = models.CharField(max_length=4, choices=State.choices, default=State.FREE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cabinet", "label"], name="unique_compartment_label")
        ]
        indexes = [models.Index(fields=["zone", "state", "size"])]

    def __str__(self) -> str:
        return f"{self.cabinet} #{self.label}"


class Booking(models.Model):
    """A compartment held for one order (claimed at checkout) or one walk-up parcel."""

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("Held until payment")
        CONFIRMED = "confirmed", _("Waiting for the shop")
        DEPOSITED = "deposited", _("Ready to collect")
        PICKED_UP = "picked_up", _("Collected")
        RETURNING = "returning", _("Going back")
        RETURNED = "returned", _("Returned")
        RELEASED = "released", _("Released")

    class Consent(models.TextChoices):
        ORDER = "order", _("Chosen by the resident for this order")
        SETTING = "setting", _("Resident's locker setting")

    compartment = models.ForeignKey(Compartment, on_delete=models.PROTECT, related_name="bookings")
    cabinet = models.ForeignKey(Cabinet, on_delete=models.PROTECT, related_name="bookings")
    order_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    outlet = models.ForeignKey("shops.Outlet", null=True, blank=True, on_delete=models.PROTECT)
    resident = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="locker_bookings")
    carrier = models.CharField(max_length=20, blank=True)
    tracking_no = models.CharField(max_length=40, blank=True)
    storage = models.CharField(max_length=8, choices=StorageClass.choices)
    volume_ml = models.PositiveIntegerField(default=0)
    weight_g = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CLAIMED)
    consent = models.CharField(max_length=8, choices=Consent.choices)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)  # claim lapses unless paid
    deposited_at = models.DateTimeField(null=True, blank=True)
    deposited_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deadline = models.DateTimeField(null=True, blank=True)  # keep period ends
    code_hash = models.CharField(max_length=64, blank=True)
    code_issued_at = models.DateTimeField(null=True, blank=True)
    picked_up_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    ACTIVE = ("claimed", "confirmed", "deposited", "returning")

    class Meta:
        constraints = [
            # The backstop: two bookings can never hold one compartment.
            models.UniqueConstraint(
                fields=["compartment"],
                condition=Q(status__in=("claimed", "confirmed", "deposited", "returning")),
                name="one_active_booking_per_compartment",
            ),
            models.UniqueConstraint(
                fields=["order_id"],
                condition=Q(status__in=("claimed", "confirmed", "deposited", "returning"))
                & Q(order_id__isnull=False),
                name="one_active_booking_per_order",
            ),
            models.UniqueConstraint(
                fields=["cabinet", "code_hash"],
                condition=Q(status="deposited") & ~Q(code_hash=""),
                name="unique_live_code_per_cabinet",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"])]

    @property
    def reference(self) -> str:
        return f"LB{self.pk:06d}"


class Charge(models.Model):
    """The fee ledger: one row per key (e.g. "booking:42:storage"), so a fee is charged once
    however often the door is opened, the job runs or the device retries. A due charge is
    collected through `core.collection` before the door opens; the captured payment marks it
    paid (`payment_id`), once."""

    class Status(models.TextChoices):
        DUE = "due", _("Due")
        PAID = "paid", _("Paid")
        WAIVED = "waived", _("Waived")

    key = models.CharField(max_length=60, unique=True)
    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="charges")
    resident = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    amount_fen = models.PositiveIntegerField()
    periods = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.DUE)
    created_at = models.DateTimeField(default=timezone.now)
    paid_at = models.DateTimeField(null=True, blank=True)
    payment_id = models.BigIntegerField(null=True, blank=True)  # payments.Payment, by id only

    REFERENCE_PREFIX = "locker-charge"

    @property
    def reference(self) -> str:
        """What the payment for this charge refers to (see core.collection)."""
        return f"{self.REFERENCE_PREFIX}:{self.pk}"


class TemperatureReading(models.Model):
    """The cold-chain log (GB 31605-2020): every reading kept, exportable as CSV."""

    cabinet = models.ForeignKey(Cabinet, on_delete=models.PROTECT, related_name="readings")
    zone = models.CharField(max_length=8, choices=StorageClass.choices)
    celsius = models.FloatField()
    measured_at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)
    in_band = models.BooleanField(default=True)

    class Meta:
        indexes = [models.Index(fields=["cabinet", "zone", "-measured_at"])]


class Alarm(models.Model):
    """A zone out of its band: open until a reading is back in band. At most one open per zone."""

    class Kind(models.TextChoices):
        TOO_WARM = "too_warm", _("Too warm")
        TOO_COLD = "too_cold", _("Too cold")

    cabinet = models.ForeignKey(Cabinet, on_delete=models.PROTECT, related_name="alarms")
    zone = models.CharField(max_length=8, choices=StorageClass.choices)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    first_celsius = models.FloatField()
    worst_celsius = models.FloatField()
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    residents_told = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cabinet", "zone"],
                condition=Q(closed_at__isnull=True),
                name="one_open_alarm_per_zone",
            )
        ]


class Parcel(models.Model):
    """An express parcel received by the property's station (物业代收) for a household."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        PICKED_UP = "picked_up", _("Collected")
        RETURNED = "returned", _("Returned to carrier")

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="parcels")
    carrier = models.CharField(_("carrier"), max_length=20)
    tracking_no = models.CharField(_("tracking number"), max_length=40)
    household = models.ForeignKey("community.Household", on_delete=models.PROTECT)
    recipient = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="station_parcels"
    )
    shelf = models.CharField(_("shelf"), max_length=12, blank=True)
    code_hash = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    registered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(default=timezone.now)
    keep_until = models.DateTimeField()
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    handed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["carrier", "tracking_no"], name="unique_waybill")
        ]
        indexes = [models.Index(fields=["site", "status", "keep_until"])]


class LockerEvent(models.Model):
    """Audit log: deposits, openings, refusals (wrong code, wrong key, unknown cabinet...).
    Wrong codes per cabinet in a window are counted from here for the brute-force limit."""

    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=24)  # deposit, open, refused, return, reading...
    code = models.CharField(max_length=40, blank=True)  # the error code when refused
    channel = models.CharField(max_length=8, blank=True)  # page, device, kiosk, job
    cabinet = models.ForeignKey(Cabinet, null=True, blank=True, on_delete=models.SET_NULL)
    booking = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.SET_NULL)
    parcel = models.ForeignKey(Parcel, null=True, blank=True, on_delete=models.SET_NULL)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["cabinet", "code", "at"])]
        ordering = ["-at", "-pk"]
