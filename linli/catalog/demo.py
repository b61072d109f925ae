"""Demo catalog: realistic Chinese products per business format, listed at each outlet in fen.

`demo_catalog_load(outlets=...)` is deterministic for a seed and idempotent (products are found
by merchant + name + spec). It bypasses permission checks (demo merchants may have no owner) but
keeps `search_text` the way the services do. Lots are stock, a higher layer:
`linli.inventory.demo.demo_stock_load` adds them, `demo_shop_load` does both.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from stdnum import ean

from linli.catalog.models import Category, Listing, Product, StorageClass
from linli.catalog.services import category_ensure, product_search_text_refresh
from linli.shops.models import Outlet

A, C, F = StorageClass.AMBIENT, StorageClass.CHILLED, StorageClass.FROZEN

CATEGORIES = [
    # slug, zh, en, parent slug
    ("drinks", "饮料", "Drinks", None),
    ("water", "饮用水", "Water", "drinks"),
    ("instant", "方便速食", "Instant food", None),
    ("dairy", "乳品", "Dairy", None),
    ("frozen", "速冻食品", "Frozen food", None),
    ("snacks", "休闲零食", "Snacks", None),
    ("household", "日用百货", "Household", None),
    ("vegetables", "蔬菜", "Vegetables", None),
    ("fruit", "水果", "Fruit", None),
    ("meat_eggs", "肉禽蛋", "Meat and eggs", None),
    ("seafood", "水产", "Seafood", None),
    ("tofu", "豆制品", "Tofu and soy", None),
    ("bread", "面包", "Bread", None),
    ("cakes", "蛋糕", "Cakes", None),
    ("medicine", "非处方药", "OTC medicine", None),
    ("health", "医疗器械", "Medical supplies", None),
    ("flowers", "鲜花", "Flowers", None),
    ("breakfast", "早点", "Breakfast", None),
    ("coffee", "咖啡茶饮", "Coffee and tea", None),
    ("meals", "餐食", "Meals", None),
    ("pet", "宠物用品", "Pet supplies", None),
    ("books", "图书", "Books", None),
]


@dataclass(frozen=True)
class Item:
    name: str
    spec: str
    unit: str
    category: str
    price_fen: int
    storage: str = A
    shelf_life_days: int = 180
    origin: str = ""
    brand: str = ""
    aliases: str = ""
    green_label: bool = False
    volume_ml: int | None = None
    weight_g: int | None = None
    description: str = ""
    barcode: bool = True


CONVENIENCE = [
    Item(
        "农夫山泉饮用天然水",
        "550ml",
        "瓶",
        "water",
        200,
        shelf_life_days=365,
        origin="浙江杭州",
        brand="农夫山泉",
        aliases="矿泉水",
        volume_ml=550,
        weight_g=570,
    ),
    Item(
        "康师傅红烧牛肉面",
        "105g",
        "袋",
        "instant",
        450,
        shelf_life_days=180,
        origin="天津",
        brand="康师傅",
        aliases="方便面,泡面",
        weight_g=105,
    ),
    Item(
        "伊利纯牛奶",
        "250ml",
        "盒",
        "dairy",
        350,
        C,
        30,
        "内蒙古呼和浩特",
        "伊利",
        "牛奶",
        volume_ml=250,
        weight_g=260,
        description="冷藏保存，开封后请尽快饮用",
    ),
    Item(
        "三全速冻水饺 猪肉白菜",
        "1kg",
        "袋",
        "frozen",
        2590,
        F,
        365,
        "河南郑州",
        "三全",
        "饺子",
        weight_g=1000,
    ),
    Item(
        "可口可乐",
        "330ml",
        "罐",
        "drinks",
        300,
        shelf_life_days=365,
        origin="北京",
        brand="可口可乐",
        aliases="可乐",
        volume_ml=330,
        weight_g=350,
    ),
    Item(
        "乐事原味薯片",
        "70g",
        "袋",
        "snacks",
        750,
        shelf_life_days=270,
        origin="上海",
        brand="乐事",
        aliases="薯片",
        weight_g=70,
    ),
    Item("蒙牛原味酸奶", "200g", "杯", "dairy", 590, C, 21, "内蒙古", "蒙牛", "酸奶", weight_g=200),
    Item(
        "双汇王中王火腿肠",
        "240g",
        "袋",
        "snacks",
        990,
        shelf_life_days=120,
        origin="河南漯河",
        brand="双汇",
        aliases="火腿肠",
        weight_g=240,
    ),
    Item(
        "清风原木抽纸",
        "3包",
        "提",
        "household",
        1290,
        shelf_life_days=1095,
        brand="清风",
        aliases="纸巾,面巾纸",
        weight_g=600,
    ),
    Item(
        "伊利巧乐兹冰淇淋",
        "75g",
        "支",
        "frozen",
        600,
        F,
        365,
        "内蒙古",
        "伊利",
        "雪糕,冰淇淋",
        weight_g=75,
    ),
]

FRESH = [
    Item(
        "西红柿",
        "500g",
        "份",
        "vegetables",
        450,
        A,
        7,
        "山东寿光",
        aliases="番茄,洋柿子",
        green_label=True,
        weight_g=500,
        description="沙瓤西红柿，自然成熟",
        barcode=False,
    ),
    Item(
        "黄瓜",
        "500g",
        "份",
        "vegetables",
        350,
        A,
        5,
        "山东寿光",
        aliases="青瓜",
        green_label=True,
        weight_g=500,
        barcode=False,
    ),
    Item(
        "鸡蛋",
        "10枚",
        "盒",
        "meat_eggs",
        1590,
        A,
        30,
        "河北张家口",
        aliases="土鸡蛋",
        weight_g=550,
        description="散养鸡蛋",
    ),
    Item(
        "五花肉",
        "500g",
        "份",
        "meat_eggs",
        1890,
        C,
        3,
        "河北",
        aliases="猪肉",
        weight_g=500,
        description="冷鲜肉 0–4℃ 保存",
        barcode=False,
    ),
    Item(
        "土豆",
        "1kg",
        "份",
        "vegetables",
        500,
        A,
        21,
        "内蒙古乌兰察布",
        aliases="马铃薯,洋芋",
        weight_g=1000,
        barcode=False,
    ),
    Item(
        "大白菜",
        "1棵",
        "棵",
        "vegetables",
        480,
        A,
        10,
        "河北张北",
        aliases="白菜",
        weight_g=2000,
        barcode=False,
    ),
    Item(
        "红富士苹果",
        "1kg",
        "份",
        "fruit",
        1280,
        A,
        30,
        "山东烟台",
        aliases="苹果",
        green_label=True,
        weight_g=1000,
        barcode=False,
    ),
    Item("香蕉", "1kg", "份", "fruit", 790, A, 5, "云南西双版纳", weight_g=1000, barcode=False),
    Item("鲜豆腐", "400g", "盒", "tofu", 350, C, 3, "北京", aliases="豆腐", weight_g=400),
    Item(
        "冷冻虾仁", "300g", "袋", "seafood", 3990, F, 365, "广东湛江", aliases="虾仁", weight_g=300
    ),
]

BAKERY = [
    Item(
        "原味吐司", "400g", "袋", "bread", 1290, A, 4, "北京", aliases="吐司面包,土司", weight_g=400
    ),
    Item(
        "奶油水果蛋糕",
        "6寸",
        "个",
        "cakes",
        12800,
        C,
        2,
        "北京",
        aliases="生日蛋糕",
        weight_g=800,
        description="动物奶油，0–4℃ 冷藏，当日食用最佳",
        barcode=False,
    ),
    Item(
        "牛角包",
        "2个",
        "袋",
        "bread",
        990,
        A,
        3,
        "北京",
        aliases="可颂",
        weight_g=140,
        barcode=False,
    ),
    Item("全麦面包", "350g", "袋", "bread", 1490, A, 5, "北京", weight_g=350),
]

PHARMACY = [
    Item(
        "板蓝根颗粒",
        "10g×20袋",
        "盒",
        "medicine",
        1500,
        A,
        730,
        "广州",
        "白云山",
        "板兰根",
        weight_g=220,
    ),
    Item(
        "一次性医用口罩",
        "10只",
        "包",
        "health",
        990,
        A,
        730,
        "河南新乡",
        aliases="口罩",
        weight_g=40,
    ),
    Item("创可贴", "100片", "盒", "health", 1200, A, 1095, "云南", "云南白药", weight_g=60),
    Item("维生素C片", "100片", "瓶", "medicine", 1850, A, 730, "上海", aliases="VC", weight_g=80),
]

FLOWERS = [
    Item(
        "红玫瑰",
        "11枝",
        "束",
        "flowers",
        9900,
        A,
        5,
        "云南昆明",
        aliases="玫瑰",
        description="斗南花市直采",
        barcode=False,
    ),
    Item("康乃馨", "9枝", "束", "flowers", 6800, A, 6, "云南昆明", barcode=False),
    Item("向日葵", "3枝", "束", "flowers", 4500, A, 5, "云南昆明", barcode=False),
    Item("香水百合", "5枝", "束", "flowers", 7900, A, 6, "云南昆明", aliases="百合", barcode=False),
]

BREAKFAST = [
    Item("现磨豆浆", "400ml", "杯", "breakfast", 300, A, 1, volume_ml=400, barcode=False),
    Item("油条", "2根", "份", "breakfast", 400, A, 1, barcode=False),
    Item("猪肉大葱包子", "2个", "份", "breakfast", 500, A, 1, aliases="包子,肉包", barcode=False),
    Item("鸡蛋灌饼", "1个", "个", "breakfast", 800, A, 1, barcode=False),
]

COFFEE = [
    Item("拿铁", "大杯", "杯", "coffee", 2200, A, 1, volume_ml=470, aliases="咖啡", barcode=False),
    Item(
        "美式咖啡", "大杯", "杯", "coffee", 1800, A, 1, volume_ml=470, aliases="咖啡", barcode=False
    ),
    Item("柠檬红茶", "大杯", "杯", "coffee", 1500, A, 1, volume_ml=500, barcode=False),
]

DINING = [
    Item(
        "宫保鸡丁盖饭",
        "1份",
        "份",
        "meals",
        2600,
        A,
        1,
        volume_ml=900,
        weight_g=550,
        aliases="盖饭,外卖",
        barcode=False,
    ),
    Item(
        "番茄牛腩面",
        "1碗",
        "碗",
        "meals",
        2800,
        A,
        1,
        volume_ml=1100,
        weight_g=700,
        aliases="牛肉面,面条",
        barcode=False,
    ),
    Item(
        "猪肉白菜水饺",
        "20个",
        "份",
        "meals",
        2400,
        A,
        1,
        volume_ml=900,
        weight_g=600,
        aliases="饺子",
        barcode=False,
    ),
    Item("凉拌黄瓜", "1份", "份", "meals", 1200, C, 1, volume_ml=500, weight_g=300, barcode=False),
]

PET = [
    Item(
        "成犬粮 鸡肉味",
        "1.5kg",
        "袋",
        "pet",
        6900,
        A,
        365,
        brand="比瑞吉",
        volume_ml=2500,
        weight_g=1500,
    ),
    Item("猫砂 豆腐砂", "6L", "袋", "pet", 3900, A, 720, volume_ml=6000, weight_g=2500),
]

BOOKS = [
    Item("社区生活手册", "平装", "本", "books", 3800, A, 3650, volume_ml=600, weight_g=350),
    Item("儿童绘本 月亮你好", "精装", "本", "books", 4500, A, 3650, volume_ml=500, weight_g=400),
]

KITS: dict[str, list[Item]] = {
    "specialty_dining": DINING,
    "pet_services": PET,
    "bookstore": BOOKS,
    "convenience_store": CONVENIENCE,
    "supermarket": CONVENIENCE + FRESH,
    "front_warehouse": CONVENIENCE + FRESH,
    "market": FRESH,
    "fresh_grocery": FRESH,
    "bakery": BAKERY,
    "pharmacy": PHARMACY,
    "flowers_gifts": FLOWERS,
    "breakfast": BREAKFAST,
    "tea_coffee": COFFEE,
}


def _barcode(rng: random.Random) -> str:
    body = "69" + "".join(str(rng.randrange(10)) for _ in range(10))
    return body + ean.calc_check_digit(body)


def _categories() -> dict[str, Category]:
    out: dict[str, Category] = {}
    for i, (slug, zh, en, parent) in enumerate(CATEGORIES):
        out[slug] = category_ensure(
            slug=slug, name_zh=zh, name_en=en, parent=out.get(parent or ""), sort=i
        )
    return out


def items_for_outlet(outlet: Outlet) -> list[Item]:
    seen: dict[tuple[str, str], Item] = {}
    for f in outlet.formats.all():
        for item in KITS.get(f.slug, []):
            seen.setdefault((item.name, item.spec), item)
    return list(seen.values())


@transaction.atomic
def demo_catalog_load(*, outlets: Iterable[Outlet], seed: int = 7) -> dict[str, object]:
    """Create categories, each merchant's products for its outlets' formats, and listings.

    Returns counts and the listings: {"categories", "products", "listings": [Listing, ...]}.
    Prices vary by outlet within ±10 % (rounded to 10 fen), the same for the same seed.
    """
    cats = _categories()
    products: dict[tuple[int, str, str], Product] = {}
    listings: list[Listing] = []
    for outlet in sorted(outlets, key=lambda o: o.pk):
        for item in items_for_outlet(outlet):
            key = (outlet.merchant_id, item.name, item.spec)
            product = products.get(key)
            if product is None:
                product = Product.objects.filter(
                    merchant_id=outlet.merchant_id, name=item.name, spec=item.spec
                ).first()
                if product is None:
                    product = Product(
                        merchant_id=outlet.merchant_id,
                        category=cats[item.category],
                        name=item.name,
                        spec=item.spec,
                        unit=item.unit,
                        origin=item.origin,
                        brand=item.brand,
                        aliases=item.aliases,
                        storage=item.storage,
                        shelf_life_days=item.shelf_life_days,
                        green_label=item.green_label,
                        volume_ml=item.volume_ml,
                        weight_g=item.weight_g,
                        description=item.description,
                        barcode=_barcode(random.Random(f"{seed}:{key}")) if item.barcode else "",
                    )
                    product_search_text_refresh(product=product)
                    product.save()
                products[key] = product
            rng = random.Random(f"{seed}:{outlet.pk}:{item.name}:{item.spec}")
            price = max(10, round(item.price_fen * rng.uniform(0.9, 1.1) / 10) * 10)
            listing, _ = Listing.objects.update_or_create(
                outlet=outlet, product=product, defaults={"price_fen": price, "active": True}
            )
            listing.product = product
            listing.outlet = outlet
            listings.append(listing)
    return {"categories": len(cats), "products": len(products), "listings": listings}
