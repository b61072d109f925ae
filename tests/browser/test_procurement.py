"""A shop owner receives a purchase order into lots (batch, harvest date, origin); a resident
opens the shop on a phone and sees where the tomatoes came from."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from linli.catalog.tests.conftest import (  # noqa: F401  (shared fixtures)
    marco_merchant,
    marco_outlet,
    tomato,
    veg,
)
from linli.procurement import services
from linli.procurement.tests.conftest import farm, farm_tomato  # noqa: F401
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_owner_receives_po_into_lots_and_resident_sees_origin(
    desk_page,
    phone_page,
    marco,
    rosa,
    marco_outlet,  # noqa: F811
    tomato,  # noqa: F811
    farm,  # noqa: F811
    farm_tomato,  # noqa: F811
):
    po = services.purchase_order_create_draft(
        actor=marco,
        outlet=marco_outlet,
        supplier=farm,
        lines=[
            services.LineSpec(product_id=tomato.pk, quantity=20, supplier_product_id=farm_tomato.pk)
        ],
    )
    po = services.purchase_order_send(actor=marco, purchase_order=po)
    line = po.lines.get()

    page = desk_page
    page.goto("/accounts/login/")
    page.get_by_role("tab", name=re.compile("密码|Password")).click()
    page.fill("#id_pw-username", "13800000002")
    page.fill("#id_pw-password", "marco-pass-123")
    page.locator("[data-testid=password-login] button[type=submit]").click()
    page.wait_for_url("**/merchant/")
    page.goto("/merchant/procurement/orders/")
    page.get_by_role("link", name=po.number).click()
    page.wait_for_url(f"**/merchant/procurement/orders/{po.pk}/")
    harvest = (timezone.localdate() - timedelta(days=1)).isoformat()
    page.fill(f"[name=qty_{line.pk}]", "18")
    page.fill(f"[name=batch_{line.pk}]", "SG-0601")
    page.fill(f"[name=prod_{line.pk}]", harvest)
    page.fill(f"[name=origin_{line.pk}]", "山东寿光 洛城街道")
    page.fill(f"[name=rej_{line.pk}]", "2")
    page.check("[name=close]")
    page.locator("[data-testid=receive]").click()
    page.wait_for_selector("[data-kind=short]")
    assert page.locator("[data-status=received]").first.is_visible()
    assert page.get_by_role("link", name="SG-0601").is_visible()
    assert page.locator("[data-kind=rejected]").is_visible()
    screenshot(page, "procurement-po-received")

    phone = phone_page
    phone.goto(f"/catalog/shop/{marco_outlet.pk}/")
    listing = tomato.listings.get()
    phone.locator(f"[data-testid=origin-{listing.pk}]").click()
    phone.wait_for_url(f"**/origin/{listing.pk}/")
    assert phone.locator("[data-origin]").first.inner_text() == "山东寿光 洛城街道"
    assert phone.get_by_text("SG-0601").is_visible()
    assert phone.get_by_text("寿光蔬菜专业合作社").is_visible()
    screenshot(phone, "resident-origin")
