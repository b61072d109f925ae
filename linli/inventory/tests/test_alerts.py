"""Expiry and low-stock alerts, the daily job, stock export and receiving from a file."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from linli.catalog.models import Listing
from linli.core import events
from linli.core.errors import LinliError
from linli.inventory import alerts, bulk
from linli.inventory.models import Lot, StockLevel, StockMovement
from linli.inventory.services import stock_receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def stocked(marco, marco_outlet, tomato, today):
    stock_receive(
        actor=marco,
        outlet=marco_outlet,
        product=tomato,
        quantity=5,
        batch_no="SOON",
        expiry_date=today + timedelta(days=2),
    )
    stock_receive(
        actor=marco,
        outlet=marco_outlet,
        product=tomato,
        quantity=20,
        batch_no="LATER",
        expiry_date=today + timedelta(days=20),
    )
    return StockLevel.objects.get(outlet=marco_outlet, product=tomato)


def sell(level: StockLevel, units: int, days_ago: int) -> None:
    """A sale in the ledger (as the hand-over writes it), dated in the past."""
    lot = level.lots.order_by("expiry_date").last()
    StockMovement.objects.create(
        stock_level=level,
        lot=lot,
        reason="sale",
        quantity=-units,
        ref="t",
        created_at=timezone.now() - timedelta(days=days_ago),
    )


def test_expiring_lots_within_n_days(marco, marco_outlet, stocked, today):
    got = alerts.expiring_lots(user=marco, outlet_id=marco_outlet.pk, days=3)
    assert [(lot.batch_no, lot.days_left) for lot in got] == [("SOON", 2)]
    assert len(alerts.expiring_lots(user=marco, outlet_id=marco_outlet.pk, days=30)) == 2
    assert alerts.expiring_lots(user=marco, outlet_id=marco_outlet.pk, days=1) == []
    # Already expired, not yet written off: listed first, negative days.
    later = alerts.expiring_lots(
        user=marco, outlet_id=marco_outlet.pk, days=0, today=today + timedelta(days=5)
    )
    assert [(lot.batch_no, lot.days_left) for lot in later] == [("SOON", -3)]


def test_low_stock_from_the_shops_threshold(marco, marco_outlet, stocked, tomato):
    assert alerts.low_stock(user=marco, outlet_id=marco_outlet.pk) == []  # no sales, no threshold
    Listing.objects.filter(outlet=marco_outlet, product=tomato).update(low_stock_threshold=25)
    [low] = alerts.low_stock(user=marco, outlet_id=marco_outlet.pk)
    assert (low.name, low.available, low.threshold, low.derived) == ("西红柿", 25, 25, False)


def test_low_stock_derived_from_recent_sales(marco, marco_outlet, stocked):
    for d in range(1, 15):
        sell(stocked, 14, d)  # 196 units in 28 days = 7 a day → threshold 21 (3 days)
    sell(stocked, 500, 40)  # too old to count
    assert alerts.low_stock(user=marco, outlet_id=marco_outlet.pk) == []  # 25 available > 21
    StockLevel.objects.filter(pk=stocked.pk).update(claimed=5)
    [low] = alerts.low_stock(user=marco, outlet_id=marco_outlet.pk)
    assert (low.available, low.threshold, low.derived, low.daily_sales) == (20, 21, True, 7.0)


def test_alerts_are_for_the_shops_own_staff_only(mia, marco_outlet, stocked):
    with pytest.raises(LinliError):
        alerts.low_stock(user=mia, outlet_id=marco_outlet.pk)
    with pytest.raises(LinliError):
        alerts.expiring_lots(user=mia, outlet_id=marco_outlet.pk)


def test_daily_job_publishes_per_outlet(marco_outlet, stocked, django_capture_on_commit_callbacks):
    seen = []
    events.subscribe(alerts.StockAlertsRaised, seen.append)
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts.stock_alerts_daily() == 1
    assert seen[-1] == alerts.StockAlertsRaised(outlet_id=marco_outlet.pk, expiring=1, low=0)


def test_stock_page_shows_alerts_and_counts(client, marco, marco_outlet, stocked):
    client.force_login(marco)
    page = client.get(f"/merchant/stock/{marco_outlet.pk}/").content.decode()
    assert 'data-alert="expiry"' in page and "SOON" in page
    r = client.post(
        f"/merchant/stock/{marco_outlet.pk}/",
        {"action": "count", "stock_level": stocked.pk, "counted": "22"},
    )
    assert r.status_code == 302
    stocked.refresh_from_db()
    assert stocked.on_hand == 22
    assert StockMovement.objects.filter(reason="count_adjust").count() == 1


def test_stock_export_and_receive_from_file(client, marco, marco_outlet, stocked, tomato, today):
    tomato.sku = "T1"
    tomato.save()
    data = bulk.stock_export(user=marco, outlet_id=marco_outlet.pk, fmt="xlsx")
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    assert [c.value for c in ws[2]][:5] == ["T1", "西红柿", "500g", 25, 0]
    good = (
        f"sku,quantity,batch_no,expiry_date\nT1,12,F1,{today + timedelta(days=9)}\nT1,3,F2,\n"
    ).encode()
    assert (
        bulk.stock_import_receive(actor=marco, outlet=marco_outlet, content=good, filename="r.csv")
        == 2
    )
    assert Lot.objects.filter(batch_no__in=["F1", "F2"]).count() == 2
    bad = f"sku,quantity,expiry_date\nT1,abc,\nNOPE,1,\nT1,2,{today - timedelta(days=1)}\n"
    with pytest.raises(bulk.StockImportRejected) as e:
        bulk.stock_import_receive(
            actor=marco, outlet=marco_outlet, content=bad.encode(), filename="r.csv"
        )
    assert [(x.row, x.column) for x in e.value.errors] == [
        (2, "quantity"),
        (3, "sku"),
        (4, "expiry_date"),
    ]
    assert Lot.objects.count() == 4  # nothing from the bad file
    client.force_login(marco)
    assert client.get(f"/merchant/stock/{marco_outlet.pk}/export.csv").status_code == 200
