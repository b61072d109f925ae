"""Tiny hand-made OSM files for import tests: a 3×3 street grid, three buildings, two shops."""

from __future__ import annotations

from pathlib import Path

LAT0, LON0, STEP = 39.990, 116.470, 0.001


def _grid_nodes() -> list[str]:
    out = []
    for r in range(3):
        for c in range(3):
            nid = 1 + r * 3 + c
            out.append(f'<node id="{nid}" lat="{LAT0 + r * STEP}" lon="{LON0 + c * STEP}"/>')
    return out


def _way(wid: int, refs: list[int], tags: dict[str, str]) -> str:
    nds = "".join(f'<nd ref="{r}"/>' for r in refs)
    tg = "".join(f'<tag k="{k}" v="{v}"/>' for k, v in tags.items())
    return f'<way id="{wid}">{nds}{tg}</way>'


def _box(
    first_id: int, lat: float, lon: float, size: float = 0.0003
) -> tuple[list[str], list[int]]:
    corners = [(lat, lon), (lat, lon + size), (lat + size, lon + size), (lat + size, lon)]
    nodes = [
        f'<node id="{first_id + i}" lat="{la:.6f}" lon="{lo:.6f}"/>'
        for i, (la, lo) in enumerate(corners)
    ]
    refs = [first_id + i for i in range(4)]
    return nodes, [*refs, refs[0]]


def sample_osm(tmp: Path, *, with_school: bool = True, name: str = "sample.osm") -> Path:
    """Write the sample; `with_school=False` drops one building and one outlet (re-import test)."""
    nodes = _grid_nodes()
    ways = []
    wid = 100
    for r in range(3):  # rows and columns of the grid
        ways.append(
            _way(wid := wid + 1, [1 + r * 3, 2 + r * 3, 3 + r * 3], {"highway": "residential"})
        )
        ways.append(_way(wid := wid + 1, [1 + r, 4 + r, 7 + r], {"highway": "footway"}))
    nodes += [
        '<node id="50" lat="39.985" lon="116.465"/>',
        '<node id="51" lat="39.985" lon="116.475"/>',
    ]
    ways.append(_way(200, [50, 51], {"highway": "motorway"}))  # not walkable: skipped
    b1n, b1r = _box(300, LAT0 + 0.0002, LON0 + 0.0002)
    b2n, b2r = _box(310, LAT0 + 0.0012, LON0 + 0.0012)
    b3n, b3r = _box(320, LAT0 + 0.0002, LON0 + 0.0012)
    nodes += b1n + b2n + b3n
    ways.append(_way(401, b1r, {"building": "apartments", "building:levels": "10"}))
    ways.append(_way(402, b2r, {"building": "residential"}))  # no levels: default floors
    ways.append(_way(403, b3r, {"building": "retail", "shop": "supermarket", "name": "邻里超市"}))
    nodes.append(
        '<node id="60" lat="39.9905" lon="116.4705"><tag k="shop" v="convenience"/>'
        '<tag k="name" v="转角便利店"/></node>'
    )
    if with_school:
        b4n, b4r = _box(330, LAT0 + 0.0012, LON0 + 0.0002)
        nodes += b4n
        ways.append(_way(404, b4r, {"building": "school"}))
        nodes.append(
            '<node id="61" lat="39.9915" lon="116.4715"><tag k="amenity" v="pharmacy"/>'
            '<tag k="name" v="老百姓大药房"/></node>'
        )
    body = "\n".join(nodes + ways)
    path = tmp / name
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="test">\n{body}\n</osm>\n',
        encoding="utf-8",
    )
    return path
