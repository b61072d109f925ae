"""Writes for shops: merchants with checked USCC, outlets, licences, memberships, format table."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.accounts.models import User
from linli.shops.errors import ShopsError, ShopsErrorCode
from linli.shops.licences import UsccVerdict, food_licence_format_ok, uscc_check
from linli.shops.models import BusinessFormat, Licence, Membership, Merchant, Outlet


def business_formats_sync() -> int:
    """Write the format table from `linli.core.formats` into the database (idempotent)."""
    from linli.core.formats import FORMATS

    for i, f in enumerate(FORMATS):
        BusinessFormat.objects.update_or_create(
            slug=f.slug,
            defaults={
                "zh": f.zh,
                "en": f.en,
                "cls": f.cls,
                "target_minutes": f.target_minutes,
                "osm_tags": [list(t) for t in f.osm_tags],
                "sort": i,
            },
        )
    return len(FORMATS)


@transaction.atomic
def merchant_register(
    *,
    name: str,
    uscc: str,
    owner: User | None,
    kind: str = Merchant.Kind.SINGLE,
    accept_legacy: bool = False,
    legal_representative: str = "",
    phone: str = "",
    generated: bool = False,
) -> Merchant:
    """Register a merchant. The USCC must pass GB 32100; a legacy code needs explicit consent."""
    result = uscc_check(uscc)
    if result.verdict is UsccVerdict.INVALID:
        raise ShopsError(ShopsErrorCode.USCC_INVALID, code=uscc)
    if result.verdict is UsccVerdict.LEGACY and not accept_legacy:
        raise ShopsError(ShopsErrorCode.USCC_LEGACY_NOT_CONFIRMED, code=result.code)
    merchant = Merchant.objects.create(
        name=name,
        kind=kind,
        uscc=result.code,
        uscc_legacy=result.verdict is UsccVerdict.LEGACY,
        legal_representative=legal_representative,
        phone=phone,
        generated=generated,
    )
    try:
        with transaction.atomic():
            Licence.objects.create(
                merchant=merchant,
                kind=Licence.Kind.BUSINESS,
                number=result.code,
                legacy=merchant.uscc_legacy,
            )
    except IntegrityError as e:
        raise ShopsError(ShopsErrorCode.LICENCE_DUPLICATE) from e
    if owner is not None:
        Membership.objects.create(merchant=merchant, user=owner, role=Membership.Role.OWNER)
    return merchant


def licence_add(
    *,
    merchant: Merchant,
    kind: str,
    number: str,
    valid_until: date,
    valid_from: date | None = None,
    outlet: Outlet | None = None,
    today: date | None = None,
) -> Licence:
    """Add a food licence after checking its layout, expiry and the 5-year validity limit."""
    number = (number or "").strip().upper()
    if not food_licence_format_ok(kind, number):
        raise ShopsError(ShopsErrorCode.LICENCE_FORMAT, number=number)
    day = today or timezone.localdate()
    if valid_until < day:
        raise ShopsError(ShopsErrorCode.LICENCE_EXPIRED, date=valid_until.isoformat())
    start = valid_from or day
    if (valid_until - start).days > 5 * 366:
        raise ShopsError(ShopsErrorCode.LICENCE_TOO_LONG)
    try:
        with transaction.atomic():
            return Licence.objects.create(
                merchant=merchant,
                outlet=outlet,
                kind=kind,
                number=number,
                valid_from=start,
                valid_until=valid_until,
            )
    except IntegrityError as e:
        raise ShopsError(ShopsErrorCode.LICENCE_DUPLICATE) from e


@transaction.atomic
def outlet_create(
    *,
    merchant: Merchant,
    community_id: int,
    name: str,
    lat: float,
    lon: float,
    format_slugs: list[str],
    address: str = "",
    opening_hours: list[dict[str, object]] | None = None,
    osm_id: int | None = None,
    osm_type: str = "",
) -> Outlet:
    formats = list(BusinessFormat.objects.filter(slug__in=format_slugs))
    missing = set(format_slugs) - {f.slug for f in formats}
    if missing:
        raise ShopsError(ShopsErrorCode.FORMAT_UNKNOWN, slug=", ".join(sorted(missing)))
    outlet = Outlet.objects.create(
        merchant=merchant,
        community_id=community_id,
        name=name,
        lat=lat,
        lon=lon,
        address=address,
        opening_hours=opening_hours or [],
        osm_id=osm_id,
        osm_type=osm_type,
    )
    outlet.formats.set(formats)
    return outlet


def membership_add(*, merchant: Merchant, user: User, role: str) -> Membership:
    membership, _ = Membership.objects.update_or_create(
        merchant=merchant, user=user, defaults={"role": role}
    )
    return membership
