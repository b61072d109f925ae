"""Write tiny OSM XML files for tests: coordinates given in metres around a reference point."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

LAT0, LON0 = 32.04, 118.78  # Nanjing, so the projection is a realistic one
M_PER_DEG_LAT = 111_195.0


def to_latlon(x_m: float, y_m: float) -> tuple[float, float]:
    """Metres east/north of the reference point → (lat, lon)."""
    lat = LAT0 + y_m / M_PER_DEG_LAT
    lon = LON0 + x_m / (M_PER_DEG_LAT * math.cos(math.radians(LAT0)))
    return lat, lon


@dataclass
class OsmBuilder:
    """Collects nodes and ways, then writes an .osm file."""

    nodes: list[tuple[int, float, float, dict[str, str]]] = field(default_factory=list)
    ways: list[tuple[int, list[int], dict[str, str]]] = field(default_factory=list)
    _next_node: int = 1
    _next_way: int = 1

    def node(self, x: float, y: float, **tags: str) -> int:
        nid = self._next_node
        self._next_node += 1
        lat, lon = to_latlon(x, y)
        self.nodes.append((nid, lat, lon, {k.replace("__", ":"): v for k, v in tags.items()}))
        return nid

    def way(self, refs: list[int], **tags: str) -> int:
        wid = self._next_way
        self._next_way += 1
        self.ways.append((wid, refs, {k.replace("__", ":"): v for k, v in tags.items()}))
        return wid

    def road(self, *pts: tuple[float, float], **tags: str) -> list[int]:
        refs = [self.node(x, y) for x, y in pts]
        self.way(refs, **({"highway": "residential"} | tags))
        return refs

    def building(self, x: float, y: float, size: float = 12.0, **tags: str) -> int:
        h = size / 2
        ring = [
            self.node(x - h, y - h),
            self.node(x + h, y - h),
            self.node(x + h, y + h),
            self.node(x - h, y + h),
        ]
        return self.way([*ring, ring[0]], **({"building": "residential"} | tags))

    def write(self, path: Path) -> Path:
        out = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="test">']

        def tag_lines(tags: dict[str, str]) -> list[str]:
            return [f"  <tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in tags.items()]

        for nid, lat, lon, tags in self.nodes:
            attrs = f'id="{nid}" version="1" lat="{lat:.8f}" lon="{lon:.8f}"'
            if tags:
                out += [f" <node {attrs}>", *tag_lines(tags), " </node>"]
            else:
                out.append(f" <node {attrs}/>")
        for wid, refs, tags in self.ways:
            out.append(f' <way id="{wid}" version="1">')
            out += [f'  <nd ref="{r}"/>' for r in refs]
            out += [*tag_lines(tags), " </way>"]
        out.append("</osm>")
        path.write_text("\n".join(out), encoding="utf-8")
        return path
