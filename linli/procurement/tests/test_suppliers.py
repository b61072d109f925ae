"""Suppliers: USCC checked, one per code, licences, tiers, who may edit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.procurement import services
from linli.procurement.errors import ProcurementError
from linli.procurement.models import PriceTier, Supplier, SupplierProduct
from linli.procurement.tests.conftest import make_uscc

pytestmark = pytest.mark.django_db


def code_of(call) -> str:
    with pytest.raises(ProcurementError) as e:
        call()
    return e.value.spec.code


def test_register_checks_the_uscc_and_refuses_duplicates(marco, marco_merchant, farm):
    assert farm.uscc == make_uscc(1) and farm.registered_by == marco_merchant
    reg = {"actor": marco, "merchant": marco_merchant, "name": "某公司", "kind": "company"}
    assert code_of(lambda: services.supplier_register(uscc="91350100M000100Y4Z", **reg)) == (
        "uscc_invalid"
    )
    assert code_of(lambda: services.supplier_register(uscc="91350100M0001TGQXM", **reg)) == (
        "uscc_legacy_not_confirmed"
    )
    assert code_of(lambda: services.supplier_register(uscc="12345", **reg)) == "uscc_invalid"
    assert code_of(lambda: services.supplier_register(uscc=make_uscc(1), **reg)) == (
        "supplier_duplicate"
    )
    assert code_of(
        lambda: services.supplier_register(uscc=make_uscc(2), **{**reg, "kind": "x"})
    ) == ("supplier_invalid")
    assert Supplier.objects.count() == 1
    legacy = services.supplier_register(uscc="91350100M0001TGQXM", accept_legacy=True, **reg)
    assert legacy.uscc_legacy


def test_only_members_of_the_merchant_or_the_platform_register(mia, marco_merchant, admin):
    assert (
        code_of(
            lambda: services.supplier_register(
                actor=mia, merchant=marco_merchant, name="X", kind="company", uscc=make_uscc(3)
            )
        )
        == "not_supplier_editor"
    )
    assert (
        code_of(
            lambda: services.supplier_register(
                actor=mia, name="X", kind="company", uscc=make_uscc(3)
            )
        )
        == "not_supplier_editor"
    )
    s = services.supplier_register(
        actor=admin, name="平台供应商", kind="company", uscc=make_uscc(3)
    )
    assert s.registered_by is None


def test_licences_products_and_tiers(marco, mia, farm, farm_tomato, farmer):
    today = timezone.localdate()
    lic = services.supplier_licence_add(
        actor=farmer,
        supplier=farm,
        kind="food_production",
        number="SC10637078200123",
        valid_until=today + timedelta(days=400),
    )
    assert lic.number.startswith("SC")
    assert (
        code_of(
            lambda: services.supplier_licence_add(
                actor=farmer, supplier=farm, kind="food_business", number="JY9", valid_until=today
            )
        )
        == "licence_format"
    )
    assert (
        code_of(
            lambda: services.supplier_licence_add(
                actor=farmer,
                supplier=farm,
                kind="food_business",
                number="JY13701020000013",
                valid_until=today - timedelta(days=1),
            )
        )
        == "licence_expired"
    )
    assert farmer.has_role("supplier")
    assert [(t.min_quantity, t.price_fen) for t in farm_tomato.tiers.all()] == [
        (100, 800),
        (300, 700),
    ]
    bad = [[(100, 1200)], [(0, 500)], [(100, 800), (100, 700)], [(100, 800), (200, 900)], [(5, -1)]]
    for tiers in bad:
        assert (
            code_of(
                lambda t=tiers: services.price_tiers_set(
                    actor=farmer, supplier_product=farm_tomato, tiers=t
                )
            )
            == "tiers_invalid"
        )
    assert PriceTier.objects.count() == 2  # nothing changed
    assert (
        code_of(
            lambda: services.supplier_product_upsert(
                actor=farmer, supplier=farm, name="黄瓜", price_fen=-5
            )
        )
        == "invalid_price"
    )
    assert (
        code_of(
            lambda: services.supplier_product_upsert(
                actor=farmer, supplier=farm, name="黄瓜", price_fen=300, available_quantity=-1
            )
        )
        == "invalid_quantity"
    )
    # mia works elsewhere: she cannot touch the farm's prices.
    assert (
        code_of(
            lambda: services.supplier_product_upsert(
                actor=mia, supplier=farm, name="黄瓜", price_fen=300
            )
        )
        == "not_supplier_editor"
    )
    assert SupplierProduct.objects.count() == 1
