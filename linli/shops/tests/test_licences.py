"""USCC (GB 32100) and food-licence checks as a merchant registering a shop meets them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from linli.shops.errors import ShopsError
from linli.shops.licences import UsccVerdict, food_licence_format_ok, uscc_check
from linli.shops.models import Merchant
from linli.shops.services import licence_add, merchant_register


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91230184MA1BUFLT44", "92371000MA3MXH0E3W"])
def test_valid_codes_from_the_standard(code):
    assert uscc_check(code).verdict is UsccVerdict.VALID


def test_letter_outside_the_alphabet_is_invalid():
    assert uscc_check("91350100M000100Y4Z").verdict is UsccVerdict.INVALID


def test_early_code_with_failing_check_is_legacy():
    assert uscc_check("91350100M0001TGQXM").verdict is UsccVerdict.LEGACY


def test_lowercase_and_spaces_are_compacted():
    assert uscc_check(" 91350100m000100y43 ").code == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("kind", "number", "ok"),
    [
        ("food_business", "JY11101050012345", True),
        ("food_business", "JY41101050012345", False),  # type digit 1–3 only
        ("food_business", "JY1110105001234", False),  # 13 digits
        ("food_business", "SC11101050012345", False),
        ("food_production", "SC11101050012345", True),
        ("food_production", "SC1110105001234X", False),
    ],
)
def test_food_licence_layout(kind, number, ok):
    assert food_licence_format_ok(kind, number) is ok


@pytest.mark.django_db
def test_invalid_uscc_registers_nothing():
    with pytest.raises(ShopsError) as e:
        merchant_register(name="假店", uscc="91350100M000100Y4Z", owner=None)
    assert e.value.spec.code == "uscc_invalid"
    assert Merchant.objects.count() == 0


@pytest.mark.django_db
def test_legacy_code_needs_consent_and_is_flagged():
    with pytest.raises(ShopsError) as e:
        merchant_register(name="老店", uscc="91350100M0001TGQXM", owner=None)
    assert e.value.spec.code == "uscc_legacy_not_confirmed"
    m = merchant_register(name="老店", uscc="91350100M0001TGQXM", owner=None, accept_legacy=True)
    assert m.uscc_legacy is True
    assert m.licences.get().legacy is True


@pytest.mark.django_db
def test_same_uscc_twice_is_a_conflict():
    merchant_register(name="甲", uscc="91350100M000100Y43", owner=None)
    with pytest.raises(ShopsError) as e:
        merchant_register(name="乙", uscc="91350100M000100Y43", owner=None)
    assert e.value.spec.code == "licence_duplicate"
    assert Merchant.objects.count() == 1


@pytest.mark.django_db
def test_expired_food_licence_is_refused():
    m = merchant_register(name="甲", uscc="91350100M000100Y43", owner=None)
    today = date(2026, 11, 28)
    with pytest.raises(ShopsError) as e:
        licence_add(
            merchant=m,
            kind="food_business",
            number="JY11101050012345",
            valid_until=today - timedelta(days=1),
            today=today,
        )
    assert e.value.spec.code == "licence_expired"
    with pytest.raises(ShopsError) as e:
        licence_add(
            merchant=m,
            kind="food_business",
            number="JY11101050012345",
            valid_from=today,
            valid_until=today + timedelta(days=6 * 365),
            today=today,
        )
    assert e.value.spec.code == "licence_too_long"
    lic = licence_add(
        merchant=m,
        kind="food_business",
        number="jy11101050012345",
        valid_until=today + timedelta(days=4 * 365),
        today=today,
    )
    assert lic.number == "JY11101050012345"
    assert m.licences.count() == 2
