"""The merchant's stock and lot page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.inventory import services
from linli.inventory.models import Lot, StockLevel

pytestmark = pytest.mark.django_db


def test_stock_page(client, marco, marco_outlet, tomato, mia, django_assert_max_num_queries):
    today = timezone.localdate()
    services.stock_receive(
        actor=marco,
        outlet=marco_outlet,
        product=tomato,
        quantity=8,
        batch_no="B-SOON",
        expiry_date=today + timedelta(days=1),
    )
    services.stock_receive(
        actor=marco,
        outlet=marco_outlet,
        product=tomato,
        quantity=5,
        batch_no="B-LATER",
        expiry_date=today + timedelta(days=6),
    )
    client.force_login(marco)
    with django_assert_max_num_queries(17):  # + the alerts: one outlet check, two reads
        r = client.get(f"/merchant/stock/{marco_outlet.pk}/")
    html = r.content.decode()
    assert r.status_code == 200
    assert html.index("B-SOON") < html.index("B-LATER")
    assert "badge-warn" in html  # 1 day left
    assert client.get("/merchant/stock/").status_code == 302
    lot = Lot.objects.get(batch_no="B-SOON")
    r = client.post(
        f"/merchant/stock/{marco_outlet.pk}/",
        {"action": "write_off", "lot": lot.pk, "quantity": "2"},
    )
    assert r.status_code == 302
    r = client.post(
        f"/merchant/stock/{marco_outlet.pk}/",
        {
            "action": "receive",
            "product": tomato.pk,
            "quantity": "3",
            "batch_no": "B3",
            "expiry_date": (today + timedelta(days=3)).isoformat(),
        },
    )
    assert r.status_code == 302
    assert StockLevel.objects.get().on_hand == 14
    client.force_login(mia)
    r = client.get(f"/merchant/stock/{marco_outlet.pk}/")
    assert r.status_code == 403 and "无权" in r.content.decode()
