"""Pages of the property manager (物业): buildings and households; the resident's own "me" page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from linli.accounts import selectors as account_selectors
from linli.accounts.models import Consent, User
from linli.accounts.services import consent_set
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


@login_required
def resident_me(request: HttpRequest) -> HttpResponse:
    """Who I am, where I live, and what I allow (consents can be withdrawn at any time)."""
    user: User = request.user  # type: ignore[assignment]
    states = account_selectors.consent_states(user=user)
    consents = [(kind, label, states[kind]) for kind, label in Consent.choices]
    return render(
        request,
        "community/resident_me.html",
        {"home": selectors.household_for_user(user=user), "consents": consents},
    )


@login_required
@require_POST
def resident_consent(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    kind = request.POST.get("kind", "")
    if kind in Consent.values:
        consent_set(user=user, kind=kind, granted=request.POST.get("granted") == "1")
    return redirect("community:resident_me")
