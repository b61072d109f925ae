"""A resident logs in with an SMS code on a phone; a shop owner logs in with a password."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_resident_logs_in_with_sms_code_on_a_phone(phone_page, rosa, marco, sms_outbox):
    page = phone_page
    page.goto("/")
    page.locator("[data-testid=welcome] a.btn-primary").click()
    page.wait_for_url("**/accounts/login/")
    page.fill("#id_sms-phone", "138 0000 0001")
    page.click("button[value=send]")
    page.wait_for_selector(".alert")
    code = re.search(r"\b(\d{6})\b", sms_outbox[-1][1]).group(1)
    page.fill("#id_sms-code", code)
    page.click("button[value=login]")
    page.wait_for_url("**/resident/")
    assert page.get_by_text("马哥便利店 西园店").is_visible()
    screenshot(page, "resident-home")


def test_wrong_code_keeps_the_resident_out(phone_page, rosa, sms_outbox):
    page = phone_page
    page.goto("/accounts/login/")
    page.fill("#id_sms-phone", "13800000001")
    page.click("button[value=send]")
    page.fill("#id_sms-code", "000000" if "000000" not in sms_outbox[-1][1] else "111111")
    page.click("button[value=login]")
    assert page.get_by_text("验证码错误").is_visible()
    assert "/accounts/login/" in page.url


def test_shop_owner_logs_in_with_password(desk_page, marco):
    page = desk_page
    page.goto("/accounts/login/")
    page.get_by_role("tab", name=re.compile("密码|Password")).click()
    page.fill("#id_pw-username", "13800000002")
    page.fill("#id_pw-password", "marco-pass-123")
    page.locator("[data-testid=password-login] button[type=submit]").click()
    page.wait_for_url("**/merchant/")
    assert page.get_by_text("91350100M000100Y43").first.is_visible()
    screenshot(page, "merchant-home")
