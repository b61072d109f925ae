"""PostgreSQL: 50 threads race for the last 10 units; exactly 10 win, the constraint holds."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from conftest import postgres_only, race
from linli.inventory import services
from linli.inventory.models import StockClaim, StockLevel

pytestmark = [postgres_only(), pytest.mark.django_db(transaction=True)]

THREADS = 50
ON_HAND = 10


def test_fifty_threads_claim_ten_units(marco, marco_outlet, tomato):
    services.stock_receive(
        actor=marco,
        outlet=marco_outlet,
        product=tomato,
        quantity=ON_HAND,
        batch_no="RACE",
        expiry_date=timezone.localdate() + timedelta(days=5),
    )
    expires = timezone.now() + timedelta(minutes=15)

    def claim(i: int) -> None:
        with transaction.atomic():
            services.stock_claim(
                outlet_id=marco_outlet.pk,
                product_id=tomato.pk,
                quantity=1,
                ref=f"order-line:{i}",
                expires_at=expires,
            )

    started = time.monotonic()
    results = race(THREADS, claim, timeout=30)
    elapsed = time.monotonic() - started

    assert len(results) == THREADS, results
    assert results.count("ok") == ON_HAND, sorted(set(results))
    assert results.count("out_of_stock") == THREADS - ON_HAND, sorted(set(results))
    sl = StockLevel.objects.get(outlet=marco_outlet, product=tomato)
    assert (sl.on_hand, sl.claimed) == (ON_HAND, ON_HAND)
    assert StockClaim.objects.filter(status="active").count() == ON_HAND
    assert elapsed < 20, elapsed
