"""The commerce official's and community officer's home: formats present and missing."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.community.selectors import communities_for_official
from linli.planning.selectors import format_coverage


@login_required
def home_official(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    communities = list(communities_for_official(user=user))
    wanted = request.GET.get("community")
    community = next((c for c in communities if str(c.pk) == wanted), None) or (
        communities[0] if communities else None
    )
    lang = get_language() or "zh-hans"
    rows = format_coverage(community_id=community.pk, language=lang) if community else []

    def pct(v: float | None) -> float | None:
        return None if v is None else round(100 * v, 1)

    chart = {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [_("Within target walk (%)"), _("Within 15 minutes (%)")]},
        "grid": {"left": 130, "right": 20, "top": 30, "bottom": 20},
        "xAxis": {"type": "value", "max": 100},
        "yAxis": {"type": "category", "data": [r.label for r in rows][::-1]},
        "series": [
            {
                "name": _("Within target walk (%)"),
                "type": "bar",
                "data": [pct(r.within_target) for r in rows][::-1],
            },
            {
                "name": _("Within 15 minutes (%)"),
                "type": "bar",
                "data": [pct(r.within_circle) for r in rows][::-1],
            },
        ],
    }
    return render(
        request,
        "planning/home_official.html",
        {
            "communities": communities,
            "community": community,
            "rows": rows,
            "missing": [r for r in rows if r.count == 0],
            "present": [r for r in rows if r.count > 0],
            "gaps": [r for r in rows if r.gap],
            "chart": chart,
        },
    )
