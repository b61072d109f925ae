"""Pure 15-minute walking reachability engine (no Django): OSM reading, walking graph,
multi-source Dijkstra per business format, "near me" queries and isochrones.

Typical use::

    data = read_osm("wangjing.osm")               # walkable ways, buildings, outlets
    engine = ReachEngine(WalkNetwork.from_osm(data), speed_kmh=WALK_KMH)
    per_format = reach_buildings(engine, data.buildings, data.outlets)  # minutes, NaN = none
    near = engine.reachable_from(lat, lon, 15, (outlet_lats, outlet_lons))
    polygon = isochrone(engine, lat, lon, 15)      # GeoJSON Feature
"""

from .coverage import (
    BuildingPoints,
    building_points,
    coverage,
    outlets_by_format,
    reach_buildings,
)
from .engine import (
    ELDERLY_KMH,
    MAX_POINT_OFF_M,
    WALK_KMH,
    Nearest,
    Reachable,
    ReachEngine,
    metres_per_minute,
)
from .errors import ReachError
from .isochrone import isochrone
from .network import Snapped, WalkNetwork
from .osm import Building, OsmData, Outlet, ReadSummary, read_osm, walk_skip_reason

__all__ = [
    "ELDERLY_KMH",
    "MAX_POINT_OFF_M",
    "WALK_KMH",
    "Building",
    "BuildingPoints",
    "Nearest",
    "OsmData",
    "Outlet",
    "ReachEngine",
    "ReachError",
    "Reachable",
    "ReadSummary",
    "Snapped",
    "WalkNetwork",
    "building_points",
    "coverage",
    "isochrone",
    "metres_per_minute",
    "outlets_by_format",
    "reach_buildings",
    "read_osm",
    "walk_skip_reason",
]
