"""A resident orders chilled milk for locker pickup and pays; the shop deposits it; the
resident opens the compartment with the one-time code on the cabinet's kiosk screen."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from linli.lockers.models import Booking, Cabinet
from linli.lockers.services import cabinet_key_issue
from linli.orders.domain import Status
from linli.orders.models import Order
from linli.orders.services import cart_line_set
from linli.orders.tests.conftest import build_neighbourhood
from linli.orders.tests.test_locker_pickup import locker_site
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, user, live_server):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
          "url": live_server.url}]
    )  # fmt: skip


def test_chilled_milk_through_a_locker(phone_page, desk_page, chromium, live_server, tmp_path):
    hood = build_neighbourhood(tmp_path)
    locker_site(hood)
    cabinet = Cabinet.objects.get()
    key = cabinet_key_issue(actor=None, cabinet=cabinet)
    cart_line_set(
        resident=hood.resident, listing_id=hood.marco.listings["伊利纯牛奶"].pk, quantity=2
    )

    # The resident picks locker pickup and pays in the sandbox cashier.
    page = phone_page
    log_in(page, hood.resident, live_server)
    page.goto("/cart/")
    page.locator(f'input[name="method-{hood.marco.outlet.pk}"][value^="locker"]').check()
    screenshot(page, "locker-cart")
    page.locator("[data-testid=checkout-form] button[type=submit]").click()
    page.locator("[data-testid=cashier-form] button[value=pay]").click()
    page.wait_for_load_state()
    order = Order.objects.get(fulfilment_method="locker")
    assert order.status == Status.PAID
    booking = Booking.objects.get(order_id=order.pk)
    assert booking.compartment.zone == "chilled"

    # The shop deposits it into the claimed compartment.
    desk = desk_page
    log_in(desk, hood.marco.owner, live_server)
    desk.goto("/merchant/lockers/")
    desk.locator(f"tr[data-booking='{booking.pk}'] button[type=submit]").click()
    desk.wait_for_selector(".alert")
    screenshot(desk, "locker-shop-deposit")
    order.refresh_from_db()
    assert order.status == Status.READY

    # The resident sees it and gets the code.
    page.goto("/lockers/")
    assert (
        page.locator(f"li[data-booking='{booking.pk}'] [data-testid=compartment]").inner_text()
        == booking.compartment.label
    )
    page.locator(f"li[data-booking='{booking.pk}'] button[type=submit]").click()
    code = page.locator("[data-testid=locker-code]").inner_text().strip()
    assert len(code) == 8
    screenshot(page, "locker-resident-code")

    # At the cabinet: pair the screen once, then tap the code in.
    kiosk = chromium.new_context(viewport={"width": 800, "height": 1280}, base_url=live_server.url,
                                 has_touch=True).new_page()  # fmt: skip
    kiosk.goto(f"/kiosk/{cabinet.serial}/")
    kiosk.fill("input[name=key]", key)
    kiosk.locator("[data-testid=kiosk-pair] button[type=submit]").click()
    for digit in code:
        kiosk.locator("[data-testid=kiosk-form] button[type=button]", has_text=digit).first.tap()
    assert kiosk.input_value("#kiosk-code") == code
    kiosk.locator("[data-testid=kiosk-form] button[type=submit]").tap()
    opened = kiosk.locator("[data-testid=kiosk-opened]")
    opened.wait_for()
    assert booking.compartment.label in opened.inner_text()
    screenshot(kiosk, "locker-kiosk-opened")
    kiosk.context.close()
    order.refresh_from_db()
    assert order.status == Status.PICKED_UP
