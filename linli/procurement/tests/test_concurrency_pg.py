"""PostgreSQL, real threads: shops committing the last kilos of a joint round at once never
over-commit the supplier (one conditional UPDATE, CheckConstraint backstop)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connections, transaction
from django.utils import timezone

from conftest import postgres_only
from linli.procurement import services
from linli.procurement.errors import ProcurementError
from linli.procurement.models import Commitment, JointRound, SupplierProduct
from linli.shops.services import outlet_create

pytestmark = [postgres_only(), pytest.mark.django_db(transaction=True)]


def race(jobs) -> list[str]:
    barrier = threading.Barrier(len(jobs))
    results: list[str] = []
    lock = threading.Lock()

    def worker(job) -> None:
        try:
            barrier.wait(timeout=20)
            try:
                with transaction.atomic():
                    job()
                outcome = "ok"
            except ProcurementError as e:
                outcome = e.spec.code
            except Exception as e:  # anything else fails the test
                outcome = f"error:{type(e).__name__}:{e}"
            with lock:
                results.append(outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(j,)) for j in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_two_shops_commit_the_last_kilos_at_once(
    marco, marco_outlet, mia, mia_outlet, tomato, farm_tomato
):
    for i in range(5):
        SupplierProduct.objects.filter(pk=farm_tomato.pk).update(
            available_quantity=100, committed_quantity=0
        )
        rnd = services.round_open(
            actor=marco,
            supplier_product=farm_tomato,
            title=f"第 {i} 轮",
            deadline=timezone.now() + timedelta(hours=1),
        )
        results = race(
            [
                lambda r=rnd: services.round_commit(
                    actor=marco, joint_round=r, outlet=marco_outlet, quantity=60, product=tomato
                ),
                lambda r=rnd: services.round_commit(
                    actor=mia, joint_round=r, outlet=mia_outlet, quantity=60
                ),
            ]
        )
        assert sorted(results) == ["ok", "round_over_capacity"], results
        sp = SupplierProduct.objects.get()
        rnd.refresh_from_db()
        assert sp.committed_quantity == rnd.total_committed == 60
        assert (
            sum(Commitment.objects.filter(joint_round=rnd).values_list("quantity", flat=True)) == 60
        )
        services.round_cancel(actor=marco, joint_round=rnd)


def test_twenty_outlets_race_for_one_hundred_kilos(marco, marco_merchant, community, farm_tomato):
    outlets = [
        outlet_create(
            merchant=marco_merchant,
            community_id=community.pk,
            name=f"分店 {i}",
            lat=39.99,
            lon=116.47,
            format_slugs=["convenience_store"],
        )
        for i in range(20)
    ]
    rnd = services.round_open(
        actor=marco,
        supplier_product=farm_tomato,
        title="抢最后一百公斤",
        deadline=timezone.now() + timedelta(hours=1),
    )
    SupplierProduct.objects.filter(pk=farm_tomato.pk).update(available_quantity=100)
    results = race(
        [
            lambda o=o: services.round_commit(actor=marco, joint_round=rnd, outlet=o, quantity=7)
            for o in outlets
        ]
    )
    assert results.count("ok") == 14, sorted(set(results))
    assert results.count("round_over_capacity") == 6, sorted(set(results))
    sp = SupplierProduct.objects.get()
    rnd.refresh_from_db()
    assert sp.committed_quantity == rnd.total_committed == 98
    assert JointRound.objects.get().total_committed <= sp.available_quantity
