from ninja import Schema


class CommunityOut(Schema):
    id: int
    name: str
    name_en: str
    city: str
    district: str
    street_office: str
    center_lat: float
    center_lon: float


class BuildingOut(Schema):
    id: int
    osm_id: int | None
    name: str
    lat: float
    lon: float
    floors: int
    households: int
    residential: bool
