"""GeoJSON for a community's map: walkable streets as lines and building footprints as polygons.

The engine's reader keeps only what reachability needs (centroids, a graph); the map wants
shapes, so this is a second, cheap osmium pass over the same file. Coordinates are rounded to
6 decimals (~0.1 m) to keep the stored JSON small.
"""

from __future__ import annotations

from collections.abc import Container
from pathlib import Path
from typing import Any

import osmium
from osmium.filter import KeyFilter

from linli.community.reach.osm import walk_skip_reason

FeatureCollection = dict[str, Any]


def _ring(nodes: Any) -> list[list[float]]:
    return [[round(n.lon, 6), round(n.lat, 6)] for n in nodes if n.location.valid()]


def map_geojson(
    path: str | Path, residential: Container[tuple[str, int]]
) -> tuple[FeatureCollection, FeatureCollection]:
    """(streets, buildings) FeatureCollections; `residential` holds ("w"|"r", id) keys."""
    streets: list[dict[str, Any]] = []
    buildings: list[dict[str, Any]] = []
    fp = osmium.FileProcessor(str(path)).with_areas().with_filter(KeyFilter("highway", "building"))
    for item in fp:
        obj: Any = item  # pyosmium's union type has no common orig_id()
        kind = obj.type_str()
        tags = obj.tags
        if kind == "w" and "highway" in tags and walk_skip_reason(tags) is None:
            coords = [[round(n.lon, 6), round(n.lat, 6)] for n in obj.nodes if n.location.valid()]
            if len(coords) >= 2:
                props = {"highway": tags.get("highway"), "name": tags.get("name", "")}
                streets.append(
                    {
                        "type": "Feature",
                        "geometry": {"type": "LineString", "coordinates": coords},
                        "properties": props,
                    }
                )
        elif kind == "a" and tags.get("building", "no") != "no":
            polys = []
            for outer in obj.outer_rings():
                rings = [_ring(outer)] + [_ring(inner) for inner in obj.inner_rings(outer)]
                if len(rings[0]) >= 4:
                    polys.append(rings)
            if not polys:
                continue
            osm_type = "w" if obj.from_way() else "r"
            key = (osm_type, obj.orig_id())
            buildings.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "MultiPolygon", "coordinates": polys},
                    "properties": {
                        "osm": f"{osm_type}{obj.orig_id()}",
                        "name": tags.get("name", ""),
                        "residential": key in residential,
                    },
                }
            )
    return (
        {"type": "FeatureCollection", "features": streets},
        {"type": "FeatureCollection", "features": buildings},
    )
