"""Read an `.osm` / `.osm.pbf` file into plain data: walkable ways, buildings and outlets.

One streaming pass with pyosmium (plus its own relation pre-pass for multipolygons). Tag
filtering happens in C++ (`KeyFilter`), so Python only sees the few objects that matter.

Walkable network rule (documented because coverage figures depend on it):
- highway in `WALKABLE_HIGHWAYS` is walkable; primary/secondary/tertiary (+ _link) count as
  walkable on their sidewalks, as Chinese and European streets almost always have them;
- `cycleway`/`bridleway` only with foot=yes|designated|permissive;
- motorway/trunk (+ _link) only with foot=yes|designated|permissive or a mapped sidewalk
  (`sidewalk`=both|left|right|yes), since they are otherwise barriers;
- never: foot=no|private, access=no|private without a foot permission, area=yes (plazas are
  polygons, not lines), and `oneway` is ignored (pedestrians walk both ways).

Residential building rule: building in `RESIDENTIAL_BUILDINGS` or building:use=residential,
or building=yes with no shop/amenity/office/craft/tourism tag and a footprint of
`MIN_HOUSE_M2`..`MAX_HOUSE_M2` m² (sheds below, malls and factories above). Entrances
(`entrance=*` nodes on the outline) replace the centroid as walking origins where mapped.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import osmium
from osmium.filter import KeyFilter

from linli.core.formats import OUTLET_KEYS, format_for_tags

from .errors import ReachError
from .geo import haversine_m, polygon_area_centroid

ProgressCallback = Callable[[int, int], None]  # (bytes done, bytes total)

WALKABLE_HIGHWAYS = frozenset(
    {
        "footway",
        "path",
        "pedestrian",
        "steps",
        "living_street",
        "residential",
        "service",
        "unclassified",
        "track",
        "road",
        "corridor",
        "tertiary",
        "tertiary_link",
        "secondary",
        "secondary_link",
        "primary",
        "primary_link",
    }
)
FOOT_ONLY_HIGHWAYS = frozenset({"cycleway", "bridleway"})
BARRIER_HIGHWAYS = frozenset({"motorway", "motorway_link", "trunk", "trunk_link"})
FOOT_YES = frozenset({"yes", "designated", "permissive"})
SIDEWALK_YES = frozenset({"both", "left", "right", "yes"})
RESIDENTIAL_BUILDINGS = frozenset(
    {
        "residential",
        "apartments",
        "house",
        "detached",
        "dormitory",
        "terrace",
        "semidetached_house",
        "bungalow",
    }
)
NON_RESIDENTIAL_KEYS = ("shop", "amenity", "office", "craft", "tourism")
MIN_HOUSE_M2 = 60.0
MAX_HOUSE_M2 = 20_000.0
# Tags kept with an outlet (for display and for re-mapping without re-reading the file).
KEPT_TAG_PREFIXES = (
    *OUTLET_KEYS,
    "name",
    "brand",
    "cuisine",
    "breakfast",
    "opening_hours",
    "phone",
    "contact:",
    "website",
    "addr:",
    "social_facility",
    "operator",
)
_FILTER_KEYS = ("highway", "building", "entrance", *OUTLET_KEYS)


@dataclass(frozen=True, slots=True)
class Building:
    """A building footprint reduced to what reachability needs."""

    osm_id: int
    osm_type: str  # "way" or "relation"
    lat: float
    lon: float
    area_m2: float
    levels: int | None
    residential: bool
    entrances: tuple[tuple[float, float], ...] = ()  # (lat, lon) of mapped entrances


@dataclass(frozen=True, slots=True)
class Outlet:
    """A shop or service point whose tags map to a business format."""

    osm_id: int
    osm_type: str  # "node", "way" or "relation"
    name: str
    lat: float
    lon: float
    format: str
    tags: dict[str, str]


@dataclass
class ReadSummary:
    """What was read and what was skipped, and why; shown by the CLI and the import command."""

    counts: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    unmapped_outlet_tags: Counter[str] = field(default_factory=Counter)
    non_walkable_highways: Counter[str] = field(default_factory=Counter)

    def lines(self, top: int = 8) -> list[str]:
        """Human-readable lines, most useful first."""
        out = [f"read: {k} = {v}" for k, v in sorted(self.counts.items())]
        out += [f"skipped: {k} = {v}" for k, v in self.skipped.most_common()]
        if self.non_walkable_highways:
            vals = ", ".join(f"{k} ({v})" for k, v in self.non_walkable_highways.most_common(top))
            out.append(f"non-walkable highway values: {vals}")
        if self.unmapped_outlet_tags:
            vals = ", ".join(f"{k} ({v})" for k, v in self.unmapped_outlet_tags.most_common(top))
            out.append(f"outlets with unmapped tags: {vals}")
        return out


@dataclass
class OsmData:
    """The result of `read_osm`: walkable graph as arrays, buildings and outlets as lists."""

    source: str
    node_ids: npt.NDArray[np.int64]
    lat: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    edge_u: npt.NDArray[np.int64]  # index into node arrays
    edge_v: npt.NDArray[np.int64]
    edge_length_m: npt.NDArray[np.float64]  # haversine
    edge_way_id: npt.NDArray[np.int64]
    buildings: list[Building]
    outlets: list[Outlet]
    summary: ReadSummary


def walk_skip_reason(tags: Any) -> str | None:
    """None if a way with these tags is walkable, else the reason it is not."""
    hw = tags.get("highway")
    foot = tags.get("foot", "")
    if hw is None:
        return "no highway tag"
    if tags.get("area") == "yes":
        return "highway areas (area=yes)"
    if foot in ("no", "private", "use_sidepath"):
        return "foot=no/private"
    if tags.get("access") in ("no", "private") and foot not in FOOT_YES:
        return "access=no/private"
    if hw in WALKABLE_HIGHWAYS:
        return None
    if hw in FOOT_ONLY_HIGHWAYS:
        return None if foot in FOOT_YES else "cycleway/bridleway without foot access"
    if hw in BARRIER_HIGHWAYS:
        walk = foot in FOOT_YES or tags.get("sidewalk", "") in SIDEWALK_YES
        return None if walk else "motorway/trunk without sidewalk"
    return "highway value not walkable"


def is_residential(tags: Any, area_m2: float) -> bool:
    """Apply the residential rule from the module docstring."""
    b = tags.get("building", "")
    if b in RESIDENTIAL_BUILDINGS or tags.get("building:use") in RESIDENTIAL_BUILDINGS:
        return True
    if b != "yes" or any(k in tags for k in NON_RESIDENTIAL_KEYS):
        return False
    return MIN_HOUSE_M2 <= area_m2 <= MAX_HOUSE_M2


def _levels(raw: str | None) -> int | None:
    try:
        return max(0, round(float(raw.replace(",", ".")))) if raw else None
    except ValueError:
        return None


def _name(tags: Any) -> str:
    for key in ("name:zh", "name:zh-Hans", "name", "name:en", "brand"):
        if tags.get(key):
            return str(tags.get(key))
    return ""


def _kept_tags(tags: Any) -> dict[str, str]:
    return {t.k: t.v for t in tags if t.k.startswith(KEPT_TAG_PREFIXES)}


def _first_outlet_tag(tags: Any) -> str | None:
    for key in OUTLET_KEYS:
        if key in tags:
            return f"{key}={tags.get(key)}"
    return None


class _FilePosition:
    """Byte offset of the file osmium is reading, found through /proc (Linux), else None.

    pyosmium exposes no offset; the kernel's file position of its descriptor is a good
    progress measure and costs one lseek.
    """

    def __init__(self, path: Path) -> None:
        self.path = str(path.resolve())
        self.fd: int | None = None

    def __call__(self) -> int | None:
        if self.fd is None:
            try:
                for name in os.listdir("/proc/self/fd"):
                    if os.readlink(f"/proc/self/fd/{name}") == self.path:
                        self.fd = int(name)
            except OSError:
                return None
            if self.fd is None:
                return None
        try:
            return os.lseek(self.fd, 0, os.SEEK_CUR)
        except OSError:
            self.fd = None
            return None


class _Reader:
    """Accumulates what `read_osm` needs while streaming objects."""

    def __init__(self) -> None:
        self.node_index: dict[int, int] = {}
        self.lat: list[float] = []
        self.lon: list[float] = []
        self.eu: list[int] = []
        self.ev: list[int] = []
        self.eway: list[int] = []
        self.entrances: dict[int, tuple[float, float]] = {}
        self.buildings: list[Building] = []
        self.outlets: list[Outlet] = []
        self.s = ReadSummary()

    def _node(self, ref: int, lat: float, lon: float) -> int:
        idx = self.node_index.get(ref)
        if idx is None:
            idx = self.node_index[ref] = len(self.lat)
            self.lat.append(lat)
            self.lon.append(lon)
        return idx

    def node(self, n: Any) -> None:
        tags = n.tags
        if "entrance" in tags and n.location.valid():
            self.entrances[n.id] = (n.location.lat, n.location.lon)
        if any(k in tags for k in OUTLET_KEYS) and n.location.valid():
            self._outlet(n.id, "node", tags, n.location.lat, n.location.lon)

    def _outlet(self, osm_id: int, osm_type: str, tags: Any, lat: float, lon: float) -> None:
        fmt = format_for_tags(tags)
        if fmt is None:
            self.s.skipped["outlets with unmapped tags"] += 1
            first = _first_outlet_tag(tags)
            if first:
                self.s.unmapped_outlet_tags[first] += 1
            return
        self.outlets.append(Outlet(osm_id, osm_type, _name(tags), lat, lon, fmt, _kept_tags(tags)))

    def way(self, w: Any) -> None:
        tags = w.tags
        if "building" in tags and tags.get("building") != "no":
            self.s.counts["building ways and relations (raw)"] += 1
        if "highway" not in tags:
            if any(k in tags for k in OUTLET_KEYS) and not w.is_closed():
                self.s.skipped["outlets on open ways"] += 1
            return
        reason = walk_skip_reason(tags)
        if reason is not None:
            self.s.skipped[f"ways without walkable highway tag: {reason}"] += 1
            self.s.non_walkable_highways[str(tags.get("highway"))] += 1
            return
        prev: int | None = None
        added = 0
        for nr in w.nodes:
            loc = nr.location
            if not loc.valid():
                self.s.skipped["way nodes without location (clipped extract)"] += 1
                prev = None
                continue
            cur = self._node(nr.ref, loc.lat, loc.lon)
            if prev is not None and prev != cur:
                self.eu.append(prev)
                self.ev.append(cur)
                self.eway.append(w.id)
                added += 1
            prev = cur
        if added:
            self.s.counts["walkable ways"] += 1
        else:
            self.s.skipped["walkable ways with fewer than 2 located nodes"] += 1

    def relation(self, r: Any) -> None:
        if "building" in r.tags and r.tags.get("type") == "multipolygon":
            self.s.counts["building ways and relations (raw)"] += 1

    def area(self, a: Any) -> None:
        tags = a.tags
        is_building = "building" in tags and tags.get("building") != "no"
        is_outlet = any(k in tags for k in OUTLET_KEYS)
        if not (is_building or is_outlet):
            return
        outers: list[list[tuple[float, float]]] = []
        inners: list[list[tuple[float, float]]] = []
        refs: list[int] = []
        for outer in a.outer_rings():
            outers.append([(n.lat, n.lon) for n in outer])
            refs.extend(n.ref for n in outer)
            inners.extend([(n.lat, n.lon) for n in inner] for inner in a.inner_rings(outer))
        if not outers or not outers[0]:
            self.s.skipped["buildings without geometry"] += int(is_building)
            return
        area_m2, clat, clon = polygon_area_centroid(outers, inners)
        osm_type = "way" if a.from_way() else "relation"
        if is_outlet:
            self._outlet(a.orig_id(), osm_type, tags, clat, clon)
        if is_building:
            ent = tuple(dict.fromkeys(self.entrances[r] for r in refs if r in self.entrances))
            self.buildings.append(
                Building(
                    a.orig_id(),
                    osm_type,
                    clat,
                    clon,
                    round(area_m2, 1),
                    _levels(tags.get("building:levels")),
                    is_residential(tags, area_m2),
                    ent,
                )
            )


def _iterate(path: Path, on_progress: ProgressCallback | None) -> Iterator[Any]:
    fp = osmium.FileProcessor(str(path)).with_areas().with_filter(KeyFilter(*_FILTER_KEYS))
    total = path.stat().st_size
    pos = _FilePosition(path)
    for i, obj in enumerate(fp):
        if on_progress is not None and i % 2048 == 0:
            done = pos()
            if done is not None:
                on_progress(min(done, total), total)
        yield obj
    if on_progress is not None:
        on_progress(total, total)


def read_osm(
    path: str | os.PathLike[str], *, on_progress: ProgressCallback | None = None
) -> OsmData:
    """Read walkable ways, buildings and outlets from an OSM XML or PBF file.

    Raises `ReachError` (`osm_missing`, `osm_unreadable`, `osm_empty`) instead of osmium's
    exceptions, so callers never show a traceback for a bad file.
    """
    p = Path(path)
    if not p.is_file():
        raise ReachError("osm_missing", str(path))
    if p.stat().st_size == 0:
        raise ReachError("osm_empty", str(path))
    rd = _Reader()
    seen = 0
    try:
        for obj in _iterate(p, on_progress):
            seen += 1
            kind = obj.type_str()
            if kind == "n":
                rd.node(obj)
            elif kind == "w":
                rd.way(obj)
            elif kind == "a":
                rd.area(obj)
            elif kind == "r":
                rd.relation(obj)
    except ReachError:
        raise
    except Exception as exc:  # osmium raises RuntimeError/ValueError subclasses for bad input
        raise ReachError("osm_unreadable", f"{path}: {exc}") from exc
    if seen == 0:
        raise ReachError("osm_empty", f"{path}: no tagged ways, buildings or outlets")
    s = rd.s
    raw = s.counts["building ways and relations (raw)"]
    if raw > len(rd.buildings):
        s.skipped["buildings without geometry"] = raw - len(rd.buildings)
    s.counts["walkable nodes"] = len(rd.lat)
    s.counts["walkable edges"] = len(rd.eu)
    s.counts["buildings"] = len(rd.buildings)
    s.counts["residential buildings"] = sum(b.residential for b in rd.buildings)
    s.counts["outlets"] = len(rd.outlets)
    lat = np.asarray(rd.lat, dtype=np.float64)
    lon = np.asarray(rd.lon, dtype=np.float64)
    eu = np.asarray(rd.eu, dtype=np.int64)
    ev = np.asarray(rd.ev, dtype=np.int64)
    ids = np.empty(len(rd.node_index), dtype=np.int64)
    ids[np.fromiter(rd.node_index.values(), dtype=np.int64, count=len(ids))] = np.fromiter(
        rd.node_index.keys(), dtype=np.int64, count=len(ids)
    )
    return OsmData(
        source=str(path),
        node_ids=ids,
        lat=lat,
        lon=lon,
        edge_u=eu,
        edge_v=ev,
        edge_length_m=haversine_m(lat[eu], lon[eu], lat[ev], lon[ev]),
        edge_way_id=np.asarray(rd.eway, dtype=np.int64),
        buildings=rd.buildings,
        outlets=rd.outlets,
        summary=s,
    )
