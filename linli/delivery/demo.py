"""Demo data for common delivery on Wangjing: a hub, a group-buy pickup point, the shared fleet,
slots for the next days and the demo courier's assignment. Idempotent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from linli.accounts.models import Role, User
from linli.accounts.services import role_grant, user_create
from linli.community.models import Community, OutletSite
from linli.delivery.models import CourierAssignment, Hub, VehicleType
from linli.delivery.routing.savings import G_CO2_PER_KM
from linli.delivery.services.slots import group_buy_slot_ensure, slots_ensure

DEMO_COURIER_PHONE = "13800000006"
HUB_NAME = "望京西园共同配送点"

# kind, name, count, ambient ml, chilled ml, frozen ml, weight g, km/h, g CO2/km, fixed cost
FLEET: tuple[tuple[str, str, int, int, int, int, int, float, float, int], ...] = (
    ("e_trike", "电动三轮车", 40, 300_000, 0, 0, 150_000, 15.0, G_CO2_PER_KM["e-trike"], 500),
    (
        "cold_van",
        "冷藏车",
        8,
        1_000_000,
        1_500_000,
        500_000,
        800_000,
        20.0,
        G_CO2_PER_KM["refrigerated van"],
        3000,
    ),
    ("van", "厢式货车", 4, 3_000_000, 0, 0, 800_000, 20.0, G_CO2_PER_KM["van"], 2000),
)


def _hub_place(community: Community) -> tuple[float, float]:
    """Next to the community's centre (a real demo would take the property's yard)."""
    return community.center_lat + 0.0004, community.center_lon - 0.0004


@transaction.atomic
def demo_delivery_load(*, community: Community, days: int = 3) -> dict[str, Any]:
    lat, lon = _hub_place(community)
    hub, _ = Hub.objects.get_or_create(
        community=community,
        name=HUB_NAME,
        defaults={"lat": lat, "lon": lon, "address": "西园三区物业院内", "max_waiting_vehicles": 3},
    )
    OutletSite.objects.get_or_create(
        community=community,
        kind=OutletSite.Kind.PICKUP_POINT,
        name="西园团购自提点",
        defaults={"lat": lat - 0.0008, "lon": lon + 0.0012, "vacant": False},
    )
    for kind, name, count, amb, chi, fro, wt, speed, co2, fixed in FLEET:
        VehicleType.objects.update_or_create(
            community=community,
            outlet=None,
            kind=kind,
            defaults={
                "name": name,
                "count": count,
                "ambient_ml": amb,
                "chilled_ml": chi,
                "frozen_ml": fro,
                "weight_g": wt,
                "speed_kmh": speed,
                "g_co2_per_km": co2,
                "fixed_cost": fixed,
            },
        )
    today = timezone.localdate()
    slots = sum(
        len(slots_ensure(community=community, day=today + timedelta(days=i))) for i in range(days)
    )
    group_buy_slot_ensure(community=community)
    courier = User.objects.filter(phone=DEMO_COURIER_PHONE).first()
    if courier is None:
        courier = user_create(phone=DEMO_COURIER_PHONE, display_name="陈晓东", roles=[Role.COURIER])
    else:
        role_grant(user=courier, role=Role.COURIER)
    CourierAssignment.objects.get_or_create(
        courier=courier, community=community, defaults={"hub": hub}
    )
    return {
        "delivery hub": hub.name,
        "delivery slots": slots,
        "vehicle types": len(FLEET),
        "courier": courier.masked_phone,
    }
