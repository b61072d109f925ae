"""Joint procurement: commitments claimed against the supplier's quantity, the deadline, the tier
by the total at close, one PO per shop at the tier price, and the saving against buying alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.procurement import services
from linli.procurement.errors import ProcurementError
from linli.procurement.models import Commitment, JointRound, PurchaseOrder, SupplierProduct
from linli.procurement.tasks import close_due_rounds

pytestmark = pytest.mark.django_db


def code_of(call) -> str:
    with pytest.raises(ProcurementError) as e:
        call()
    return e.value.spec.code


@pytest.fixture
def mia_owner(mia, mia_outlet):
    """mia's merchant gets an owner too (mia is staff there, which may commit for her outlet)."""
    return mia


@pytest.fixture
def rnd(marco, farm_tomato) -> JointRound:
    return services.round_open(
        actor=marco,
        supplier_product=farm_tomato,
        title="寿光西红柿 6 月第一周",
        deadline=timezone.now() + timedelta(hours=2),
    )


def test_round_takes_the_suppliers_tiers_and_only_coordinators_open(rnd, mia, farm_tomato):
    assert [(t.min_quantity, t.price_fen) for t in rnd.tiers.all()] == [(100, 800), (300, 700)]
    assert rnd.solo_price_fen == 1000
    assert (
        code_of(
            lambda: services.round_open(
                actor=mia,
                supplier_product=farm_tomato,
                title="x",
                deadline=timezone.now() + timedelta(hours=1),
            )
        )
        == "not_coordinator"
    )  # staff, not an owner or manager


def test_commit_close_tier_pos_and_savings(rnd, marco, marco_outlet, mia, mia_outlet, tomato):
    c1 = services.round_commit(
        actor=marco, joint_round=rnd, outlet=marco_outlet, quantity=60, product=tomato
    )
    services.round_commit(actor=mia, joint_round=rnd, outlet=mia_outlet, quantity=40)
    services.round_commit(actor=marco, joint_round=rnd, outlet=marco_outlet, quantity=70)  # change
    sp = SupplierProduct.objects.get()
    rnd.refresh_from_db()
    assert (rnd.total_committed, sp.committed_quantity) == (110, 110)
    # mia's shop had no such product: the commitment made one in her catalogue.
    mine = Commitment.objects.get(outlet=mia_outlet)
    assert mine.product.merchant_id == mia_outlet.merchant_id and mine.product.name == "西红柿"
    assert code_of(lambda: services.round_close(actor=marco, joint_round=rnd)) == "round_not_due"
    later = rnd.deadline + timedelta(seconds=1)
    assert (
        code_of(
            lambda: services.round_commit(
                actor=mia, joint_round=rnd, outlet=mia_outlet, quantity=50, now=later
            )
        )
        == "round_closed"
    )
    pos = services.round_close(actor=None, joint_round=rnd, now=later)
    assert len(pos) == 2 and all(p.status == "sent" and p.number for p in pos)
    rnd.refresh_from_db()
    assert (rnd.status, rnd.tier_price_fen) == ("closed", 800)  # 110 ≥ 100
    c1.refresh_from_db()
    line = c1.purchase_order.lines.get()
    assert (line.quantity_ordered, line.unit_price_fen, line.solo_price_fen) == (70, 800, 1000)
    assert c1.saved_fen == 70 * 200
    assert Commitment.objects.get(outlet=mia_outlet).saved_fen == 40 * 200
    sp.refresh_from_db()
    assert (sp.available_quantity, sp.committed_quantity) == (390, 0)
    assert services.round_close(actor=None, joint_round=rnd, now=later) == []  # twice: nothing
    assert PurchaseOrder.objects.count() == 2


def test_over_capacity_negative_and_other_shops_outlet(
    rnd, marco, marco_outlet, mia, mia_outlet, tomato
):
    assert (
        code_of(
            lambda: services.round_commit(
                actor=marco, joint_round=rnd, outlet=marco_outlet, quantity=501, product=tomato
            )
        )
        == "round_over_capacity"
    )
    assert (
        code_of(
            lambda: services.round_commit(
                actor=marco, joint_round=rnd, outlet=marco_outlet, quantity=-5, product=tomato
            )
        )
        == "invalid_quantity"
    )
    assert (
        code_of(
            lambda: services.round_commit(
                actor=marco, joint_round=rnd, outlet=mia_outlet, quantity=5
            )
        )
        == "not_your_outlet"
    )
    services.round_commit(
        actor=marco, joint_round=rnd, outlet=marco_outlet, quantity=450, product=tomato
    )
    with pytest.raises(ProcurementError) as e:
        services.round_commit(actor=mia, joint_round=rnd, outlet=mia_outlet, quantity=60)
    assert e.value.spec.code == "round_over_capacity" and e.value.params["left"] == 50
    rnd.refresh_from_db()
    assert rnd.total_committed == 450 and SupplierProduct.objects.get().committed_quantity == 450
    services.round_commit(
        actor=marco, joint_round=rnd, outlet=marco_outlet, quantity=0, product=tomato
    )
    assert SupplierProduct.objects.get().committed_quantity == 0


def test_a_shop_that_reaches_a_tier_alone_saves_only_the_difference(
    rnd, marco, marco_outlet, mia, mia_outlet, tomato
):
    services.round_commit(
        actor=marco, joint_round=rnd, outlet=marco_outlet, quantity=250, product=tomato
    )
    services.round_commit(actor=mia, joint_round=rnd, outlet=mia_outlet, quantity=60)
    services.round_close(actor=None, joint_round=rnd, now=rnd.deadline)
    big = Commitment.objects.get(outlet=marco_outlet)
    small = Commitment.objects.get(outlet=mia_outlet)
    assert big.unit_price_fen == 700  # 310 ≥ 300
    assert big.saved_fen == 250 * (800 - 700)  # alone it would have reached ≥100 at ¥8
    assert small.saved_fen == 60 * (1000 - 700)


def test_the_job_closes_due_rounds_and_cancel_gives_back(
    rnd, marco, marco_outlet, tomato, farm_tomato
):
    services.round_commit(
        actor=marco, joint_round=rnd, outlet=marco_outlet, quantity=20, product=tomato
    )
    assert close_due_rounds() == 0  # not due yet
    other = services.round_open(
        actor=marco,
        supplier_product=farm_tomato,
        title="下周",
        deadline=timezone.now() + timedelta(days=3),
    )
    services.round_commit(
        actor=marco, joint_round=other, outlet=marco_outlet, quantity=30, product=tomato
    )
    assert SupplierProduct.objects.get().committed_quantity == 50
    services.round_cancel(actor=marco, joint_round=other)
    assert SupplierProduct.objects.get().committed_quantity == 20
    JointRound.objects.filter(pk=rnd.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    assert close_due_rounds() == 1
    rnd.refresh_from_db()
    assert rnd.status == "closed" and rnd.tier_price_fen == 1000  # 20 kg: no tier
    assert Commitment.objects.get(joint_round=rnd).saved_fen == 0
