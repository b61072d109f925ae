"""The demo data: a cooperative and a company with valid USCCs, one open round, one received PO;
loading twice adds nothing."""

from __future__ import annotations

import pytest

from linli.inventory.models import Lot
from linli.procurement.demo import demo_procurement_load
from linli.procurement.models import JointRound, PurchaseOrder, Supplier
from linli.shops.licences import UsccVerdict, uscc_check

pytestmark = pytest.mark.django_db


def test_demo_procurement(marco_merchant, mia, tomato, marco):
    mia_merchant = mia.shop_memberships.get().merchant
    mia_merchant.members.update(role="owner")
    first = demo_procurement_load(merchants=[marco_merchant, mia_merchant])
    assert first == {"suppliers": 2, "rounds": 1, "purchase_orders": 1}
    assert all(uscc_check(s.uscc).verdict is UsccVerdict.VALID for s in Supplier.objects.all())
    assert Supplier.objects.filter(kind="cooperative").exists()
    rnd = JointRound.objects.get()
    assert rnd.status == "open" and rnd.commitments.count() == 2
    po = PurchaseOrder.objects.get()
    assert po.status == "received"
    assert Lot.objects.get(batch_no__startswith="SY-").origin == "北京顺义 李桥镇"
    again = demo_procurement_load(merchants=[marco_merchant, mia_merchant])
    assert again == {"suppliers": 2, "rounds": 0, "purchase_orders": 0}
