from __future__ import annotations

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import LimitOffsetPagination, paginate

from linli.community.models import Building, Community
from linli.community.schemas import BuildingOut, CommunityOut

router = Router(tags=["community"])


@router.get("/communities", response=list[CommunityOut], auth=None)
def communities(request: HttpRequest) -> list[Community]:
    return list(Community.objects.order_by("name"))


@router.get("/communities/{community_id}", response=CommunityOut, auth=None)
def community(request: HttpRequest, community_id: int) -> Community:
    return Community.objects.get(pk=community_id)


@router.get("/communities/{community_id}/buildings", response=list[BuildingOut])
@paginate(LimitOffsetPagination)
def buildings(request: HttpRequest, community_id: int) -> object:
    Community.objects.get(pk=community_id)
    return Building.objects.filter(community_id=community_id).order_by("pk")
