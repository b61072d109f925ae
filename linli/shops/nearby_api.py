"""GET /api/v1/nearby: outlets within N minutes' walk of the logged-in resident's home."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema

from linli.accounts.models import User
from linli.shops.nearby import nearby_for_user

router = Router(tags=["shops"])


class NearbyOutletOut(Schema):
    id: int
    name: str
    merchant: str
    address: str
    lat: float
    lon: float
    formats: list[str]
    walk_minutes: float


class NearbyOut(Schema):
    community_id: int
    community: str
    home: str
    home_lat: float
    home_lon: float
    minutes: int
    format: str | None
    count: int
    outlets: list[NearbyOutletOut]


@router.get("/nearby", response=NearbyOut)
def nearby(
    request: HttpRequest,
    minutes: int = Query(15, description="walking minutes, 1–60"),
    format: str | None = Query(None, description="business format slug, e.g. pharmacy"),
) -> NearbyOut:
    """Shops and services within `minutes` of your home, nearest first (errors: no_household,
    format_unknown, invalid_input)."""
    user: User = request.user  # type: ignore[assignment]
    n = nearby_for_user(user=user, minutes=minutes, format_slug=format)
    lat, lon = n.origin
    return NearbyOut(
        community_id=n.community.pk,
        community=n.community.name,
        home=str(n.home),
        home_lat=lat,
        home_lon=lon,
        minutes=n.minutes,
        format=n.format,
        count=len(n.items),
        outlets=[
            NearbyOutletOut(
                id=i.outlet.pk,
                name=i.outlet.name,
                merchant=i.outlet.merchant.name,
                address=i.outlet.address,
                lat=i.outlet.lat,
                lon=i.outlet.lon,
                formats=[f.slug for f in i.formats],
                walk_minutes=round(i.minutes, 1),
            )
            for i in n.items
        ],
    )
