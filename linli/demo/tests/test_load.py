"""`make demo` loads the whole demo, and loading it again changes nothing."""

from __future__ import annotations

import pytest

from linli.catalog.models import Listing
from linli.demo.load import demo_load_all
from linli.inventory.models import Lot
from linli.shops.models import Outlet

pytestmark = pytest.mark.django_db


def test_demo_loads_twice_without_duplicates():
    first = demo_load_all()
    counts = (Outlet.objects.count(), Listing.objects.count(), Lot.objects.count())
    assert first.base.numbers["formats covered"] == 26
    assert counts[1] >= counts[0] > 50 and counts[2] > counts[1]
    again = demo_load_all()
    assert (Outlet.objects.count(), Listing.objects.count(), Lot.objects.count()) == counts
    assert again.base.community.pk == first.base.community.pk


@pytest.mark.django_db(transaction=True)
def test_demo_orders_tell_every_role_a_story():
    """Real commits, as in `make demo`: payments tell orders after each commit."""
    from linli.demo.orders import demo_orders_load
    from linli.orders.models import Order

    demo_load_all()
    assert demo_orders_load() == {"demo orders": 3}
    statuses = sorted(Order.objects.values_list("status", flat=True))
    assert statuses == ["completed", "paid", "ready"]
    done = Order.objects.get(status="completed").lines.first()
    assert done.lots and done.lots[0]["batch"]  # batch (and origin) shown to the resident
    assert demo_orders_load() == {"demo orders": 0}


def test_sales_history_begun_yesterday_still_sells_after_midnight(tmp_path):
    """`make demo` run across midnight: the history's lots were received to expire on the day the
    load began, which after midnight had passed (refused on receipt, then on every claim)."""
    from datetime import timedelta

    from django.utils import timezone

    from linli.demo.history import _keep_sellable, demo_sales_history
    from linli.orders.tests.conftest import build_neighbourhood

    hood = build_neighbourhood(tmp_path)
    today = timezone.localdate()
    sold = demo_sales_history(outlets=[hood.marco.outlet], weeks=1, today=today - timedelta(1))
    assert sold["units sold in the last 8 weeks"] > 0
    history = Lot.objects.filter(batch_no__startswith="H", stock_level__outlet=hood.marco.outlet)
    assert history.exists()
    assert all(lot.quantity_remaining == 0 for lot in history)  # every unit sold, none left over
    # a lot received before midnight and claimed after it moves to the new day
    lot = history.first()
    Lot.objects.filter(pk=lot.pk).update(expiry_date=today - timedelta(1))
    lot.refresh_from_db()
    _keep_sellable(lot)
    lot.refresh_from_db()
    assert lot.expiry_date == today
