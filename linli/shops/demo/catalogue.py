"""Invented shop names per format for the demo (no real brands: no trademark questions).

`TARGETS` is how many outlets the demo wants per format (basic formats 2, convenience stores 3,
quality formats 1); the generator only tops up what the map lacks.
"""

from __future__ import annotations

NAMES: dict[str, tuple[str, ...]] = {
    "convenience_store": ("邻家便利", "好运来便利店", "望京24小时便利"),
    "supermarket": ("惠民生活超市", "家家乐综合超市"),
    "market": ("望京西园菜市场", "花家地农贸市场"),
    "fresh_grocery": ("望京鲜果蔬菜店", "田园鲜蔬"),
    "breakfast": ("老北京早点铺", "豆香源早餐"),
    "laundry": ("洁衣坊洗衣店", "净美干洗"),
    "beauty_hair": ("剪艺美发", "丽人坊美容美发"),
    "photo_print": ("快印通图文", "时光照相馆"),
    "housekeeping": ("安心家政服务站", "好帮手家政"),
    "repair": ("巧手便民维修", "邻里修配站"),
    "pharmacy": ("康宁大药房", "仁心药店"),
    "post_express": ("邻里快递驿站", "望京邮政便民点"),
    "recycling": ("绿源再生资源回收站", "易回收便民点"),
    "front_warehouse": ("鲜达前置仓", "即时达前置仓"),
    "elderly_care": ("望京西园养老驿站",),
    "specialty_dining": ("川味小馆",),
    "bakery": ("麦香烘焙坊",),
    "bookstore": ("拾光书房",),
    "fitness": ("活力健身工作室",),
    "childcare": ("童心托管中心",),
    "education": ("启航课外教育",),
    "travel": ("行乐旅行社",),
    "wellness": ("颐养中医推拿",),
    "flowers_gifts": ("花语鲜花礼品",),
    "tea_coffee": ("慢时光茶咖",),
    "pet_services": ("萌宠之家宠物服务站",),
}

TARGETS: dict[str, int] = {slug: len(names) for slug, names in NAMES.items()}

# Formats that sell or cook food need a 食品经营许可证 (JY); True = catering (餐饮服务).
FOOD: dict[str, bool] = {
    "convenience_store": False,
    "supermarket": False,
    "market": False,
    "fresh_grocery": False,
    "front_warehouse": False,
    "breakfast": True,
    "specialty_dining": True,
    "bakery": True,
    "tea_coffee": True,
}

# Chains register as enterprises ("91"), the rest as individual businesses (个体工商户, "92").
CHAINS = {"supermarket", "front_warehouse", "pharmacy", "post_express", "elderly_care"}

HOURS: dict[str, tuple[str, str]] = {
    "convenience_store": ("00:00", "23:59"),
    "breakfast": ("06:00", "13:00"),
    "market": ("06:00", "19:00"),
    "front_warehouse": ("07:00", "23:00"),
}
DEFAULT_HOURS = ("08:00", "21:00")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超")
