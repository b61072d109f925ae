"""Outlet providers: how the community layer reaches outlets without importing upward.

Outlets (shops) live one layer above communities. The OSM import hands the outlets it read to
every registered provider inside its own transaction, and the reach precompute asks providers
for outlet points. The shops app registers its provider in `AppConfig.ready()` (the same
pattern as fulfilment providers in ARCHITECTURE.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from linli.community.models import Community
    from linli.community.reach.osm import Outlet as OsmOutlet

# (format slug, lat, lon) of one active outlet offering that format.
OutletPoint = tuple[str, float, float]


class OutletProvider(Protocol):
    def sync_osm(self, *, community: Community, outlets: Sequence[OsmOutlet]) -> Counter[str]:
        """Create or update outlets read from OSM; return counts (created, updated, …)."""
        ...

    def points(self, *, community_id: int) -> list[OutletPoint]:
        """Every active outlet of the community, one row per format it offers."""
        ...


_providers: list[OutletProvider] = []


def register_outlet_provider(provider: OutletProvider) -> None:
    if all(type(p) is not type(provider) for p in _providers):
        _providers.append(provider)


def outlet_providers() -> list[OutletProvider]:
    return list(_providers)
