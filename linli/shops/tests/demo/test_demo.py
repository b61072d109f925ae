"""The demo community: numbers, valid codes, idempotent reload, personas and tenancy."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum.cn import uscc

from linli.accounts.models import Role, User
from linli.community.models import Building, BuildingReach, CommunityStaff, HouseholdMember
from linli.core.formats import FORMATS
from linli.shops import selectors
from linli.shops.demo import DemoSummary, demo_load
from linli.shops.demo.catalogue import FOOD
from linli.shops.demo.personas import PERSONAS
from linli.shops.licences import food_licence_format_ok
from linli.shops.models import Licence, Merchant, Outlet

pytestmark = pytest.mark.django_db


def test_demo_numbers(demo: DemoSummary) -> None:
    n = demo.numbers
    assert demo.community.name == "望京街道·望京西园社区"
    assert (demo.community.city, demo.community.district) == ("北京市", "朝阳区")
    assert n["buildings"] == 226 and n["residential"] == 197
    assert n["households"] > 10_000
    assert n["real outlets (OSM)"] == 61
    assert n["generated outlets"] == demo.generated.created + demo.generated.existing > 0
    assert n["formats covered"] == len(FORMATS)
    # Every format exists now, so only buildings cut off by the extract's edge (on a street
    # fragment of their own) lack a walking time: 9 of 197 in Wangjing.
    cut_off = (
        BuildingReach.objects.filter(building__community=demo.community, minutes__isnull=True)
        .values("building")
        .distinct()
        .count()
    )
    assert cut_off <= 0.05 * n["residential"]


def test_osm_merchants_have_no_uscc_and_generated_ones_valid_codes(demo: DemoSummary) -> None:
    osm = Merchant.objects.filter(source=Merchant.Source.OSM, outlets__community=demo.community)
    assert osm.count() == 61 and not osm.exclude(uscc="").exists()
    generated = Merchant.objects.filter(generated=True)
    assert generated.count() == demo.numbers["generated outlets"]
    for m in generated:
        assert uscc.is_valid(m.uscc), m.uscc
        assert m.licences.filter(kind=Licence.Kind.BUSINESS, number=m.uscc).exists()
    food = Licence.objects.filter(kind=Licence.Kind.FOOD_BUSINESS, merchant__generated=True)
    food_outlets = Outlet.objects.filter(merchant__generated=True, formats__slug__in=FOOD)
    assert food.count() == food_outlets.count() > 0
    for lic in food:
        assert food_licence_format_ok(lic.kind, lic.number)
        assert lic.valid_from <= date.today() <= lic.valid_until
        assert (lic.valid_until - lic.valid_from).days <= 5 * 366


def test_demo_reload_is_idempotent(demo: DemoSummary) -> None:
    def snapshot() -> tuple[object, ...]:
        return (
            sorted(Building.objects.values_list("pk", "osm_id", "households")),
            sorted(Outlet.objects.values_list("pk", "name", "lat", "lon", "active")),
            sorted(Merchant.objects.values_list("pk", "uscc")),
            sorted(User.objects.values_list("pk", "phone")),
            Licence.objects.count(),
            HouseholdMember.objects.count(),
        )

    before = snapshot()
    again = demo_load()
    assert snapshot() == before
    assert again.generated.created == 0
    assert again.imported.outlets["unchanged"] == 61


def test_one_persona_per_role(demo: DemoSummary) -> None:
    assert {p.role for p in PERSONAS} == set(Role.values)
    for p, user in demo.accounts:
        assert user.has_role(p.role)
        assert user.has_usable_password() == (p.role != Role.RESIDENT)
    wang = User.objects.get(phone="13800000001")
    home = HouseholdMember.objects.get(user=wang).household
    assert home.building.residential and home.building.community == demo.community
    assert CommunityStaff.objects.filter(community=demo.community).count() == 2
    assert User.objects.get(phone="13800000010").is_superuser


def test_tenancy_unaffected(demo: DemoSummary) -> None:
    owner = User.objects.get(phone="13800000002")
    staff = User.objects.get(phone="13800000003")
    own = list(selectors.outlet_list_for_user(user=owner))
    theirs = list(selectors.outlet_list_for_user(user=staff))
    assert [o.merchant.name for o in own] == ["邻家便利"]
    assert [o.merchant.name for o in theirs] == ["望京鲜果蔬菜店"]
    assert not set(own) & set(theirs)
    # Map-sourced merchants belong to nobody until claimed.
    assert not Merchant.objects.filter(source=Merchant.Source.OSM, members__isnull=False).exists()
