from __future__ import annotations

from datetime import date

from ninja import Schema


class FormatOut(Schema):
    slug: str
    zh: str
    en: str
    cls: str
    target_minutes: int


class UsccCheckOut(Schema):
    code: str
    verdict: str


class MerchantIn(Schema):
    name: str
    uscc: str
    kind: str = "single"
    accept_legacy: bool = False
    legal_representative: str = ""
    phone: str = ""


class MerchantOut(Schema):
    id: int
    name: str
    kind: str
    uscc: str
    uscc_legacy: bool


class LicenceIn(Schema):
    kind: str
    number: str
    valid_until: date
    valid_from: date | None = None
    outlet_id: int | None = None


class LicenceOut(Schema):
    kind: str
    number: str
    valid_from: date | None
    valid_until: date | None
    legacy: bool
    expired: bool


class OutletOut(Schema):
    id: int
    name: str
    merchant: str
    address: str
    lat: float
    lon: float
    formats: list[str]
    community_id: int


class OutletDetailOut(OutletOut):
    licences: list[LicenceOut]
    opening_hours: list[dict[str, object]]
