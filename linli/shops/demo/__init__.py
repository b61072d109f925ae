"""The demo community: Wangjing from OpenStreetMap, generated shops for missing formats, personas.

`demo_load()` is idempotent: the OSM import updates in place, generated merchants are found
again by their (deterministic) USCC and personas by phone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from linli.accounts.models import User
from linli.community.models import Building, Community
from linli.community.network_store import building_reach_refresh
from linli.community.osm_import import ImportSummary, community_import_osm
from linli.community.reach.osm import ProgressCallback
from linli.shops.demo.merchants import Generated, demo_merchants_generate
from linli.shops.demo.personas import Persona, demo_personas_create
from linli.shops.models import Outlet
from linli.shops.services import business_formats_sync

DEMO_OSM = Path(settings.BASE_DIR) / "data" / "osm" / "beijing_wangjing.osm"
DEMO_COMMUNITY = {
    "community_name": "望京街道·望京西园社区",
    "name_en": "Wangjing Xiyuan, Wangjing Subdistrict",
    "city": "北京市",
    "district": "朝阳区",
    "street_office": "望京街道",
}


@dataclass
class DemoSummary:
    community: Community
    imported: ImportSummary
    generated: Generated
    accounts: list[tuple[Persona, User]] = field(default_factory=list)
    numbers: dict[str, int] = field(default_factory=dict)


def _numbers(community: Community) -> dict[str, int]:
    outlets = Outlet.objects.filter(community=community, active=True)
    buildings = Building.objects.filter(community=community)
    return {
        "buildings": buildings.count(),
        "residential": buildings.filter(residential=True).count(),
        "households": sum(buildings.values_list("households", flat=True)),
        "real outlets (OSM)": outlets.filter(osm_id__isnull=False).count(),
        "generated outlets": outlets.filter(merchant__generated=True).count(),
        "formats covered": Outlet.formats.through.objects.filter(outlet__in=outlets)
        .values("businessformat_id")
        .distinct()
        .count(),
    }


@transaction.atomic
def demo_load(*, path: Path = DEMO_OSM, on_progress: ProgressCallback | None = None) -> DemoSummary:
    business_formats_sync()
    imported = community_import_osm(path=path, on_progress=on_progress, **DEMO_COMMUNITY)
    community = Community.objects.get(pk=imported.community_id)
    generated, merchants = demo_merchants_generate(community=community)
    # Generated outlets count for the precomputed walking minutes too.
    building_reach_refresh(community=community)
    accounts = demo_personas_create(community=community, merchants=merchants)
    return DemoSummary(community, imported, generated, accounts, _numbers(community))
