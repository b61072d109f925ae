"""网订店取 end to end in Chromium: a resident buys from two shops in one checkout, pays in the
sandbox cashier, both shops accept and hand over against the pickup codes, and the resident
confirms both orders complete."""

from __future__ import annotations

import re

import pytest

from linli.orders.tests.conftest import build_neighbourhood
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def login_resident(page, sms_outbox, phone):
    page.goto("/accounts/login/")
    page.fill("#id_sms-phone", phone)
    page.click("button[value=send]")
    page.wait_for_selector(".alert")
    page.fill("#id_sms-code", re.search(r"\b(\d{6})\b", sms_outbox[-1][1]).group(1))
    page.click("button[value=login]")
    page.wait_for_url("**/resident/")


def login_owner(page, phone, password):
    page.goto("/accounts/login/?mode=password")
    page.fill("#id_pw-username", phone)
    page.fill("#id_pw-password", password)
    page.locator("[data-testid=password-login] button[type=submit]").click()
    page.wait_for_url("**/merchant/")


def hand_over(page, number, code):
    page.goto("/merchant/orders/")
    card = page.locator(f"[data-number='{number}']")
    card.get_by_role("button", name=re.compile("接单|Accept")).click()
    card = page.locator("[data-column=accepted]").locator(f"[data-number='{number}']")
    card.get_by_role("button", name=re.compile("备货完成|可取货|Ready")).click()
    card = page.locator("[data-column=ready]").locator(f"[data-number='{number}']")
    card.locator("input[name=code]").fill(code)
    card.get_by_role("button", name=re.compile("交付|Hand over")).click()
    page.wait_for_selector(f"[data-number='{number}']", state="detached")


def test_two_shops_one_payment_store_pickup(phone_page, desk_page, tmp_path, sms_outbox):
    hood = build_neighbourhood(tmp_path)
    page = phone_page
    login_resident(page, sms_outbox, "13800000001")

    for shop, name in ((hood.marco, "伊利纯牛奶"), (hood.mia, "西红柿")):
        page.goto(f"/catalog/shop/{shop.outlet.pk}/")
        page.locator(f"[data-testid=add-{shop.listings[name].pk}]").click()
        page.wait_for_function(
            "document.querySelector('[data-testid=cart-count]')?.textContent.trim() !== '0'"
        )
    page.goto("/cart/")
    assert page.locator("[data-testid=cart-total]").inner_text() == "8.30"
    screenshot(page, "cart")
    page.locator("[data-testid=checkout-form] button[type=submit]").click()
    page.wait_for_url("**/payments/sandbox/**")
    screenshot(page, "cashier")
    page.locator("[data-testid=cashier-form] button[value=pay]").click()
    page.wait_for_url("**/orders/**")

    codes = {}
    page.goto("/orders/")
    for link in page.locator("[data-order] a").all():
        href = link.get_attribute("href")
        detail = page.context.new_page()
        detail.goto(href)
        number = detail.locator("h1").inner_text().split()[-1]
        codes[number] = detail.locator("[data-testid=pickup-code]").inner_text()
        if not (tmp_path / "code.png").exists():
            screenshot(detail, "pickup-code")
            (tmp_path / "code.png").touch()
        detail.close()
    assert len(codes) == 2 and all(len(c) == 6 for c in codes.values())

    shop_page = desk_page
    for owner_phone, password, shop in (
        ("13800000002", "marco-pass-123", hood.marco),
        ("13800000003", "mia-pass-123", hood.mia),
    ):
        login_owner(shop_page, owner_phone, password)
        number = shop.outlet.orders.get().number
        hand_over(shop_page, number, codes[number])
        shop_page.context.clear_cookies()

    page.goto("/orders/")
    for href in [a.get_attribute("href") for a in page.locator("[data-order] a").all()]:
        page.goto(href)
        page.get_by_role("button", name=re.compile("确认收货|Confirm receipt")).click()
        assert (
            page.locator("[data-testid=order-status]").get_attribute("data-status") == "completed"
        )
    page.goto("/orders/")
    statuses = [el.get_attribute("data-status") for el in page.locator("[data-order]").all()]
    assert statuses == ["completed", "completed"]
    screenshot(page, "orders-completed")
