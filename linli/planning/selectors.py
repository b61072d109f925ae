"""What the commerce official sees: every business format of a community, how many outlets it has
and what share of residential buildings reach one on foot within the format's target and within
the 15-minute circle (from the precomputed walking minutes, community.BuildingReach)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from linli.community.models import Building, BuildingReach
from linli.shops.models import BusinessFormat


@dataclass(frozen=True)
class FormatCoverage:
    slug: str
    label: str
    cls: str
    target_minutes: int
    count: int
    within_target: float | None  # share of residential buildings, 0..1; None: not computed
    within_circle: float | None

    @property
    def gap(self) -> bool:
        """A basic format that misses its walking target for a fifth of homes or more."""
        return self.cls == "basic" and (self.within_target is None or self.within_target < 0.8)


def format_coverage(
    *, community_id: int, language: str, circle_minutes: int = 15
) -> list[FormatCoverage]:
    """All 26 formats in the Guide's order, three queries whatever the community's size."""
    formats = list(
        BusinessFormat.objects.annotate(
            n=Count(
                "outlets",
                filter=Q(outlets__community_id=community_id, outlets__active=True),
                distinct=True,
            )
        ).order_by("sort")
    )
    homes = Building.objects.filter(community_id=community_id, residential=True).count()
    reach: dict[str, list[float | None]] = {}
    rows = BuildingReach.objects.filter(
        building__community_id=community_id, building__residential=True
    ).values_list("format", "minutes")
    for slug, minutes in rows:
        reach.setdefault(slug, []).append(minutes)
    out = []
    for f in formats:
        values = reach.get(f.slug)
        if not homes or values is None:
            target = circle = None
        else:
            target = sum(1 for m in values if m is not None and m <= f.target_minutes) / homes
            circle = sum(1 for m in values if m is not None and m <= circle_minutes) / homes
        out.append(
            FormatCoverage(f.slug, f.label(language), f.cls, f.target_minutes, f.n, target, circle)
        )
    return out
