"""Shop pages: the merchant's home, a shop's public page, and the resident's nearby shops."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from linli.accounts.models import User
from linli.community.selectors import community_for_user, household_for_user
from linli.shops import selectors
from linli.shops.models import Outlet


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


@login_required
def home_resident(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    home = household_for_user(user=user)
    community = home.building.community if home else community_for_user(user=user)
    outlets = list(selectors.outlet_list_public(community_id=community.pk)) if community else []
    return render(
        request,
        "shops/home_resident.html",
        {"home": home, "community": community, "groups": _group_by_format(outlets)},
    )


@login_required
def home_courier(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    community = community_for_user(user=user)
    outlets = selectors.outlet_list_public(community_id=community.pk) if community else []
    return render(request, "shops/home_courier.html", {"community": community, "outlets": outlets})
