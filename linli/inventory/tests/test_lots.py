"""Recall and transfer at the lot level (inventory.lots)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.inventory import services
from linli.inventory.errors import InventoryError
from linli.inventory.lots import lots_recall, stock_transfer
from linli.inventory.models import Lot, StockLevel, StockMovement
from linli.inventory.selectors import stock_available

pytestmark = pytest.mark.django_db


def receive(actor, outlet, product, qty, batch):
    return services.stock_receive(
        actor=actor,
        outlet=outlet,
        product=product,
        quantity=qty,
        batch_no=batch,
        expiry_date=timezone.localdate() + timedelta(days=5),
    )


def test_recall_writes_off_and_is_idempotent(marco, marco_outlet, tomato):
    bad = receive(marco, marco_outlet, tomato, 6, "BAD")
    receive(marco, marco_outlet, tomato, 2, "GOOD")
    r = lots_recall(lot_ids=[bad.pk])
    assert (r.written_off, r.held) == (6, 0)
    assert lots_recall(lot_ids=[bad.pk]).written_off == 0
    assert stock_available(outlet_id=marco_outlet.pk, product_id=tomato.pk) == 2
    assert StockMovement.objects.filter(reason="recall").get().quantity == -6
    assert services.lots_expire() == 0


def test_transfer_keeps_batches_and_refuses_bad_moves(marco, mia, marco_outlet, mia_outlet, tomato):
    receive(marco, marco_outlet, tomato, 3, "A")
    with pytest.raises(InventoryError) as e:
        stock_transfer(
            actor=marco,
            from_outlet_id=marco_outlet.pk,
            to_outlet_id=marco_outlet.pk,
            product_id=tomato.pk,
            quantity=1,
        )
    assert e.value.spec.code == "transfer_same_outlet"
    with pytest.raises(InventoryError) as e:
        stock_transfer(
            actor=marco,
            from_outlet_id=marco_outlet.pk,
            to_outlet_id=mia_outlet.pk,
            product_id=tomato.pk,
            quantity=1,
        )
    assert e.value.spec.code == "not_your_outlet"
    assert StockLevel.objects.get().on_hand == 3 and Lot.objects.count() == 1
