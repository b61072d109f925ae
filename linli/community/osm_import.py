"""Import an OpenStreetMap extract into a community: buildings, street network, outlets, reach.

Rules (documented because the planning figures depend on them):
- Buildings are keyed by (OSM type, id) within the community, so a re-import updates rows in
  place and keeps their ids (households and residents stay attached). Buildings that vanished
  from the file are deleted unless households are registered in them (then kept and counted).
- Walking origin: the first mapped entrance (`entrance=*` on the outline), else the centroid.
- Floors: `building:levels`, else `DEFAULT_LEVELS_RESIDENTIAL` / `DEFAULT_LEVELS_OTHER`
  (most Beijing housing estates of the 1990s–2000s are 6-storey walk-ups or higher).
- Floor area = footprint × floors. Households of a residential building = residential floor
  area ÷ `LINLI_M2_PER_HOUSEHOLD` (default 90 m², a typical 2-bedroom flat plus shared space),
  rounded, at least 1.
- Outlets are handed to the registered outlet providers (the shops app), inside the same
  transaction; walking minutes per residential building and format are precomputed last.
The whole write is one transaction: a bad file raises a `CommunityError` before anything is
written, and any later failure rolls everything back.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from linli.community.errors import CommunityError, from_reach_error
from linli.community.hooks import outlet_providers
from linli.community.models import Building, Community, Household, StreetNetwork
from linli.community.network_store import building_reach_refresh, pack_network
from linli.community.osm_map import map_geojson
from linli.community.reach.engine import ReachEngine
from linli.community.reach.errors import ReachError
from linli.community.reach.network import WalkNetwork
from linli.community.reach.osm import Building as OsmBuilding
from linli.community.reach.osm import OsmData, ProgressCallback, read_osm

DEFAULT_LEVELS_RESIDENTIAL = 6
DEFAULT_LEVELS_OTHER = 2
MAX_FLOORS = 200


def m2_per_household() -> float:
    return float(getattr(settings, "LINLI_M2_PER_HOUSEHOLD", 90))


@dataclass
class ImportSummary:
    """What an import read, wrote and skipped; `lines()` is what the command prints."""

    community_id: int = 0
    community_created: bool = False
    read: list[str] = field(default_factory=list)
    buildings: Counter[str] = field(default_factory=Counter)
    outlets: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    residential: int = 0
    households: int = 0
    network_nodes: int = 0
    network_edges: int = 0
    network_changed: bool = False
    reach_rows: int = 0
    seconds: float = 0.0

    def lines(self) -> list[str]:
        b, o = self.buildings, self.outlets
        out = [
            f"community #{self.community_id} ({'created' if self.community_created else 'updated'})",
            f"buildings: {b['created']} created, {b['updated']} updated, "
            f"{b['removed']} removed, {b['kept_with_homes']} kept (homes registered)",
            f"residential buildings: {self.residential}, estimated households: {self.households}"
            f" (1 per {m2_per_household():g} m² of residential floor area)",
            f"street network: {self.network_nodes} nodes, {self.network_edges} edges"
            f" ({'changed' if self.network_changed else 'unchanged'})",
            "outlets: " + (", ".join(f"{k} {v}" for k, v in sorted(o.items())) or "none"),
            f"walking minutes precomputed: {self.reach_rows} (building × format)",
        ]
        out += [f"skipped: {k} = {v}" for k, v in self.skipped.most_common()]
        out += [f"  file: {line}" for line in self.read]
        return out


def _floors(b: OsmBuilding) -> int:
    if b.levels:
        return min(b.levels, MAX_FLOORS)
    return DEFAULT_LEVELS_RESIDENTIAL if b.residential else DEFAULT_LEVELS_OTHER


def _building_values(b: OsmBuilding) -> dict[str, object]:
    floors = _floors(b)
    area = round(b.area_m2 * floors, 1)
    lat, lon = b.entrances[0] if b.entrances else (b.lat, b.lon)
    households = max(1, round(area / m2_per_household())) if b.residential else 0
    return {
        "lat": lat,
        "lon": lon,
        "floors": floors,
        "residential": b.residential,
        "floor_area_m2": area,
        "households": households,
    }


def _centre(data: OsmData) -> tuple[float, float]:
    homes = [b for b in data.buildings if b.residential] or data.buildings
    if homes:
        return (
            sum(b.lat for b in homes) / len(homes),
            sum(b.lon for b in homes) / len(homes),
        )
    return float(data.lat.mean()), float(data.lon.mean())


def _store_buildings(community: Community, data: OsmData, s: ImportSummary) -> None:
    existing = {
        (b.osm_type, b.osm_id): b
        for b in Building.objects.filter(community=community, osm_id__isnull=False)
    }
    seen: set[tuple[str, int]] = set()
    new: list[Building] = []
    changed: list[Building] = []
    fields = ["lat", "lon", "floors", "residential", "floor_area_m2", "households"]
    for ob in data.buildings:
        key = (ob.osm_type[0], ob.osm_id)
        if key in seen:
            s.skipped["duplicate buildings in file"] += 1
            continue
        if ob.area_m2 <= 0:
            s.skipped["buildings with a degenerate footprint"] += 1
            continue
        seen.add(key)
        values = _building_values(ob)
        row = existing.get(key)
        if row is None:
            new.append(Building(community=community, osm_type=key[0], osm_id=key[1], **values))
        else:
            for k, v in values.items():
                setattr(row, k, v)
            changed.append(row)
        if ob.residential:
            s.residential += 1
            s.households += int(values["households"])  # type: ignore[call-overload]
    Building.objects.bulk_create(new, batch_size=500)
    Building.objects.bulk_update(changed, fields, batch_size=500)
    s.buildings["created"] += len(new)
    s.buildings["updated"] += len(changed)
    gone = [b.pk for k, b in existing.items() if k not in seen]
    if gone:
        with_homes = set(
            Household.objects.filter(building_id__in=gone).values_list("building_id", flat=True)
        )
        Building.objects.filter(pk__in=[pk for pk in gone if pk not in with_homes]).delete()
        s.buildings["removed"] += len(gone) - len(with_homes)
        s.buildings["kept_with_homes"] += len(with_homes)


@transaction.atomic
def _store(
    *,
    data: OsmData,
    network: WalkNetwork,
    path: Path,
    community_name: str,
    city: str,
    district: str,
    street_office: str,
    name_en: str,
    summary: ImportSummary,
) -> Community:
    lat, lon = _centre(data)
    defaults = {
        "city": city,
        "district": district,
        "street_office": street_office,
        "center_lat": lat,
        "center_lon": lon,
        "source": f"OpenStreetMap: {path.name}"[:200],
    }
    if name_en:
        defaults["name_en"] = name_en
    community, created = Community.objects.update_or_create(name=community_name, defaults=defaults)
    summary.community_id, summary.community_created = community.pk, created
    _store_buildings(community, data, summary)

    blob, digest = pack_network(data)
    residential = {(b.osm_type[0], b.osm_id) for b in data.buildings if b.residential}
    streets, buildings = map_geojson(path, residential)
    old = StreetNetwork.objects.filter(community=community).values_list("digest", flat=True)
    summary.network_changed = list(old) != [digest]
    StreetNetwork.objects.update_or_create(
        community=community,
        defaults={
            "arrays": blob,
            "digest": digest,
            "node_count": network.n_nodes,
            "edge_count": network.n_edges,
            "streets_geojson": streets,
            "buildings_geojson": buildings,
        },
    )
    summary.network_nodes, summary.network_edges = network.n_nodes, network.n_edges

    for provider in outlet_providers():
        summary.outlets.update(provider.sync_osm(community=community, outlets=data.outlets))
    engine = ReachEngine(network, speed_kmh=settings.LINLI_WALK_SPEED_KMH)
    summary.reach_rows = building_reach_refresh(community=community, engine=engine)
    return community


def community_import_osm(
    *,
    path: str | Path,
    community_name: str,
    city: str,
    district: str,
    street_office: str = "",
    name_en: str = "",
    on_progress: ProgressCallback | None = None,
) -> ImportSummary:
    """Read an OSM file and store (or update in place) the community it describes.

    Raises `CommunityError` (osm_missing, osm_unreadable, osm_empty, no_walkable_ways) before
    any write when the file cannot be used.
    """
    started = time.perf_counter()
    p = Path(path)
    try:
        data = read_osm(p, on_progress=on_progress)
        network = WalkNetwork.from_osm(data)
    except ReachError as exc:
        raise from_reach_error(exc) from exc
    summary = ImportSummary(read=data.summary.lines())
    try:
        _store(
            data=data,
            network=network,
            path=p,
            community_name=community_name,
            city=city,
            district=district,
            street_office=street_office,
            name_en=name_en,
            summary=summary,
        )
    except ReachError as exc:  # the map pass re-reads the file; keep one error type
        raise from_reach_error(exc) from exc
    summary.seconds = time.perf_counter() - started
    return summary


__all__ = ["CommunityError", "ImportSummary", "community_import_osm"]
