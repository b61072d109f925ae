"""Load the whole demo: Wangjing's streets, buildings and shops (shops.demo), then goods and
stock for every outlet, and whatever later apps add. Idempotent: safe to run twice."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from linli.delivery.demo import demo_delivery_load
from linli.demo.history import demo_sales_history
from linli.inventory.demo import demo_shop_load
from linli.lockers.demo import demo_lockers_load
from linli.procurement.demo import demo_procurement_load
from linli.shops.demo import DemoSummary, demo_load
from linli.shops.models import Merchant, Outlet

# The demo shop owner (邻家便利) and the staff member's shop (望京鲜果蔬菜店).
DEMO_SHOP_PHONES = ["13800000002", "13800000003"]


@dataclass
class FullDemo:
    base: DemoSummary
    extra: dict[str, object] = field(default_factory=dict)


@transaction.atomic
def demo_load_all() -> FullDemo:
    base = demo_load()
    outlets = list(Outlet.objects.filter(community=base.community, active=True).order_by("pk"))
    shop = demo_shop_load(outlets=outlets, seed=7)
    extra: dict[str, object] = {
        k: (len(v) if isinstance(v, list | tuple) else v) for k, v in shop.items()
    }
    extra.update(demo_lockers_load(community=base.community))
    extra.update(demo_delivery_load(community=base.community))
    persona_merchants = Merchant.objects.filter(
        outlets__community=base.community, members__user__phone__in=DEMO_SHOP_PHONES
    ).distinct()
    extra.update(demo_procurement_load(merchants=list(persona_merchants), seed=7))
    extra.update(
        demo_sales_history(
            outlets=list(Outlet.objects.filter(merchant__in=persona_merchants).order_by("pk"))
        )
    )
    return FullDemo(base, extra)
