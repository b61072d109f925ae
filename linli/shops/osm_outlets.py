"""The shops side of the OSM import: one map-sourced merchant and outlet per OSM shop.

Outlets are keyed by (community, OSM type, OSM id): a re-import updates name, place and format
in place; outlets that disappeared from the map are deactivated, never deleted (orders and
reviews may point at them). OSM merchants carry `source="osm"` and no USCC until the real
owner claims and registers the shop.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction

from linli.community.hooks import OutletPoint
from linli.core.formats import FORMATS_BY_SLUG
from linli.shops.models import Merchant, Outlet

if TYPE_CHECKING:
    from linli.community.models import Community
    from linli.community.reach.osm import Outlet as OsmOutlet

_TYPE = {"node": "n", "way": "w", "relation": "r"}


def _address(tags: dict[str, str]) -> str:
    parts = [tags.get(k, "") for k in ("addr:street", "addr:housenumber")]
    return "".join(p for p in parts if p)[:200]


def _name(o: OsmOutlet) -> str:
    return (o.name or FORMATS_BY_SLUG[o.format].zh)[:80]


class ShopsOutletProvider:
    """Registered with `linli.community.hooks` in `ShopsConfig.ready()`."""

    @transaction.atomic
    def sync_osm(self, *, community: Community, outlets: Sequence[OsmOutlet]) -> Counter[str]:
        counts: Counter[str] = Counter()
        existing = {
            (o.osm_type, o.osm_id): o
            for o in Outlet.objects.filter(community=community, osm_id__isnull=False)
            .select_related("merchant")
            .prefetch_related("formats")
        }
        seen: set[tuple[str, int]] = set()
        through = Outlet.formats.through
        for src in outlets:
            key = (_TYPE.get(src.osm_type, src.osm_type[:1]), src.osm_id)
            if key in seen:
                counts["duplicates skipped"] += 1
                continue
            seen.add(key)
            name, address = _name(src), _address(src.tags)
            outlet = existing.get(key)
            if outlet is None:
                merchant = Merchant.objects.create(name=name, source=Merchant.Source.OSM)
                outlet = Outlet.objects.create(
                    merchant=merchant,
                    community=community,
                    name=name,
                    address=address,
                    lat=src.lat,
                    lon=src.lon,
                    phone=src.tags.get("phone", src.tags.get("contact:phone", ""))[:20],
                    osm_type=key[0],
                    osm_id=key[1],
                )
                through.objects.create(outlet_id=outlet.pk, businessformat_id=src.format)
                counts["created"] += 1
                continue
            before = (outlet.name, outlet.address, outlet.lat, outlet.lon, outlet.active)
            outlet.name, outlet.lat, outlet.lon, outlet.active = name, src.lat, src.lon, True
            outlet.address = address or outlet.address
            has_format = any(f.slug == src.format for f in outlet.formats.all())
            if not has_format:
                # A merchant may add formats by hand; the map's format is only ever added.
                through.objects.create(outlet_id=outlet.pk, businessformat_id=src.format)
            if has_format and before == (name, outlet.address, src.lat, src.lon, True):
                counts["unchanged"] += 1
                continue
            outlet.save(update_fields=["name", "address", "lat", "lon", "active"])
            if outlet.merchant.source == Merchant.Source.OSM and outlet.merchant.name != name:
                Merchant.objects.filter(pk=outlet.merchant_id).update(name=name)
            counts["updated"] += 1
        gone = [o.pk for k, o in existing.items() if k not in seen and o.active]
        if gone:
            counts["deactivated (gone from map)"] += Outlet.objects.filter(pk__in=gone).update(
                active=False
            )
        return counts

    def points(self, *, community_id: int) -> list[OutletPoint]:
        rows = Outlet.formats.through.objects.filter(
            outlet__community_id=community_id, outlet__active=True
        ).values_list("businessformat_id", "outlet__lat", "outlet__lon")
        return [(slug, lat, lon) for slug, lat, lon in rows]
