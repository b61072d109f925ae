"""Communities, their buildings and households, and the sites where outlets can open."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Community(models.Model):
    """A residential community (社区) under a street office (街道), the unit of a 15-minute circle."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    city = models.CharField(_("city"), max_length=40)
    district = models.CharField(_("district"), max_length=40)
    street_office = models.CharField(_("street office"), max_length=60, blank=True)
    center_lat = models.FloatField(_("centre latitude"))
    center_lon = models.FloatField(_("centre longitude"))
    source = models.CharField(_("map source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")

    def __str__(self) -> str:
        return self.name


class Building(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="buildings")
    osm_id = models.BigIntegerField(null=True, blank=True)
    # "w" (way) or "r" (relation): OSM ids are only unique per type.
    osm_type = models.CharField(max_length=1, blank=True, default="")
    name = models.CharField(_("name"), max_length=80, blank=True)
    lat = models.FloatField()
    lon = models.FloatField()
    floors = models.PositiveSmallIntegerField(_("floors"), default=1)
    households = models.PositiveIntegerField(_("households"), default=0)
    residential = models.BooleanField(_("residential"), default=True)
    floor_area_m2 = models.FloatField(_("floor area (m²)"), default=0)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "osm_type", "osm_id"],
                condition=models.Q(osm_id__isnull=False),
                name="unique_building_osm",
            ),
            models.CheckConstraint(
                condition=models.Q(lat__gte=-90, lat__lte=90, lon__gte=-180, lon__lte=180),
                name="building_lat_lon_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"#{self.osm_id or self.pk}"


class StreetNetwork(models.Model):
    """A community's walking graph in a compact, portable form, plus GeoJSON for its map.

    `arrays` is an `.npz` (numpy) blob: lat, lon, edge_u, edge_v, edge_length_m. `digest` (sha256
    of the blob) is part of the per-process cache key, so a re-import reloads the engine.
    """

    community = models.OneToOneField(
        Community, on_delete=models.CASCADE, related_name="street_network"
    )
    arrays = models.BinaryField()
    digest = models.CharField(max_length=64)
    node_count = models.PositiveIntegerField(default=0)
    edge_count = models.PositiveIntegerField(default=0)
    streets_geojson = models.JSONField(default=dict)
    buildings_geojson = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("street network")
        verbose_name_plural = _("street networks")


class BuildingReach(models.Model):
    """Precomputed walking minutes from a residential building to the nearest outlet of a format.

    `format` is a slug of `linli.core.formats` (not a foreign key: community sits below shops).
    `minutes` is null when the community has no reachable outlet of that format.
    """

    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="reach")
    format = models.CharField(max_length=40)
    minutes = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["building", "format"], name="unique_building_reach")
        ]


class Household(models.Model):
    """A home: building, unit (单元) and room. Residents belong to households."""

    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="homes")
    unit = models.CharField(_("unit"), max_length=10, blank=True)
    room = models.CharField(_("room"), max_length=10)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="HouseholdMember", related_name="households"
    )

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(fields=["building", "unit", "room"], name="unique_household")
        ]

    def __str__(self) -> str:
        unit = f"{self.unit}单元" if self.unit else ""
        return f"{self.building} {unit}{self.room}"


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    is_primary = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["household", "user"], name="unique_household_member")
        ]


class OutletSite(models.Model):
    """A place a shop or service point can use: a shopfront, an idle room, underground space."""

    class Kind(models.TextChoices):
        SHOPFRONT = "shopfront", _("Shopfront")
        IDLE_ROOM = "idle_room", _("Idle room")
        UNDERGROUND = "underground", _("Underground space")
        KIOSK = "kiosk", _("Kiosk")
        LOCKER_SITE = "locker_site", _("Locker site")
        PICKUP_POINT = "pickup_point", _("Pickup point")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="sites")
    building = models.ForeignKey(Building, null=True, blank=True, on_delete=models.SET_NULL)
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    lat = models.FloatField()
    lon = models.FloatField()
    floor_area_m2 = models.FloatField(_("floor area (m²)"), default=0)
    vacant = models.BooleanField(_("vacant"), default=True)

    class Meta:
        verbose_name = _("outlet site")
        verbose_name_plural = _("outlet sites")

    def __str__(self) -> str:
        return self.name


class CommunityStaff(models.Model):
    """Who manages a community: property managers and community officers."""

    class Kind(models.TextChoices):
        PROPERTY = "property", _("Property manager")
        OFFICER = "officer", _("Community officer")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    kind = models.CharField(max_length=16, choices=Kind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "user", "kind"], name="unique_staff")
        ]
