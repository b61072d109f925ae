"""Planning page with the run card (polled while it plans), savings page with the chart for
the community's staff and the commerce bureau; nobody else."""

from __future__ import annotations

import pytest
from django.test import override_settings

from linli.accounts.models import Role
from linli.accounts.services import user_create
from linli.community.models import CommunityStaff
from linli.delivery.models import PlanningRun
from linli.delivery.tests.conftest import order_delivery

pytestmark = pytest.mark.django_db


def test_planning_and_savings_pages(wave, client, django_capture_on_commit_callbacks):
    c = django_capture_on_commit_callbacks
    order_delivery(wave, key="p", capture=c)
    pete = user_create(phone="13800000007", display_name="孙伟", roles=[Role.PROPERTY_MANAGER])
    CommunityStaff.objects.create(community=wave.community, user=pete, kind="property")
    client.force_login(pete)
    day = wave.slots[0].date
    assert client.get(f"/delivery/planning/?date={day}").status_code == 200
    with override_settings(LINLI_DELIVERY_PLAN_SECONDS=0.5), c(execute=True):
        r = client.post(
            "/delivery/planning/start/", {"community": wave.community.pk, "date": str(day)}
        )
    assert r.status_code == 302
    run = PlanningRun.objects.get()
    card = client.get(f"/delivery/planning/runs/{run.pk}/").content.decode()
    assert 'data-status="done"' in card and "hx-trigger" not in card
    PlanningRun.objects.filter(pk=run.pk).update(status="running", progress=0.4)
    card = client.get(f"/delivery/planning/runs/{run.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in card and "40%" in card
    PlanningRun.objects.filter(pk=run.pk).update(status="done")
    page = client.get("/delivery/savings/").content.decode()
    assert "savings-option" in page and "km_ratio" not in page
    gina = user_create(phone="13800000009", display_name="吴静", roles=[Role.COMMERCE_OFFICIAL])
    client.force_login(gina)
    page = client.get("/delivery/savings/").content.decode()
    assert "/delivery/savings/" in page and wave.community.name in page
    client.force_login(wave.courier)
    assert client.get("/delivery/savings/").status_code == 404
    assert client.get(f"/delivery/planning/runs/{run.pk}/").status_code == 404


def test_resident_picks_a_later_slot_on_the_cart_page(client, wave):
    """The cart offers each free slot as its own choice, and the chosen one is booked."""
    import re

    from linli.delivery.models import SlotClaim

    hood = wave.hood
    client.force_login(hood.resident)
    client.post("/cart/add/", {"listing_id": hood.marco.listings["伊利纯牛奶"].pk})
    page = client.get("/cart/").content.decode()
    values = re.findall(rf'name="method-{hood.marco.outlet.pk}" value="([^"]+)"', page)
    slot_values = [v for v in values if v.startswith("delivery_slot|")]
    assert len(slot_values) >= 2
    chosen = slot_values[1].replace("&quot;", '"')
    key = re.search(r'name="key" value="([0-9a-f]+)"', page).group(1)
    total = re.search(r'name="expected_total" value="(\d+)"', page).group(1)
    r = client.post(
        "/checkout/",
        {"key": key, "expected_total": total, f"method-{hood.marco.outlet.pk}": chosen},
    )
    assert r.status_code == 302, r.content.decode()[:500]
    claim = SlotClaim.objects.get()
    assert f'"slot_id": {claim.slot_id}' in chosen
