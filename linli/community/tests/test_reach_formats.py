"""The business-format table: the Guide's 14 + 12 formats and the OSM tag mapping."""

from __future__ import annotations

import pytest

from linli.core.formats import FORMATS, FORMATS_BY_SLUG, MATCH_ORDER, format_for_tags

BASIC_ZH = [
    "便利店",
    "综合超市",
    "菜市场",
    "生鲜超市(菜店)",
    "早餐店",
    "洗染店",
    "美容美发店",
    "照相文印店",
    "家政服务点",
    "维修点",
    "药店",
    "邮政快递综合服务点",
    "再生资源回收点",
    "前置仓",
]
QUALITY_ZH = [
    "社区养老服务机构",
    "特色餐饮店",
    "蛋糕烘焙店",
    "新式书店",
    "运动健身房",
    "幼儿托管点",
    "培训教育点",
    "旅游服务点",
    "保健养生店",
    "鲜花礼品店",
    "茶艺咖啡馆",
    "宠物服务站",
]


def test_exactly_the_guides_14_basic_and_12_quality_formats() -> None:
    assert [f.zh for f in FORMATS if f.cls == "basic"] == BASIC_ZH
    assert [f.zh for f in FORMATS if f.cls == "quality"] == QUALITY_ZH
    assert len(FORMATS_BY_SLUG) == 26
    assert sorted(MATCH_ORDER) == sorted(FORMATS_BY_SLUG)
    assert all(f.en and f.slug.isidentifier() for f in FORMATS)


def test_mofcom_walking_targets() -> None:
    t = {f.slug: f.target_minutes for f in FORMATS}
    assert t["convenience_store"] == 5
    assert {t[s] for s in ("breakfast", "pharmacy", "laundry", "beauty_hair", "market")} == {8}
    assert t["supermarket"] == t["repair"] == 15
    assert all(f.target_minutes == 15 for f in FORMATS if f.cls == "quality")


@pytest.mark.parametrize(
    ("tags", "slug"),
    [
        ({"shop": "convenience"}, "convenience_store"),
        ({"shop": "supermarket"}, "supermarket"),
        ({"amenity": "marketplace"}, "market"),
        ({"shop": "greengrocer"}, "fresh_grocery"),
        ({"shop": "seafood"}, "fresh_grocery"),
        ({"shop": "butcher"}, "fresh_grocery"),
        ({"amenity": "pharmacy"}, "pharmacy"),
        ({"shop": "chemist"}, "pharmacy"),
        ({"shop": "hairdresser"}, "beauty_hair"),
        ({"shop": "beauty"}, "beauty_hair"),
        ({"shop": "laundry"}, "laundry"),
        ({"shop": "dry_cleaning"}, "laundry"),
        ({"amenity": "post_office"}, "post_express"),
        ({"amenity": "parcel_locker"}, "post_express"),
        ({"amenity": "recycling"}, "recycling"),
        ({"shop": "bakery"}, "bakery"),
        ({"shop": "pastry"}, "bakery"),
        ({"amenity": "cafe"}, "tea_coffee"),
        ({"shop": "tea"}, "tea_coffee"),
        ({"amenity": "restaurant"}, "specialty_dining"),
        ({"amenity": "fast_food"}, "specialty_dining"),
        ({"amenity": "fast_food", "cuisine": "breakfast"}, "breakfast"),
        ({"amenity": "restaurant", "cuisine": "chinese;breakfast"}, "breakfast"),
        ({"shop": "books"}, "bookstore"),
        ({"leisure": "fitness_centre"}, "fitness"),
        ({"amenity": "kindergarten"}, "childcare"),
        ({"amenity": "childcare"}, "childcare"),
        ({"shop": "florist"}, "flowers_gifts"),
        ({"shop": "gift"}, "flowers_gifts"),
        ({"shop": "pet"}, "pet_services"),
        ({"amenity": "veterinary"}, "pet_services"),
        ({"amenity": "social_facility", "social_facility:for": "senior"}, "elderly_care"),
        ({"shop": "copyshop"}, "photo_print"),
        ({"shop": "photo"}, "photo_print"),
        ({"craft": "shoemaker"}, "repair"),
        ({"shop": "mobile_phone_repair"}, "repair"),
        ({"shop": "massage"}, "wellness"),
        ({"office": "travel_agent"}, "travel"),
        ({"shop": "travel_agency"}, "travel"),
        ({"amenity": "language_school"}, "education"),
        ({"amenity": "school"}, "education"),
    ],
)
def test_format_for_tags(tags: dict[str, str], slug: str) -> None:
    assert format_for_tags(tags) == slug


@pytest.mark.parametrize(
    "tags",
    [
        {},
        {"shop": "clothes"},
        {"amenity": "bank"},
        {"amenity": "social_facility"},
        {"amenity": "parking"},
        {"building": "yes"},
        {"cuisine": "breakfast"},
    ],
)
def test_unmapped_tags_give_none(tags: dict[str, str]) -> None:
    assert format_for_tags(tags) is None


def test_front_warehouse_has_no_osm_tag_and_is_entered_by_hand() -> None:
    assert FORMATS_BY_SLUG["front_warehouse"].osm_tags == ()
