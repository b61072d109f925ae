"""Shop pages: the merchant's home, a shop's public page, and the resident's nearby shops."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, gettext

from linli.accounts.models import User
from linli.community.selectors import community_for_user, household_for_user
from linli.core.errors import LinliError
from linli.shops import selectors
from linli.shops.models import BusinessFormat, Outlet
from linli.shops.nearby import Nearby, nearby_for_user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    merchants = selectors.merchant_list_for_user(user=user).prefetch_related("licences")
    outlets = selectors.outlet_list_for_user(user=user)
    return render(request, "shops/home.html", {"merchants": merchants, "outlets": outlets})


def outlet_public(request: HttpRequest, outlet_id: int) -> HttpResponse:
    """A shop's public page: formats, hours and licences (诚信资质查询)."""
    outlet = selectors.outlet_public_get(outlet_id=outlet_id)
    return render(request, "shops/outlet_public.html", {"outlet": outlet})


def _group_by_format(outlets: list[Outlet]) -> list[tuple[str, list[Outlet]]]:
    lang = get_language() or "zh-hans"
    groups: dict[str, list[Outlet]] = defaultdict(list)
    for o in outlets:
        for f in o.formats.all():
            groups[f.label(lang)].append(o)
    return sorted(groups.items())


RESIDENT_MINUTES = (5, 10, 15)


def _nearby_map_layers(nearby: Nearby, lang: str) -> dict[str, object]:
    """Map layers for the near-me page: streets and buildings by URL (cached), the walk area,
    the outlets coloured by format and the home."""
    base = f"/api/v1/community/communities/{nearby.community.pk}"
    outlets = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [i.outlet.lon, i.outlet.lat]},
            "properties": {
                "name": i.outlet.name,
                "popup": " · ".join(
                    [
                        *(f.label(lang) for f in i.formats),
                        gettext("%(m)d min walk") % {"m": i.display_minutes},
                    ]
                ),
                "format_class": i.formats[0].cls if i.formats else "basic",
            },
        }
        for i in nearby.items
    ]
    lat, lon = nearby.origin
    home = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "name": gettext("My home"),
            "popup": str(nearby.home),
            "radius": 10,
            "format_class": "home",
        },
    }
    return {
        "layers": [
            {"kind": "streets", "url": f"{base}/streets.geojson"},
            {"kind": "buildings", "url": f"{base}/buildings.geojson"},
            {
                "kind": "isochrone",
                "name": gettext("%(m)d-minute walk") % {"m": nearby.minutes},
                "data": nearby.isochrone(),
            },
            {
                # One layer so the legend colours match: basic, quality, then the home.
                "kind": "outlets",
                "classes": {
                    "basic": gettext("Basic formats"),
                    "quality": gettext("Quality formats"),
                    "home": gettext("My home"),
                },
                "data": {"type": "FeatureCollection", "features": [*outlets, home]},
            },
        ]
    }


@login_required
def home_resident(request: HttpRequest) -> HttpResponse:
    """Shops and services within 5/10/15 minutes' walk of the resident's home, by walking time."""
    user: User = request.user  # type: ignore[assignment]
    lang = get_language() or "zh-hans"
    try:
        minutes = int(request.GET.get("minutes", settings.LINLI_CIRCLE_MINUTES))
    except ValueError:
        minutes = settings.LINLI_CIRCLE_MINUTES
    if minutes not in RESIDENT_MINUTES:
        minutes = settings.LINLI_CIRCLE_MINUTES
    fmt = request.GET.get("format") or None
    context: dict[str, object] = {
        "minute_choices": RESIDENT_MINUTES,
        "minutes": minutes,
        "format": fmt,
        "formats": [(f.slug, f.label(lang)) for f in BusinessFormat.objects.all()],
    }
    try:
        nearby = nearby_for_user(user=user, minutes=minutes, format_slug=fmt)
    except LinliError as e:
        # No home or no street network yet: still list the community's shops, without times.
        home = household_for_user(user=user)
        community = home.building.community if home else community_for_user(user=user)
        outlets = list(selectors.outlet_list_public(community_id=community.pk)) if community else []
        if fmt:
            outlets = [o for o in outlets if any(f.slug == fmt for f in o.formats.all())]
        context.update(
            {
                "error": e,
                "home": home,
                "community": community,
                "fallback_groups": _group_by_format(outlets),
            }
        )
        return render(request, "shops/home_resident.html", context)
    context.update(
        {
            "nearby": nearby,
            "home": nearby.home,
            "community": nearby.community,
            "groups": [(f.label(lang), f.slug, items) for f, items in nearby.groups()],
            "map_layers": _nearby_map_layers(nearby, lang),
        }
    )
    return render(request, "shops/home_resident.html", context)


@login_required
def home_courier(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    community = community_for_user(user=user)
    outlets = selectors.outlet_list_public(community_id=community.pk) if community else []
    return render(request, "shops/home_courier.html", {"community": community, "outlets": outlets})
