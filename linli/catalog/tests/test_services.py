"""Catalog writes: permissions by membership, prices, barcodes, photos by magic bytes."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from linli.catalog import services
from linli.catalog.errors import CatalogError
from linli.catalog.models import Listing

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _code(call) -> str:
    with pytest.raises(CatalogError) as e:
        call()
    return e.value.spec.code


def test_product_create_keeps_search_text(marco, marco_merchant):
    p = services.product_create(actor=marco, merchant=marco_merchant, name="黄瓜", aliases="青瓜")
    assert {"黄瓜", "huanggua", "hg", "青瓜", "qg"} <= set(p.search_text.split())
    services.product_update(actor=marco, product=p, name="水果黄瓜")
    p.refresh_from_db()
    assert "sghg" in p.search_text.split()


def test_product_validation(marco, marco_merchant):
    make = services.product_create
    assert _code(lambda: make(actor=marco, merchant=marco_merchant, name=" ")) == "product_invalid"
    assert _code(lambda: make(actor=marco, merchant=marco_merchant, name="x", storage="hot")) == (
        "product_invalid"
    )
    assert _code(
        lambda: make(actor=marco, merchant=marco_merchant, name="x", barcode="6901234567891")
    ) == ("product_invalid")
    assert _code(lambda: make(actor=marco, merchant=marco_merchant, name="x", colour="red")) == (
        "product_invalid"
    )
    assert _code(lambda: make(actor=marco, merchant=marco_merchant, name="x", category=999)) == (
        "category_not_found"
    )
    ok = make(actor=marco, merchant=marco_merchant, name="可乐", barcode="6901234567892")
    assert ok.barcode == "6901234567892"


def test_only_members_manage_products_and_listings(
    marco, marco_merchant, marco_outlet, mia, rosa, tomato
):
    assert _code(lambda: services.product_create(actor=mia, merchant=marco_merchant, name="x")) == (
        "not_your_merchant"
    )
    assert _code(lambda: services.product_update(actor=rosa, product=tomato, name="x")) == (
        "not_your_merchant"
    )
    assert (
        _code(
            lambda: services.listing_upsert(
                actor=mia, outlet=marco_outlet, product=tomato, price_fen=1
            )
        )
        == "not_your_outlet"
    )
    tomato.refresh_from_db()
    assert tomato.name == "西红柿"


def test_staff_limited_to_assigned_outlets(marco, marco_merchant, marco_outlet, community, tomato):
    from linli.accounts.services import user_create
    from linli.shops.services import membership_add, outlet_create

    other = outlet_create(
        merchant=marco_merchant,
        community_id=community.pk,
        name="马哥便利店 二店",
        lat=39.99,
        lon=116.47,
        format_slugs=["convenience_store"],
    )
    sam = user_create(phone="13800000009", display_name="小山", roles=["shop_staff"])
    m = membership_add(merchant=marco_merchant, user=sam, role="staff")
    m.outlets.set([other])
    services.listing_upsert(actor=sam, outlet=other, product=tomato, price_fen=500)
    assert (
        _code(
            lambda: services.listing_upsert(
                actor=sam, outlet=marco_outlet, product=tomato, price_fen=1
            )
        )
        == "not_your_outlet"
    )


def test_listing_price_and_product_of_another_merchant(
    marco, marco_outlet, tomato, mia, mia_outlet
):
    for bad in (0, -5, True, 4.5):
        assert (
            _code(
                lambda bad=bad: services.listing_upsert(
                    actor=marco, outlet=marco_outlet, product=tomato, price_fen=bad
                )
            )
            == "price_invalid"
        )
    assert (
        _code(
            lambda: services.listing_upsert(
                actor=mia, outlet=mia_outlet, product=tomato, price_fen=100
            )
        )
        == "product_not_found"
    )
    listing = services.listing_upsert(
        actor=marco, outlet=marco_outlet, product=tomato, price_fen=399
    )
    assert listing.price_fen == 399 and Listing.objects.count() == 1


def test_price_check_constraint_backstop(tomato):
    with pytest.raises(IntegrityError), transaction.atomic():
        Listing.objects.filter(product=tomato).update(price_fen=0)


@pytest.mark.parametrize(
    ("data", "ctype"), [(PNG, "image/png"), (JPEG, "image/jpeg"), (WEBP, "image/webp")]
)
def test_photo_accepted_by_magic_bytes(marco, tomato, data, ctype, tmp_path):
    f = SimpleUploadedFile("whatever.bin", data, content_type="application/octet-stream")
    photo = services.photo_add(actor=marco, product=tomato, uploaded_file=f)
    assert photo.content_type == ctype and photo.size == len(data)
    assert photo.file.path.startswith(str(tmp_path)) and not photo.file.name.endswith(".bin")


def test_bad_photos_rejected(marco, mia, tomato):
    fake = SimpleUploadedFile("x.png", b"<svg onload=alert(1)>", content_type="image/png")
    assert (
        _code(lambda: services.photo_add(actor=marco, product=tomato, uploaded_file=fake))
        == "photo_type"
    )
    big = SimpleUploadedFile("x.jpg", JPEG + b"\x00" * (2 * 1024 * 1024), content_type="image/jpeg")
    with pytest.raises(CatalogError) as e:
        services.photo_add(actor=marco, product=tomato, uploaded_file=big)
    assert e.value.spec.code == "photo_too_large" and "2 MB" in e.value.message("en")
    ok = SimpleUploadedFile("x.png", PNG, content_type="image/png")
    assert (
        _code(lambda: services.photo_add(actor=mia, product=tomato, uploaded_file=ok))
        == "not_your_merchant"
    )
    assert tomato.photos.count() == 0
