"""Demo procurement: a farm-base cooperative (合作社) and a wholesale company with valid USCCs,
their products with tiered quotes, one open joint round with two shops committed and one
purchase order received into lots. Deterministic and idempotent; the demo loader calls it."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from stdnum.cn import uscc as stdnum_uscc

from linli.accounts.models import User
from linli.catalog.models import Product
from linli.procurement import services
from linli.procurement.models import JointRound, PurchaseOrder, Supplier
from linli.shops.models import Membership, Merchant

SUPPLIER_PERSONA_PHONE = "13800000004"  # 赵强, 京郊蔬菜基地 (shops.demo.personas)
ROUND_TITLE = "顺义西红柿 联合采购"


def _uscc(base17: str) -> str:
    return base17 + stdnum_uscc.calc_check_digit(base17)


FARM = {
    "name": "北京顺义京郊蔬菜种植专业合作社",
    "kind": Supplier.Kind.COOPERATIVE,
    "uscc": _uscc("93110113MA01JJ5K3"),
    "region": "北京顺义",
    "lead_time_days": 1,
    "phone": "010-69440000",
}
COMPANY = {
    "name": "北京新发地农产品批发有限公司",
    "kind": Supplier.Kind.COMPANY,
    "uscc": _uscc("91110106MA01XF8T2"),
    "region": "北京丰台",
    "lead_time_days": 2,
    "phone": "010-67280000",
}
# name, unit, price fen, origin, available, shelf life, tiers
FARM_GOODS = [
    ("西红柿", "kg", 600, "北京顺义", 800, 7, [(100, 500), (300, 450)]),
    ("黄瓜", "kg", 500, "北京顺义", 500, 7, [(100, 420)]),
    ("散养鸡蛋", "kg", 1600, "北京顺义", 300, 30, [(50, 1400)]),
]
COMPANY_GOODS = [
    ("土豆", "kg", 300, "内蒙古乌兰察布", 3000, 60, [(200, 260), (500, 240)]),
    ("大白菜", "kg", 180, "河北张家口", 2000, 20, [(300, 150)]),
]


def _owner(merchant: Merchant) -> User | None:
    m = (
        Membership.objects.filter(merchant=merchant, role__in=["owner", "manager"])
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return m.user if m else None


def _supplier(spec: dict, goods: list, actor: User | None, merchant: Merchant) -> Supplier:
    found = Supplier.objects.filter(uscc=spec["uscc"]).first()
    if found is not None:
        return found
    s = services.supplier_register(actor=actor, merchant=merchant, **spec)
    for name, unit, price, origin, avail, shelf, tiers in goods:
        sp = services.supplier_product_upsert(
            actor=actor,
            supplier=s,
            name=name,
            unit=unit,
            price_fen=price,
            origin=origin,
            available_quantity=avail,
            shelf_life_days=shelf,
        )
        services.price_tiers_set(actor=actor, supplier_product=sp, tiers=tiers)
    return s


@transaction.atomic
def demo_procurement_load(*, merchants: Sequence[Merchant], seed: int = 7) -> dict[str, int]:
    rng = random.Random(seed)
    shops = [(m, _owner(m)) for m in sorted(merchants, key=lambda m: m.pk)]
    shops = [(m, u) for m, u in shops if u is not None and m.outlets.exists()]
    if not shops:
        return {"suppliers": 0, "rounds": 0, "purchase_orders": 0}
    merchant, actor = shops[0]
    farm = _supplier(FARM, FARM_GOODS, actor, merchant)
    _supplier(COMPANY, COMPANY_GOODS, actor, merchant)
    persona = User.objects.filter(phone=SUPPLIER_PERSONA_PHONE).first()
    if persona is not None:
        services.supplier_member_add(actor=actor, supplier=farm, user=persona)
    tomato = farm.products.get(name="西红柿")
    # One open joint round, two shops committed.
    rounds = 0
    if not JointRound.objects.filter(title=ROUND_TITLE).exists():
        rnd = services.round_open(
            actor=actor,
            supplier_product=tomato,
            title=ROUND_TITLE,
            deadline=timezone.now() + timedelta(days=2),
        )
        for m, u in shops[:2]:
            services.round_commit(
                actor=u,
                joint_round=rnd,
                outlet=m.outlets.order_by("pk").first(),  # type: ignore[arg-type]
                quantity=rng.choice([40, 60, 80]),
            )
        rounds = 1
    # One purchase order received into lots, with the origin the resident will see.
    pos = 0
    outlet = merchant.outlets.order_by("pk").first()
    if not PurchaseOrder.objects.filter(supplier=farm, outlet=outlet).exists():
        product = (
            Product.objects.filter(merchant=merchant, name="西红柿").first()
            or Product.objects.filter(merchant=merchant, active=True).order_by("pk").first()
        )
        if product is not None and outlet is not None:
            po = services.purchase_order_create_draft(
                actor=actor,
                outlet=outlet,
                supplier=farm,
                lines=[
                    services.LineSpec(
                        product_id=product.pk, quantity=30, supplier_product_id=tomato.pk
                    )
                ],
            )
            services.purchase_order_send(actor=actor, purchase_order=po)
            harvest = timezone.localdate() - timedelta(days=1)
            services.purchase_order_receive(
                actor=actor,
                purchase_order=po,
                lines=[
                    services.ReceiveLine(
                        po_line_id=po.lines.get().pk,
                        quantity=30,
                        batch_no=f"SY-{harvest:%Y%m%d}-{rng.randint(10, 99)}",
                        production_date=harvest,
                        origin="北京顺义 李桥镇",
                    )
                ],
            )
            pos = 1
    return {"suppliers": Supplier.objects.count(), "rounds": rounds, "purchase_orders": pos}
