from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router
from ninja.pagination import paginate

from linli.community.errors import CommunityError, CommunityErrorCode
from linli.community.models import Building, Community, StreetNetwork
from linli.community.schemas import BuildingOut, CommunityOut
from linli.core.pagination import BoundedLimitOffset

router = Router(tags=["community"])


@router.get("/communities", response=list[CommunityOut], auth=None)
def communities(request: HttpRequest) -> list[Community]:
    return list(Community.objects.order_by("name"))


@router.get("/communities/{community_id}", response=CommunityOut, auth=None)
def community(request: HttpRequest, community_id: int) -> Community:
    return Community.objects.get(pk=community_id)


@router.get("/communities/{community_id}/buildings", response=list[BuildingOut])
@paginate(BoundedLimitOffset)
def buildings(request: HttpRequest, community_id: int) -> object:
    Community.objects.get(pk=community_id)
    return Building.objects.filter(community_id=community_id).order_by("pk")


def _geojson(request: HttpRequest, community_id: int, field: str) -> HttpResponse:
    """Stored map GeoJSON, cached by the browser and revalidated by the network's digest."""
    row = (
        StreetNetwork.objects.filter(community_id=community_id).values_list("digest", field).first()
    )
    if row is None:
        raise CommunityError(CommunityErrorCode.NETWORK_MISSING)
    etag = f'"{row[0][:16]}-{field[:1]}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponse(status=304)
    resp = JsonResponse(row[1], content_type="application/geo+json")
    resp["ETag"] = etag
    resp["Cache-Control"] = "public, max-age=300"
    return resp


@router.get("/communities/{community_id}/streets.geojson", auth=None)
def streets_geojson(request: HttpRequest, community_id: int) -> HttpResponse:
    """Walkable streets (OpenStreetMap, ODbL) as GeoJSON LineStrings for the map."""
    return _geojson(request, community_id, "streets_geojson")


@router.get("/communities/{community_id}/buildings.geojson", auth=None)
def buildings_geojson(request: HttpRequest, community_id: int) -> HttpResponse:
    """Building footprints (OpenStreetMap, ODbL) with a `residential` flag."""
    return _geojson(request, community_id, "buildings_geojson")
