from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from linli.shops.models import BusinessFormat


@dataclass(frozen=True)
class FormatCount:
    slug: str
    label: str
    cls: str
    target_minutes: int
    count: int


def format_counts(*, community_id: int, language: str) -> list[FormatCount]:
    """Active outlets per business format in one community, every format listed (one query)."""
    formats = BusinessFormat.objects.annotate(
        n=Count(
            "outlets",
            filter=Q(outlets__community_id=community_id, outlets__active=True),
            distinct=True,
        )
    )
    return [FormatCount(f.slug, f.label(language), f.cls, f.target_minutes, f.n) for f in formats]
