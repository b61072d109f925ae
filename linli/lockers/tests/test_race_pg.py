"""PostgreSQL: 40 transactions claim from 12 chilled compartments at the same instant (the
provider's claim without checkout around it, so nothing else serialises them): SKIP LOCKED
and the conditional UPDATE give exactly 12 distinct compartments."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connections, transaction
from django.utils import timezone

from conftest import postgres_only
from linli.core.errors import LinliError
from linli.lockers.demo import cabinet_build
from linli.lockers.models import Booking, Compartment

pytestmark = [postgres_only(), pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS, CHILLED = 40, 12


def test_forty_claims_twelve_compartments(rosa, lockers):
    from linli.lockers.services import booking_claim

    cabinet_build(lockers.site, "LL-T-0002", [("K", "chilled", ["M"] * (CHILLED - 3))])
    assert Compartment.objects.filter(zone="chilled").count() == CHILLED
    barrier = threading.Barrier(THREADS)
    results: list[str] = []
    lock = threading.Lock()
    expires = timezone.now() + timedelta(minutes=15)

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=20)
            try:
                with transaction.atomic():
                    booking_claim(
                        resident=rosa, site_ids=[lockers.site.pk], storage="chilled",
                        volume_ml=500, weight_g=500, order_id=1000 + i, expires_at=expires,
                    )  # fmt: skip
                outcome = "ok"
            except LinliError as e:
                outcome = e.spec.code
            except Exception as e:
                outcome = f"error:{type(e).__name__}:{e}"
            with lock:
                results.append(outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert results.count("ok") == CHILLED, sorted(set(results))
    assert results.count("locker_full") == THREADS - CHILLED
    active = Booking.objects.filter(status="claimed")
    assert active.values("compartment").distinct().count() == active.count() == CHILLED
