"""Business formats (业态) of MOFCOM's 2021 15-minute living circle Guide, as data.

This table is seeded into the database by the shops app and read directly by the pure
reachability engine (`linli.community.reach`). Keep it data: names, class, walking-time
target and the OpenStreetMap tags that identify an outlet of the format. Local standards
override targets in the database, not here.

Walking-time targets follow MOFCOM: 5 min convenience store; 8 min breakfast/fast food,
pharmacy, laundry, hairdresser, market; 15 min supermarket and repair. Basic formats the
ministry gives no figure for use 10 min, quality formats 15 min.

Tag matching: a format matches when any `(key, value)` pair matches the object's tags;
`value == "*"` matches any value, and `;`-separated OSM values match item by item
(`cuisine=chinese;breakfast` matches `("cuisine", "breakfast")`). Formats are tried in
`MATCH_ORDER` — the specific ones (breakfast by cuisine, elderly care by
`social_facility:for`) before the generic restaurant/cafe tags they would otherwise lose to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

FormatClass = Literal["basic", "quality"]


@dataclass(frozen=True, slots=True)
class BusinessFormat:
    """One 业态: identity, Guide class, walking-time target and OSM tag mapping."""

    slug: str
    zh: str
    en: str
    cls: FormatClass
    target_minutes: int
    osm_tags: tuple[tuple[str, str], ...]


def _f(slug: str, zh: str, en: str, cls: FormatClass, minutes: int, *tags: str) -> BusinessFormat:
    """Build a row from `key=value` strings so the table below reads like a table."""
    pairs = tuple((t.split("=", 1)[0], t.split("=", 1)[1]) for t in tags)
    return BusinessFormat(slug, zh, en, cls, minutes, pairs)


FORMATS: tuple[BusinessFormat, ...] = (
    # 基本保障类 (basic), in the Guide's order.
    _f(
        "convenience_store",
        "便利店",
        "Convenience store",
        "basic",
        5,
        "shop=convenience",
        "shop=kiosk",
        "shop=general",
    ),
    _f(
        "supermarket",
        "综合超市",
        "Supermarket",
        "basic",
        15,
        "shop=supermarket",
        "shop=hypermarket",
        "shop=wholesale",
    ),
    _f("market", "菜市场", "Wet market", "basic", 8, "amenity=marketplace", "shop=marketplace"),
    _f(
        "fresh_grocery",
        "生鲜超市(菜店)",
        "Fresh grocery",
        "basic",
        10,
        "shop=greengrocer",
        "shop=butcher",
        "shop=seafood",
        "shop=farm",
        "shop=frozen_food",
        "shop=dairy",
    ),
    _f(
        "breakfast",
        "早餐店",
        "Breakfast shop",
        "basic",
        8,
        "cuisine=breakfast",
        "breakfast=yes",
        "cuisine=congee",
        "cuisine=baozi",
        "cuisine=jianbing",
        "cuisine=youtiao",
        "cuisine=soy_milk",
    ),
    _f(
        "laundry",
        "洗染店",
        "Laundry and dry cleaning",
        "basic",
        8,
        "shop=laundry",
        "shop=dry_cleaning",
    ),
    _f(
        "beauty_hair",
        "美容美发店",
        "Beauty and hair salon",
        "basic",
        8,
        "shop=hairdresser",
        "shop=beauty",
        "shop=barber",
    ),
    _f(
        "photo_print",
        "照相文印店",
        "Photo and print shop",
        "basic",
        10,
        "shop=copyshop",
        "shop=photo",
        "craft=photographer",
        "shop=printing",
        "craft=printer",
    ),
    _f(
        "housekeeping",
        "家政服务点",
        "Housekeeping service",
        "basic",
        10,
        "office=housekeeping",
        "craft=cleaning",
        "shop=cleaning",
        "office=home_care",
    ),
    _f(
        "repair",
        "维修点",
        "Repair point",
        "basic",
        15,
        "shop=repair",
        "craft=electronics_repair",
        "shop=electronics_repair",
        "shop=mobile_phone_repair",
        "shop=computer_repair",
        "craft=shoemaker",
        "shop=shoe_repair",
        "craft=key_cutter",
        "shop=locksmith",
        "craft=locksmith",
        "craft=watchmaker",
        "craft=tailor",
        "craft=dressmaker",
        "shop=tailor",
        "craft=appliance_repair",
        "shop=appliance_repair",
    ),
    _f(
        "pharmacy",
        "药店",
        "Pharmacy",
        "basic",
        8,
        "amenity=pharmacy",
        "healthcare=pharmacy",
        "shop=chemist",
    ),
    _f(
        "post_express",
        "邮政快递综合服务点",
        "Post and parcel point",
        "basic",
        10,
        "amenity=post_office",
        "amenity=parcel_locker",
        "office=courier",
        "shop=courier",
        "amenity=parcel_pickup",
    ),
    _f(
        "recycling",
        "再生资源回收点",
        "Recycling point",
        "basic",
        10,
        "amenity=recycling",
        "shop=recycling",
    ),
    # 前置仓 (dark store for instant delivery) has no OSM tag: entered by hand.
    _f("front_warehouse", "前置仓", "Front warehouse (dark store)", "basic", 10),
    # 品质提升类 (quality), in the Guide's order.
    _f(
        "elderly_care",
        "社区养老服务机构",
        "Community elderly care",
        "quality",
        15,
        "social_facility:for=senior",
        "social_facility:for=elderly",
        "social_facility=nursing_home",
        "social_facility=assisted_living",
        "amenity=nursing_home",
        "amenity=elderly_care",
    ),
    _f(
        "specialty_dining",
        "特色餐饮店",
        "Specialty dining",
        "quality",
        15,
        "amenity=restaurant",
        "amenity=fast_food",
        "amenity=food_court",
        "amenity=ice_cream",
    ),
    _f(
        "bakery",
        "蛋糕烘焙店",
        "Cake and bakery",
        "quality",
        15,
        "shop=bakery",
        "shop=pastry",
        "shop=cake",
        "shop=confectionery",
    ),
    _f("bookstore", "新式书店", "Bookstore", "quality", 15, "shop=books"),
    _f(
        "fitness",
        "运动健身房",
        "Fitness and gym",
        "quality",
        15,
        "leisure=fitness_centre",
        "amenity=gym",
        "leisure=sports_centre",
    ),
    _f(
        "childcare",
        "幼儿托管点",
        "Childcare",
        "quality",
        15,
        "amenity=kindergarten",
        "amenity=childcare",
    ),
    _f(
        "education",
        "培训教育点",
        "Training and tutoring",
        "quality",
        15,
        "amenity=language_school",
        "amenity=music_school",
        "amenity=dancing_school",
        "amenity=training",
        "amenity=tutoring",
        "amenity=prep_school",
        "amenity=driving_school",
        "office=educational_institution",
        "amenity=school",
        "amenity=college",
    ),
    _f(
        "travel",
        "旅游服务点",
        "Travel service",
        "quality",
        15,
        "shop=travel_agency",
        "office=travel_agent",
    ),
    _f(
        "wellness",
        "保健养生店",
        "Wellness and massage",
        "quality",
        15,
        "shop=massage",
        "amenity=spa",
        "leisure=spa",
        "shop=herbalist",
        "healthcare=alternative",
        "leisure=sauna",
    ),
    _f(
        "flowers_gifts",
        "鲜花礼品店",
        "Flowers and gifts",
        "quality",
        15,
        "shop=florist",
        "shop=gift",
    ),
    _f(
        "tea_coffee",
        "茶艺咖啡馆",
        "Tea house and cafe",
        "quality",
        15,
        "amenity=cafe",
        "shop=tea",
        "shop=coffee",
        "amenity=teahouse",
    ),
    _f(
        "pet_services",
        "宠物服务站",
        "Pet services",
        "quality",
        15,
        "shop=pet",
        "amenity=veterinary",
        "shop=pet_grooming",
        "amenity=animal_boarding",
    ),
)

FORMATS_BY_SLUG: dict[str, BusinessFormat] = {f.slug: f for f in FORMATS}

# Order in which formats are tried by `format_for_tags`: formats identified by a refining
# tag (cuisine, social_facility:for) come before the broad amenity/shop tags that the same
# object also carries; the rest keep the Guide's order.
_FIRST = ("breakfast", "elderly_care")
MATCH_ORDER: tuple[str, ...] = (*_FIRST, *(f.slug for f in FORMATS if f.slug not in _FIRST))

# Keys whose presence makes an OSM object a candidate outlet (the reader filters on them).
OUTLET_KEYS: tuple[str, ...] = ("shop", "amenity", "craft", "office", "leisure", "healthcare")


def _values(raw: str) -> list[str]:
    return [v.strip() for v in raw.split(";")]


def format_for_tags(tags: Mapping[str, str]) -> str | None:
    """Return the slug of the first format in `MATCH_ORDER` whose tags match, else None.

    Only objects with an outlet key (shop, amenity, …) are outlets: a bare `cuisine=*` or
    `social_facility:for=*` refines a shop or amenity, it does not make one.
    """
    if not any(k in tags for k in OUTLET_KEYS):
        return None
    for slug in MATCH_ORDER:
        for key, value in FORMATS_BY_SLUG[slug].osm_tags:
            raw = tags.get(key)
            if raw is None:
                continue
            if value == "*" or value in _values(raw):
                return slug
    return None
