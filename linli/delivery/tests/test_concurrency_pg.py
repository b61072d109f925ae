"""Real threads on PostgreSQL race for the last places of one slot: exactly as many claims win as
places were left, every loser gets slot_full, and `claimed` never passes `capacity`."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from conftest import postgres_only
from linli.core.errors import LinliError
from linli.delivery.models import Slot, SlotClaim
from linli.delivery.services import slot_claim
from linli.delivery.tests.conftest import build_wave
from linli.orders.models import Checkout, Order

pytestmark = [postgres_only(), pytest.mark.django_db(transaction=True)]
THREADS, LEFT = 12, 3


def test_last_places_of_a_slot(tmp_path):
    wave = build_wave(tmp_path)
    slot = wave.slots[4]
    Slot.objects.filter(pk=slot.pk).update(capacity=LEFT + 5, claimed=5)
    resident = wave.hood.resident
    checkout = Checkout.objects.create(
        resident=resident, idempotency_key="race", total_fen=1, expires_at=slot.cutoff_at
    )
    orders = [
        Order.objects.create(
            checkout=checkout,
            resident=resident,
            outlet=wave.hood.marco.outlet,
            subtotal_fen=1,
            total_fen=1,
        )
        for _ in range(THREADS)
    ]
    barrier = threading.Barrier(THREADS)
    won: list[int] = []
    lost: list[str] = []

    def claim(order_id: int) -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                slot_claim(slot_id=slot.pk, order_id=order_id, expires_at=None)
            won.append(order_id)
        except LinliError as e:
            lost.append(e.spec.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(o.pk,)) for o in orders]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    slot.refresh_from_db()
    assert len(won) == LEFT and lost == ["slot_full"] * (THREADS - LEFT)
    assert slot.claimed == slot.capacity
    assert SlotClaim.objects.filter(slot=slot).count() == LEFT
