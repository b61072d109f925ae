from __future__ import annotations

from ninja import Schema


class ProductOut(Schema):
    id: int
    merchant_id: int
    name: str
    aliases: str
    brand: str
    spec: str
    unit: str
    origin: str
    shelf_life_days: int | None
    storage: str
    green_label: bool
    barcode: str
    description: str
    volume_ml: int | None
    weight_g: int | None
    category_id: int | None
    category: str | None
    active: bool
    photos: list[str]


class ListingOut(Schema):
    id: int
    outlet_id: int
    outlet: str
    price_fen: int
    price: str
    active: bool
    product: ProductOut


class SearchHitOut(Schema):
    listing: ListingOut
    score: int
    match: str
    minutes: float | None


class ProductIn(Schema):
    merchant_id: int
    name: str
    category_id: int | None = None
    aliases: str = ""
    brand: str = ""
    spec: str = ""
    unit: str = "个"
    origin: str = ""
    shelf_life_days: int | None = None
    storage: str = "ambient"
    green_label: bool = False
    barcode: str = ""
    description: str = ""
    volume_ml: int | None = None
    weight_g: int | None = None


class ProductPatch(Schema):
    name: str | None = None
    category_id: int | None = None
    aliases: str | None = None
    brand: str | None = None
    spec: str | None = None
    unit: str | None = None
    origin: str | None = None
    shelf_life_days: int | None = None
    storage: str | None = None
    green_label: bool | None = None
    barcode: str | None = None
    description: str | None = None
    volume_ml: int | None = None
    weight_g: int | None = None
    active: bool | None = None


class ListingIn(Schema):
    price_fen: int
    active: bool = True


class PhotoOut(Schema):
    id: int
    url: str
    content_type: str
    size: int
