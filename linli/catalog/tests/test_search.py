"""Chinese search: pinyin, initials, aliases, ranking by match then by walking minutes."""

from __future__ import annotations

import pytest

from linli.catalog import search, services
from linli.catalog.selectors import listing_search


def test_search_text_has_tokens_pinyin_and_initials():
    text = search.build_search_text(name="西红柿", aliases="番茄")
    for part in ("西红柿", "xihongshi", "xhs", "番茄", "fanqie", "fq"):
        assert part in text.split()


def test_score_orders_exact_prefix_contains_token_pinyin_initials():
    kw = {"name": "西红柿", "aliases": "番茄"}
    assert search.score("西红柿", **kw).how == "exact"
    assert search.score("番茄", **kw).how == "exact"
    assert search.score("西红", **kw).how == "prefix"
    assert search.score("红柿", **kw).how == "contains"
    assert search.score("xihongshi", **kw).how == "pinyin"
    assert search.score("xhs", **kw).how == "initials"
    assert search.score("黄瓜", **kw) is None
    assert search.score("ＸＨＳ", **kw).how == "initials"  # full-width input


pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("q", ["xhs", "xihongshi", "XiHongShi", "番茄", "西红柿", "西红"])
def test_tomato_found_by_pinyin_initials_and_alias(tomato, q):
    hits = listing_search(q=q)
    assert [h.listing.product.name for h in hits] == ["西红柿"]


def test_exact_name_ranks_before_a_description_mention(marco, marco_merchant, marco_outlet):
    roll = services.product_create(
        actor=marco, merchant=marco_merchant, name="手工蛋卷", description="用新鲜鸡蛋和黄油烤制"
    )
    eggs = services.product_create(actor=marco, merchant=marco_merchant, name="鸡蛋", spec="10枚")
    services.listing_upsert(actor=marco, outlet=marco_outlet, product=roll, price_fen=1290)
    services.listing_upsert(actor=marco, outlet=marco_outlet, product=eggs, price_fen=1590)
    hits = listing_search(q="鸡蛋")
    assert [h.listing.product.name for h in hits] == ["鸡蛋", "手工蛋卷"]
    assert [h.how for h in hits] == ["exact", "text"]


def test_walking_minutes_break_ties(marco, marco_merchant, marco_outlet, community):
    from linli.shops.services import outlet_create

    far = outlet_create(
        merchant=marco_merchant,
        community_id=community.pk,
        name="马哥便利店 东园店",
        lat=39.999,
        lon=116.48,
        format_slugs=["convenience_store"],
    )
    p = services.product_create(actor=marco, merchant=marco_merchant, name="黄瓜")
    services.listing_upsert(actor=marco, outlet=marco_outlet, product=p, price_fen=300)
    services.listing_upsert(actor=marco, outlet=far, product=p, price_fen=300)
    near_first = listing_search(q="hg", minutes_by_outlet={marco_outlet.pk: 3.0, far.pk: 11.5})
    assert [h.listing.outlet_id for h in near_first] == [marco_outlet.pk, far.pk]
    far_first = listing_search(q="hg", minutes_by_outlet={marco_outlet.pk: 14.0, far.pk: 2.0})
    assert [h.listing.outlet_id for h in far_first] == [far.pk, marco_outlet.pk]
    assert far_first[0].minutes == 2.0
    only = listing_search(q="黄瓜", outlet_ids=[far.pk])
    assert [h.listing.outlet_id for h in only] == [far.pk]


def test_match_beats_distance(marco, marco_merchant, marco_outlet, tomato, community):
    from linli.shops.services import outlet_create

    near = outlet_create(
        merchant=marco_merchant,
        community_id=community.pk,
        name="马哥便利店 北门店",
        lat=39.996,
        lon=116.471,
        format_slugs=["convenience_store"],
    )
    sauce = services.product_create(actor=marco, merchant=marco_merchant, name="西红柿炒蛋调料")
    services.listing_upsert(actor=marco, outlet=near, product=sauce, price_fen=350)
    hits = listing_search(q="西红柿", minutes_by_outlet={marco_outlet.pk: 14.0, near.pk: 1.0})
    assert [(h.listing.product.name, h.how) for h in hits] == [
        ("西红柿", "exact"),
        ("西红柿炒蛋调料", "prefix"),
    ]


def test_inactive_listings_are_not_found(marco, marco_outlet, tomato):
    services.listing_upsert(
        actor=marco, outlet=marco_outlet, product=tomato, price_fen=450, active=False
    )
    assert listing_search(q="xhs") == []


def test_search_query_count(django_assert_max_num_queries, marco, marco_merchant, marco_outlet):
    for i, name in enumerate(["西红柿", "小番茄", "番茄酱", "西瓜", "西兰花", "香菜"]):
        p = services.product_create(actor=marco, merchant=marco_merchant, name=name)
        services.listing_upsert(actor=marco, outlet=marco_outlet, product=p, price_fen=100 + i)
    with django_assert_max_num_queries(1):
        hits = listing_search(q="x")
        names = [h.listing.product.name + h.listing.outlet.name for h in hits]
    assert len(names) >= 4
