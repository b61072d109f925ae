from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from linli.accounts.models import Role, User
from linli.core.errors import CoreError, CoreErrorCode
from linli.shops import selectors, services
from linli.shops.errors import ShopsError, ShopsErrorCode
from linli.shops.licences import uscc_check
from linli.shops.models import BusinessFormat, Licence, Merchant, Outlet
from linli.shops.schemas import (
    FormatOut,
    LicenceIn,
    LicenceOut,
    MerchantIn,
    MerchantOut,
    OutletDetailOut,
    OutletOut,
    UsccCheckOut,
)

router = Router(tags=["shops"])


def _outlet_out(o: Outlet) -> OutletOut:
    return OutletOut(
        id=o.pk,
        name=o.name,
        merchant=o.merchant.name,
        address=o.address,
        lat=o.lat,
        lon=o.lon,
        formats=[f.slug for f in o.formats.all()],
        community_id=o.community_id,
    )


def _licence_out(lic: Licence) -> LicenceOut:
    return LicenceOut(
        kind=lic.kind,
        number=lic.number,
        valid_from=lic.valid_from,
        valid_until=lic.valid_until,
        legacy=lic.legacy,
        expired=lic.is_expired(),
    )


@router.get("/formats", response=list[FormatOut], auth=None)
def formats(request: HttpRequest) -> list[BusinessFormat]:
    """The 26 business formats (业态) of the 2021 Guide."""
    return list(BusinessFormat.objects.all())


@router.get("/uscc/{code}", response=UsccCheckOut, auth=None)
def uscc(request: HttpRequest, code: str) -> UsccCheckOut:
    """Check a 统一社会信用代码: valid, legacy (check character fails) or invalid."""
    result = uscc_check(code)
    return UsccCheckOut(code=result.code, verdict=result.verdict.value)


@router.get("/outlets", response=list[OutletOut], auth=None)
def outlets(request: HttpRequest, community_id: int | None = Query(None)) -> list[OutletOut]:
    return [_outlet_out(o) for o in selectors.outlet_list_public(community_id=community_id)]


@router.get("/outlets/{outlet_id}", response=OutletDetailOut, auth=None)
def outlet_detail(request: HttpRequest, outlet_id: int) -> OutletDetailOut:
    """A shop's public page data, with its licences (诚信资质查询)."""
    o = selectors.outlet_public_get(outlet_id=outlet_id)
    return OutletDetailOut(
        **_outlet_out(o).model_dump(),
        licences=[_licence_out(lic) for lic in o.merchant.licences.all()],
        opening_hours=o.opening_hours,
    )


@router.get("/mine/outlets", response=list[OutletOut])
def my_outlets(request: HttpRequest) -> list[OutletOut]:
    user: User = request.user  # type: ignore[assignment]
    return [_outlet_out(o) for o in selectors.outlet_list_for_user(user=user)]


@router.post("/merchants", response={201: MerchantOut})
def merchant_register(request: HttpRequest, payload: MerchantIn) -> Status[Merchant]:
    """Register a merchant owned by the caller; the USCC is checked (GB 32100)."""
    user: User = request.user  # type: ignore[assignment]
    if payload.kind not in Merchant.Kind.values:
        raise CoreError(CoreErrorCode.INVALID_INPUT, reason=f"kind={payload.kind}")
    merchant = services.merchant_register(
        name=payload.name,
        uscc=payload.uscc,
        owner=user,
        kind=payload.kind,
        accept_legacy=payload.accept_legacy,
        legal_representative=payload.legal_representative,
        phone=payload.phone,
    )
    from linli.accounts.services import role_grant

    role_grant(user=user, role=Role.SHOP_OWNER)
    return Status(201, merchant)


@router.post("/merchants/{merchant_id}/licences", response={201: LicenceOut})
def licence_add(request: HttpRequest, merchant_id: int, payload: LicenceIn) -> Status[LicenceOut]:
    user: User = request.user  # type: ignore[assignment]
    merchant = selectors.merchant_list_for_user(user=user).filter(pk=merchant_id).first()
    if merchant is None:
        raise ShopsError(ShopsErrorCode.MERCHANT_NOT_FOUND)
    if payload.kind not in (Licence.Kind.FOOD_BUSINESS, Licence.Kind.FOOD_PRODUCTION):
        raise CoreError(CoreErrorCode.INVALID_INPUT, reason=f"kind={payload.kind}")
    outlet = None
    if payload.outlet_id is not None:
        outlet = selectors.outlet_get_for_user(user=user, outlet_id=payload.outlet_id)
    lic = services.licence_add(
        merchant=merchant,
        kind=payload.kind,
        number=payload.number,
        valid_until=payload.valid_until,
        valid_from=payload.valid_from,
        outlet=outlet,
    )
    return Status(201, _licence_out(lic))
