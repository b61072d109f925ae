"""Demo stock: lots with realistic expiry dates for the demo listings (see catalog.demo)."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from linli.catalog.demo import demo_catalog_load
from linli.catalog.models import Listing
from linli.inventory.models import Lot, StockLevel, StockMovement
from linli.shops.models import Outlet


@transaction.atomic
def demo_stock_load(*, listings: Iterable[Listing], seed: int = 7) -> dict[str, int]:
    """One to three lots per listing: an older lot nearer its expiry (fresh goods: tomorrow or
    the day after) and fresher ones; each a `receive` movement. Skips stock that already has lots."""
    rng = random.Random(seed)
    today = timezone.localdate()
    lots = units = 0
    for listing in sorted(listings, key=lambda x: x.pk):
        product = listing.product
        sl, _ = StockLevel.objects.get_or_create(outlet_id=listing.outlet_id, product=product)
        if sl.lots.exists():
            continue
        life = product.shelf_life_days or 30
        for k in range(rng.randint(1, 3)):
            left = max(0, min(life - 1, [1, life // 2, life - 1][k] + rng.randint(0, 1)))
            expiry = today + timedelta(days=left)
            qty = rng.randint(3, 12) if life <= 7 else rng.randint(6, 40)
            received = timezone.now() - timedelta(days=life - left, hours=rng.randint(1, 8))
            lot = Lot.objects.create(
                stock_level=sl,
                batch_no=f"{expiry:%Y%m%d}-{rng.randint(100, 999)}",
                expiry_date=expiry,
                production_date=expiry - timedelta(days=life),
                origin=product.origin,
                received_at=received,
                quantity_received=qty,
                quantity_remaining=qty,
            )
            StockLevel.objects.filter(pk=sl.pk).update(on_hand=F("on_hand") + qty)
            StockMovement.objects.create(
                stock_level=sl,
                lot=lot,
                reason=StockMovement.Reason.RECEIVE,
                quantity=qty,
                ref=f"lot:{lot.pk}",
                created_at=received,
            )
            lots += 1
            units += qty
    return {"lots": lots, "units": units}


def demo_shop_load(*, outlets: Iterable[Outlet], seed: int = 7) -> dict[str, object]:
    """Catalog and stock in one call (what the demo loader wants)."""
    result = demo_catalog_load(outlets=outlets, seed=seed)
    result.update(demo_stock_load(listings=result["listings"], seed=seed))  # type: ignore[arg-type]
    return result
