"""Demo lockers: one platform site near the home buildings (ambient, chilled and frozen
compartments), the property's parcel station, and a few parcels for the demo resident.
Idempotent: found again by name and serial on a second run."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from linli.accounts.models import User
from linli.community.models import Building, Community, CommunityStaff, Household
from linli.lockers.models import Cabinet, Compartment, Parcel, Site
from linli.lockers.services.devices import cabinet_key_issue
from linli.lockers.services.station import parcel_register

DEMO_RESIDENT_PHONE = "13800000001"
# (label prefix, zone, sizes): 24 ambient, 12 chilled, 6 frozen.
LAYOUT = [
    ("A", "ambient", ["S"] * 10 + ["M"] * 8 + ["L"] * 4 + ["XL"] * 2),
    ("C", "chilled", ["S"] * 4 + ["M"] * 6 + ["L"] * 2),
    ("F", "frozen", ["S"] * 2 + ["M"] * 4),
]
DEMO_PARCELS = [("sf", "SF1400012345678", "A-1-03"), ("jd", "JD0098765432101", "B-2-11"),
                ("zto", "ZTO75312468097", "A-3-07")]  # fmt: skip


def cabinet_build(site: Site, serial: str, layout: list[tuple[str, str, list[str]]]) -> Cabinet:
    cabinet, _ = Cabinet.objects.get_or_create(site=site, serial=serial, defaults={"name": serial})
    for prefix, zone, sizes in layout:
        for i, size in enumerate(sizes, start=1):
            Compartment.objects.get_or_create(
                cabinet=cabinet, label=f"{prefix}{i:02d}", defaults={"size": size, "zone": zone}
            )
    return cabinet


def _home(community: Community) -> Building | None:
    resident = User.objects.filter(phone=DEMO_RESIDENT_PHONE).first()
    home = (
        Household.objects.filter(householdmember__user=resident).select_related("building").first()
        if resident
        else None
    )
    if home is not None:
        return home.building
    return Building.objects.filter(community=community, residential=True).order_by("pk").first()


@transaction.atomic
def demo_lockers_load(*, community: Community) -> dict[str, Any]:
    b = _home(community)
    lat, lon = (b.lat, b.lon) if b else (community.center_lat, community.center_lon)
    site, _ = Site.objects.get_or_create(
        community=community,
        name="邻里智能柜 西园站",
        defaults={
            "address": "西园三区 3 号楼东侧",
            "kind": Site.Kind.LOCKER,
            "operator": Site.Operator.PLATFORM,
            "lat": lat + 0.0003,
            "lon": lon + 0.0002,
        },
    )
    cabinet = cabinet_build(site, "LL-WJ-0001", LAYOUT)
    key = cabinet_key_issue(actor=None, cabinet=cabinet) if not cabinet.key_hash else ""
    station, _ = Site.objects.get_or_create(
        community=community,
        name="西园物业代收点",
        defaults={
            "address": "西园三区物业服务中心一层",
            "kind": Site.Kind.STATION,
            "operator": Site.Operator.PROPERTY,
            "lat": lat - 0.0004,
            "lon": lon + 0.0001,
        },
    )
    registered = 0
    resident = User.objects.filter(phone=DEMO_RESIDENT_PHONE).first()
    home = Household.objects.filter(householdmember__user=resident).first() if resident else None
    staff = CommunityStaff.objects.filter(community=community, kind="property").first()
    if home is not None and staff is not None:
        for carrier, tracking, shelf in DEMO_PARCELS:
            if not Parcel.objects.filter(carrier=carrier, tracking_no=tracking).exists():
                parcel_register(
                    actor=staff.user,
                    site_id=station.pk,
                    carrier=carrier,
                    tracking_no=tracking,
                    household_id=home.pk,
                    shelf=shelf,
                )
                registered += 1
    return {
        "locker site": site.name,
        "compartments": Compartment.objects.filter(cabinet=cabinet).count(),
        "cabinet key (shown once)": key or "(kept)",
        "parcel station": station.name,
        "parcels registered": registered,
    }
