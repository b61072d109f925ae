"""Residents' "near me": outlets within N minutes' walk of the resident's home, nearest first.

One engine per community and process (`engine_for`, keyed by the network digest), the home
building snapped once, one bounded Dijkstra from it to every active outlet of the community.
Queries: home (1), network digest (1), outlets with merchant (1) and their formats (1).
`walk_minutes_for_user` (checkout's range check) takes the outlets in hand: home and digest only.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from linli.accounts.models import User
from linli.community.errors import CommunityError, CommunityErrorCode, from_reach_error
from linli.community.models import Community, Household
from linli.community.network_store import engine_for
from linli.community.reach.engine import ReachEngine
from linli.community.reach.errors import ReachError
from linli.community.reach.isochrone import isochrone
from linli.community.selectors import HomePoint, home_point_for_user, household_for_user
from linli.core.errors import CoreError, CoreErrorCode
from linli.core.formats import FORMATS_BY_SLUG
from linli.shops.errors import ShopsError, ShopsErrorCode
from linli.shops.models import BusinessFormat, Outlet

MIN_MINUTES, MAX_MINUTES = 1, 60


@dataclass(frozen=True)
class NearbyItem:
    outlet: Outlet
    minutes: float

    @property
    def formats(self) -> list[BusinessFormat]:
        return list(self.outlet.formats.all())

    @property
    def display_minutes(self) -> int:
        """Whole minutes for people: rounded up, at least 1."""
        return max(1, math.ceil(self.minutes))


@dataclass
class Nearby:
    home: Household
    community: Community
    minutes: int
    format: str | None
    items: list[NearbyItem]
    engine: ReachEngine

    @property
    def origin(self) -> tuple[float, float]:
        return self.home.building.lat, self.home.building.lon

    def groups(self) -> list[tuple[BusinessFormat, list[NearbyItem]]]:
        """Items per format (an outlet with two formats shows in both), nearest group first."""
        by_slug: dict[str, tuple[BusinessFormat, list[NearbyItem]]] = {}
        for item in self.items:
            for f in item.formats:
                if self.format and f.slug != self.format:
                    continue
                by_slug.setdefault(f.slug, (f, []))[1].append(item)
        return sorted(by_slug.values(), key=lambda g: (g[1][0].minutes, g[0].sort))

    def isochrone(self) -> dict[str, Any]:
        lat, lon = self.origin
        try:
            return isochrone(self.engine, lat, lon, self.minutes)
        except ReachError as exc:
            raise from_reach_error(exc) from exc


def check_nearby_args(*, minutes: int, format_slug: str | None) -> None:
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise CoreError(
            CoreErrorCode.INVALID_INPUT,
            reason=f"minutes={minutes} (allowed {MIN_MINUTES}–{MAX_MINUTES})",
        )
    if format_slug and format_slug not in FORMATS_BY_SLUG:
        raise ShopsError(ShopsErrorCode.FORMAT_UNKNOWN, slug=format_slug)


def nearby_for_user(
    *,
    user: User,
    minutes: int = 15,
    format_slug: str | None = None,
    outlet_ids: list[int] | None = None,
) -> Nearby:
    """Active outlets within `minutes` of the user's home, nearest first.

    Raises invalid_input (minutes outside 1–60), format_unknown, no_household,
    network_missing or home_off_network.
    """
    check_nearby_args(minutes=minutes, format_slug=format_slug)
    home = household_for_user(user=user)
    if home is None:
        raise CommunityError(CommunityErrorCode.NO_HOUSEHOLD)
    community = home.building.community
    engine = engine_for(community.pk)
    qs = (
        Outlet.objects.filter(community=community, active=True)
        .select_related("merchant")
        .prefetch_related("formats")
        .order_by("pk")
    )
    if format_slug:
        qs = qs.filter(formats__slug=format_slug)
    if outlet_ids is not None:  # checkout only needs the shops in the cart
        qs = qs.filter(pk__in=outlet_ids)
    outlets = list(qs)
    items: list[NearbyItem] = []
    if outlets:
        b = home.building
        try:
            r = engine.reachable_from(
                b.lat, b.lon, minutes, ([o.lat for o in outlets], [o.lon for o in outlets])
            )
        except ReachError as exc:
            raise from_reach_error(exc) from exc
        items = [
            NearbyItem(outlets[int(i)], float(m)) for i, m in zip(r.index, r.minutes, strict=True)
        ]
    return Nearby(home, community, minutes, format_slug or None, items, engine)


# Walking minutes per engine (a re-import builds a new engine, so its entries go with the old one):
# (home lat, lon, outlet lat, lon, limit) → minutes, or None when beyond the limit.
_walks: weakref.WeakKeyDictionary[ReachEngine, dict[tuple[float, ...], float | None]] = (
    weakref.WeakKeyDictionary()
)
WALKS_KEPT = 20_000


def walk_minutes_for_user(
    *, user: User, outlets: Iterable[Outlet], minutes: int, home: HomePoint | None = None
) -> dict[int, float]:
    """Minutes from the user's home to each of `outlets` within `minutes`, for a range check.

    Same rules as `nearby_for_user` (active outlets of the home's community, street network), but
    for outlets the caller already holds: one query (the home with its network's digest); the
    walk is remembered per process and network. Outlets out of range are missing from the result.
    `home`: the user's home as the caller read it with its own rows (`home_point_columns`), so
    no statement at all. Raises no_household, network_missing or home_off_network.
    """
    check_nearby_args(minutes=minutes, format_slug=None)
    b = home if home is not None else home_point_for_user(user=user)
    if b is None:
        raise CommunityError(CommunityErrorCode.NO_HOUSEHOLD)
    if b.network_digest is None:
        raise CommunityError(CommunityErrorCode.NETWORK_MISSING)
    engine = engine_for(b.community_id, digest=b.network_digest)
    mine = [o for o in outlets if o.active and o.community_id == b.community_id]
    memo = _walks.setdefault(engine, {})
    keys = [(b.lat, b.lon, o.lat, o.lon, float(minutes)) for o in mine]
    found = [memo.get(k, math.nan) for k in keys]
    todo = [i for i, m in enumerate(found) if m is not None and math.isnan(m)]
    if todo:
        try:
            r = engine.reachable_from(
                b.lat, b.lon, minutes, ([mine[i].lat for i in todo], [mine[i].lon for i in todo])
            )
        except ReachError as exc:
            raise from_reach_error(exc) from exc
        walked = {int(i): float(m) for i, m in zip(r.index, r.minutes, strict=True)}
        if len(memo) > WALKS_KEPT:
            memo.clear()
        for j, i in enumerate(todo):
            found[i] = memo[keys[i]] = walked.get(j)
    return {o.pk: m for o, m in zip(mine, found, strict=True) if m is not None}
