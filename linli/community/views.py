"""Pages of the property manager (物业): buildings, households and registered residents."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from linli.accounts.models import User
from linli.community import selectors
from linli.community.models import Building, Household, HouseholdMember


@login_required
def home_property(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    community = selectors.community_for_user(user=user)
    buildings = (
        Building.objects.filter(community=community)
        .annotate(registered=Count("homes__householdmember", distinct=True))
        .order_by("-residential", "name", "pk")
    )
    totals = buildings.aggregate(households=Sum("households"))
    return render(
        request,
        "community/home_property.html",
        {
            "community": community,
            "buildings": buildings[:200],
            "building_count": buildings.count(),
            "households_total": totals["households"] or 0,
            "homes_registered": Household.objects.filter(building__community=community).count(),
            "residents_registered": HouseholdMember.objects.filter(
                household__building__community=community
            ).count(),
        },
    )
