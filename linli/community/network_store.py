"""The stored street network: packing it for the database and one engine per process.

`engine_for(community_id)` costs one small query (the network's digest) when warm; the graph,
KD-tree and projection are built once per process and community, and rebuilt only when a
re-import changes the digest.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections import defaultdict

import numpy as np
from django.conf import settings
from django.db import transaction

from linli.community.errors import CommunityError, CommunityErrorCode
from linli.community.hooks import outlet_providers
from linli.community.models import Building, BuildingReach, Community, StreetNetwork
from linli.community.reach.engine import ReachEngine
from linli.community.reach.network import WalkNetwork
from linli.community.reach.osm import OsmData
from linli.core.formats import FORMATS

_ARRAYS = ("lat", "lon", "edge_u", "edge_v", "edge_length_m")


def pack_network(data: OsmData) -> tuple[bytes, str]:
    """Arrays of the walkable graph as one `.npz` blob and its sha256 (stable for equal data)."""
    buf = io.BytesIO()
    np.savez_compressed(
        buf,
        lat=data.lat.astype(np.float64),
        lon=data.lon.astype(np.float64),
        edge_u=data.edge_u.astype(np.int32),
        edge_v=data.edge_v.astype(np.int32),
        edge_length_m=data.edge_length_m.astype(np.float64),
    )
    # The digest hashes the arrays, not the zip (whose timestamps would change it).
    h = hashlib.sha256()
    for name in _ARRAYS:
        h.update(np.ascontiguousarray(getattr(data, name)).tobytes())
    return buf.getvalue(), h.hexdigest()


def unpack_network(blob: bytes | memoryview) -> WalkNetwork:
    with np.load(io.BytesIO(bytes(blob))) as z:
        return WalkNetwork(
            z["lat"],
            z["lon"],
            z["edge_u"].astype(np.int64),
            z["edge_v"].astype(np.int64),
            z["edge_length_m"],
        )


_cache: dict[int, tuple[str, ReachEngine]] = {}
_lock = threading.Lock()


def engine_for(community_id: int, *, digest: str | None = None) -> ReachEngine:
    """The community's walking engine, cached per process and keyed by the network's digest.

    `digest`: the caller has just read it (see `home_point_for_user`), so it is not read again."""
    if digest is None:
        digest = (
            StreetNetwork.objects.filter(community_id=community_id)
            .values_list("digest", flat=True)
            .first()
        )
    if digest is None:
        raise CommunityError(CommunityErrorCode.NETWORK_MISSING)
    hit = _cache.get(community_id)
    if hit is not None and hit[0] == digest:
        return hit[1]
    with _lock:
        hit = _cache.get(community_id)
        if hit is not None and hit[0] == digest:
            return hit[1]
        blob = StreetNetwork.objects.filter(community_id=community_id).values_list(
            "arrays", flat=True
        )[0]
        engine = ReachEngine(unpack_network(blob), speed_kmh=settings.LINLI_WALK_SPEED_KMH)
        _cache[community_id] = (digest, engine)
        return engine


def engine_cache_clear() -> None:
    with _lock:
        _cache.clear()


@transaction.atomic
def building_reach_refresh(*, community: Community, engine: ReachEngine | None = None) -> int:
    """Recompute minutes from every residential building to the nearest outlet of each format.

    Outlet points come from the registered providers (the shops app). Returns rows written.
    """
    engine = engine or engine_for(community.pk)
    buildings = list(
        Building.objects.filter(community=community, residential=True).values_list(
            "pk", "lat", "lon"
        )
    )
    BuildingReach.objects.filter(building__community=community).delete()
    if not buildings:
        return 0
    by_format: dict[str, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    for provider in outlet_providers():
        for slug, lat, lon in provider.points(community_id=community.pk):
            by_format[slug][0].append(lat)
            by_format[slug][1].append(lon)
    targets = engine.snap_points(([b[1] for b in buildings], [b[2] for b in buildings]))
    minutes = engine.minutes_to_nearest(dict(by_format), targets) if by_format else {}
    rows = []
    for f in FORMATS:
        values = minutes.get(f.slug)
        for i, (pk, _lat, _lon) in enumerate(buildings):
            m = None if values is None or np.isnan(values[i]) else round(float(values[i]), 2)
            rows.append(BuildingReach(building_id=pk, format=f.slug, minutes=m))
    BuildingReach.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
