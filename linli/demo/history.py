"""Eight weeks of past sales for the demo shops, so the reorder page has demand to forecast and
the reports have days to draw. Sales go through the real stock services (claim, then hand-over,
first expiry first out) and only the ledger rows' timestamps are moved back to the sale day."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from linli.catalog.models import Listing
from linli.inventory.models import Lot, StockMovement
from linli.inventory.services import stock_claim, stock_claims_commit, stock_receive
from linli.shops.models import Membership, Outlet

WEEKDAY_FACTOR = [0.9, 0.85, 0.9, 0.95, 1.15, 1.45, 1.35]  # Mon..Sun: weekends sell more
HISTORY_REF = "demo-history"


@transaction.atomic
def demo_sales_history(
    *, outlets: list[Outlet], weeks: int = 8, seed: int = 7, today: date | None = None
) -> dict[str, int]:
    """Idempotent: an outlet that already has demo history is left alone. `today`: the day the
    load began (a load can run past midnight)."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    sales = 0
    for outlet in outlets:
        if StockMovement.objects.filter(
            stock_level__outlet=outlet, ref__startswith=HISTORY_REF
        ).exists():
            continue
        member = Membership.objects.filter(merchant=outlet.merchant).order_by("pk").first()
        owner = member.user if member else None
        listings = list(
            Listing.objects.filter(outlet=outlet, active=True)
            .select_related("product")
            .order_by("pk")[:12]
        )
        for listing in listings:
            base = rng.uniform(1.5, 9.0)
            days = weeks * 7
            total = 0
            plan = []
            for back in range(days, 0, -1):
                day = today - timedelta(days=back)
                mean = base * WEEKDAY_FACTOR[day.weekday()]
                qty = max(0, round(rng.gauss(mean, mean * 0.35)))
                plan.append((day, qty))
                total += qty
            if not total:
                continue
            # The goods sold were received before the first sale, in one lot that expires
            # first, so first-expiry-first-out sells exactly it and today's lots stay whole.
            lot = stock_receive(
                actor=owner,
                outlet=outlet,
                product=listing.product,
                quantity=total,
                batch_no=f"H{listing.product_id:05d}",
                expiry_date=timezone.localdate(),  # not `today`: past midnight that has passed
                origin=listing.product.origin,
            )
            StockMovement.objects.filter(lot=lot, reason=StockMovement.Reason.RECEIVE).update(
                created_at=_at(today - timedelta(days=days + 1)), ref=HISTORY_REF
            )
            for day, qty in plan:
                if not qty:
                    continue
                ref = f"{HISTORY_REF}:{listing.pk}:{day.isoformat()}"
                _keep_sellable(lot)
                stock_claim(
                    outlet_id=outlet.pk,
                    product_id=listing.product_id,
                    quantity=qty,
                    ref=ref,
                    expires_at=timezone.now() + timedelta(minutes=5),
                )
                stock_claims_commit(refs=[ref])
                StockMovement.objects.filter(ref=ref).update(created_at=_at(day))
                sales += qty
    return {"units sold in the last 8 weeks": sales}


def _keep_sellable(lot: Lot) -> None:
    """A lot received before midnight expires on that day, so after midnight nothing could be
    sold from it: it moves to the new day, still no later than any other lot."""
    now_day = timezone.localdate()
    if lot.expiry_date is not None and lot.expiry_date < now_day:
        lot.expiry_date = now_day
        Lot.objects.filter(pk=lot.pk).update(expiry_date=now_day)


def _at(day: object) -> datetime:
    """Mid-afternoon of a past day, local time."""
    return timezone.make_aware(datetime.combine(day, time(15, 0)))  # type: ignore[arg-type]
