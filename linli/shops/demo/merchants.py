"""Generated demo merchants: top up the formats the map lacks, deterministically.

Every random choice comes from a `random.Random` seeded with the format and the index, so a
second run produces the same merchants (found again by their USCC) and a change elsewhere in
the map does not reshuffle them. Sites: non-residential buildings first (the map's shops,
offices and schools), then street junctions, each used once, nudged a few metres off the node.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from linli.community.models import Building, Community
from linli.community.network_store import engine_for
from linli.core.formats import FORMATS
from linli.shops import services
from linli.shops.demo.catalogue import (
    CHAINS,
    DEFAULT_HOURS,
    FOOD,
    GIVEN,
    HOURS,
    NAMES,
    SURNAMES,
    TARGETS,
)
from linli.shops.demo.codes import five_year_validity, jy_generate, uscc_generate
from linli.shops.models import Licence, Merchant, Outlet

SEED = "linli-demo-2025"
JITTER_DEG = 0.00008  # ~8 m: a shopfront beside the junction, not on it


@dataclass
class Generated:
    created: int = 0
    existing: int = 0
    formats_filled: int = 0


def _sites(community: Community) -> list[tuple[float, float]]:
    """Candidate shop sites, in a stable order: non-residential buildings, then junctions."""
    buildings = list(
        Building.objects.filter(community=community, residential=False)
        .order_by("osm_type", "osm_id", "pk")
        .values_list("lat", "lon")
    )
    net = engine_for(community.pk).net
    degree = Counter(net.u.tolist()) + Counter(net.v.tolist())
    junctions = sorted(n for n, d in degree.items() if d >= 3)
    rng = random.Random(SEED + ":sites")
    rng.shuffle(junctions)
    return buildings + [(float(net.lat[n]), float(net.lon[n])) for n in junctions]


def _person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


@transaction.atomic
def demo_merchants_generate(
    *, community: Community, today: date | None = None
) -> tuple[Generated, list[Merchant]]:
    """Create the missing outlets per format; returns counts and the generated merchants."""
    today = today or timezone.localdate()
    real = Counter(
        Outlet.formats.through.objects.filter(
            outlet__community=community, outlet__active=True, outlet__merchant__generated=False
        ).values_list("businessformat_id", flat=True)
    )
    sites = _sites(community)
    taken: set[int] = set()
    result, merchants = Generated(), []
    for f in FORMATS:
        missing = max(0, TARGETS.get(f.slug, 1) - real[f.slug])
        if missing and real[f.slug] == 0:
            result.formats_filled += 1
        for i in range(missing):
            rng = random.Random(f"{SEED}:{f.slug}:{i}")
            uscc = uscc_generate(rng, individual=f.slug not in CHAINS)
            found = Merchant.objects.filter(uscc=uscc, generated=True).first()
            if found is not None:
                result.existing += 1
                merchants.append(found)
                continue
            name = NAMES[f.slug][i % len(NAMES[f.slug])]
            merchant = services.merchant_register(
                name=name,
                uscc=uscc,
                owner=None,
                kind=Merchant.Kind.CHAIN if f.slug in CHAINS else Merchant.Kind.SINGLE,
                legal_representative=_person_name(rng),
                phone=f"010-6{rng.randrange(10**6, 10**7)}",
                generated=True,
            )
            start = rng.randrange(len(sites))
            k = next(
                (
                    j % len(sites)
                    for j in range(start, start + len(sites))
                    if j % len(sites) not in taken
                ),
                start,
            )
            taken.add(k)
            lat, lon = sites[k]
            opens, closes = HOURS.get(f.slug, DEFAULT_HOURS)
            outlet = services.outlet_create(
                merchant=merchant,
                community_id=community.pk,
                name=f"{name}（{community.name[:6]}店）" if f.slug in CHAINS else name,
                lat=lat + rng.uniform(-JITTER_DEG, JITTER_DEG),
                lon=lon + rng.uniform(-JITTER_DEG, JITTER_DEG),
                format_slugs=[f.slug],
                address=f"{community.name.split('·')[-1]}底商 {rng.randrange(1, 80)} 号",
                opening_hours=[{"days": [1, 2, 3, 4, 5, 6, 7], "open": opens, "close": closes}],
            )
            if f.slug in FOOD:
                valid_from, valid_until = five_year_validity(rng, today)
                services.licence_add(
                    merchant=merchant,
                    kind=Licence.Kind.FOOD_BUSINESS,
                    number=jy_generate(rng, catering=FOOD[f.slug]),
                    valid_from=valid_from,
                    valid_until=valid_until,
                    outlet=outlet,
                    today=today,
                )
            result.created += 1
            merchants.append(merchant)
    return result, merchants
