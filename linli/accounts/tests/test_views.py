"""Pages: logging in by SMS and by password lands each role on its own home page."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_login_page_renders_in_chinese_by_default(client):
    r = client.get("/accounts/login/")
    assert r.status_code == 200
    assert '<html lang="zh-hans"' in r.content.decode()


def test_resident_logs_in_with_sms_and_lands_on_nearby(client, rosa, marco, sms_outbox):
    r = client.post(
        "/accounts/login/", {"mode": "sms", "sms-phone": "13800000001", "action": "send"}
    )
    assert r.status_code == 200
    code = re.search(r"\b(\d{6})\b", sms_outbox[-1][1]).group(1)
    r = client.post(
        "/accounts/login/",
        {"mode": "sms", "sms-phone": "13800000001", "sms-code": code, "action": "login"},
        follow=True,
    )
    assert r.redirect_chain[-1][0] == "/resident/"
    assert "马哥便利店 西园店" in r.content.decode()


def test_wrong_code_shows_the_message_and_stays(client, rosa, sms_outbox):
    client.post("/accounts/login/", {"mode": "sms", "sms-phone": "13800000001", "action": "send"})
    r = client.post(
        "/accounts/login/",
        {"mode": "sms", "sms-phone": "13800000001", "sms-code": "abcdef", "action": "login"},
    )
    assert r.status_code == 400
    assert "验证码错误" in r.content.decode()
    assert "_auth_user_id" not in client.session


def test_unknown_phone_on_the_page(client, db):
    r = client.post(
        "/accounts/login/", {"mode": "sms", "sms-phone": "13912345678", "action": "send"}
    )
    assert r.status_code == 404
    assert "该手机号尚未注册" in r.content.decode()


def test_shop_owner_logs_in_with_password(client, marco):
    r = client.post(
        "/accounts/login/",
        {"mode": "password", "pw-username": "13800000002", "pw-password": "marco-pass-123"},
        follow=True,
    )
    assert r.redirect_chain[-1][0] == "/merchant/"
    body = r.content.decode()
    assert "马哥便利店" in body and "91350100M000100Y43" in body


def test_wrong_password(client, marco):
    r = client.post(
        "/accounts/login/",
        {"mode": "password", "pw-username": "13800000002", "pw-password": "nope"},
    )
    assert r.status_code == 400
    assert "手机号或密码错误" in r.content.decode()


@pytest.mark.parametrize(
    ("persona", "home", "text"),
    [
        ("rosa", "/resident/", "望京西园社区"),
        ("carla", "/delivery/courier/", "layout-mobile"),
        ("gina", "/gov/", "便利店"),
        ("pete", "/property/", "西园三区 3 号楼"),
    ],
)
def test_each_role_has_a_home(client, request, persona, home, text):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    r = client.get("/", follow=True)
    assert r.redirect_chain[-1][0] == home
    assert text in r.content.decode()


def test_official_sees_missing_formats(client, gina, marco, mia):
    client.force_login(gina)
    r = client.get("/gov/")
    missing = re.search(r'data-testid="missing-count">(\d+)<', r.content.decode()).group(1)
    assert int(missing) == 24  # 26 formats, two present (convenience store, fresh grocery)


def test_english_switch(client, rosa):
    client.force_login(rosa)
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/resident/"}, follow=True)
    assert '<html lang="en"' in r.content.decode()


def test_logout_needs_post(client, rosa):
    client.force_login(rosa)
    assert client.get("/accounts/logout/").status_code == 405
    client.post("/accounts/logout/")
    assert client.get("/resident/").status_code == 302


def test_unknown_page_is_a_friendly_404(client, db):
    r = client.get("/no/such/page/")
    assert r.status_code == 404
    assert "not_found" in r.content.decode()


def test_welcome_page_for_visitors(client, db):
    r = client.get("/")
    assert r.status_code == 200
    page = r.content.decode()
    assert 'data-testid="welcome"' in page and "/accounts/login/" in page
