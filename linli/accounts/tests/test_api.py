"""The accounts API and the one error shape {code, detail} in Chinese and English."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_sms_login_over_the_api_starts_a_session(client, rosa, sms_outbox):
    r = client.post(
        "/api/v1/accounts/sms/send", {"phone": "13800000001"}, content_type="application/json"
    )
    assert r.status_code == 200, r.content
    code = re.search(r"\b(\d{6})\b", sms_outbox[-1][1]).group(1)
    r = client.post(
        "/api/v1/accounts/sms/login",
        {"phone": "13800000001", "code": code},
        content_type="application/json",
    )
    assert r.status_code == 200
    assert r.json()["roles"] == ["resident"]
    assert r.json()["phone"] == "138****0001"
    me = client.get("/api/v1/accounts/me")
    assert me.status_code == 200 and me.json()["home"] == "/resident/"


def test_wrong_code_is_a_coded_error_in_both_languages(client, rosa, sms_outbox):
    client.post(
        "/api/v1/accounts/sms/send", {"phone": "13800000001"}, content_type="application/json"
    )
    r = client.post(
        "/api/v1/accounts/sms/login",
        {"phone": "13800000001", "code": "99999x"},
        content_type="application/json",
    )
    assert r.status_code == 400
    assert r.json()["code"] == "sms_code_wrong"
    assert "验证码错误" in r.json()["detail"]
    r = client.post(
        "/api/v1/accounts/sms/login",
        {"phone": "13800000001", "code": "99999x"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.json()["detail"].startswith("Wrong code")


def test_unknown_phone_is_404_with_code(client, db):
    r = client.post(
        "/api/v1/accounts/sms/send", {"phone": "13912345678"}, content_type="application/json"
    )
    assert r.status_code == 404
    assert r.json() == {"code": "phone_unknown", "detail": "该手机号尚未注册"}


def test_malformed_json_is_400_not_500(client, db):
    r = client.post("/api/v1/accounts/sms/send", "{not json", content_type="application/json")
    assert r.status_code == 400
    assert r.json()["code"] == "malformed_json"


def test_missing_field_is_invalid_input(client, db):
    r = client.post("/api/v1/accounts/sms/send", {}, content_type="application/json")
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "invalid_input" and "phone" in body["detail"]


def test_me_needs_login(client, db):
    r = client.get("/api/v1/accounts/me")
    assert r.status_code == 401
    assert r.json()["code"] == "not_authenticated"


def test_bearer_token_authenticates_an_app(client, rosa):
    from linli.accounts.services import api_token_create

    key = api_token_create(user=rosa, name="phone app")
    r = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert r.status_code == 200 and r.json()["id"] == rosa.pk
    r = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION="Bearer ll_forged")
    assert r.status_code == 401


def test_unknown_url_under_api_is_coded_404(client, db):
    r = client.get("/api/v1/shops/outlets/999999")
    assert r.status_code == 404
    assert r.json()["code"] == "outlet_not_found"


def test_openapi_document_lists_every_router(client, db):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    assert "/api/v1/accounts/sms/send" in paths
    assert "/api/v1/shops/outlets/{outlet_id}" in paths
    assert "/api/v1/community/communities" in paths
    assert client.get("/api/v1/docs").status_code == 200


def test_consent_is_recorded_and_withdrawable(client, rosa):
    client.force_login(rosa)
    r = client.post(
        "/api/v1/accounts/consents",
        {"kind": "personalised", "granted": True},
        content_type="application/json",
    )
    assert r.json()["personalised"] is True
    r = client.post(
        "/api/v1/accounts/consents",
        {"kind": "personalised", "granted": False},
        content_type="application/json",
    )
    assert r.json()["personalised"] is False
    r = client.post(
        "/api/v1/accounts/consents",
        {"kind": "spying", "granted": True},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["code"] == "invalid_input"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/shops/outlets/99999999999999999999999",
        "/api/v1/catalog/search?q=x&outlet=99999999999999999999999",
        "/api/v1/community/communities/1/buildings?offset=99999999999999999999999",
        "/api/v1/community/communities/1/buildings?limit=100000",
    ],
)
def test_huge_numbers_are_bad_input_not_server_errors(client, rosa, community, url):
    client.force_login(rosa)
    r = client.get(url.replace("/communities/1/", f"/communities/{community.pk}/"))
    if r.status_code == 200:  # PostgreSQL compares a huge id and simply finds nothing
        assert r.json() == []
        return
    assert r.status_code in (400, 404), r.content
    assert r.json()["code"] in ("invalid_input", "outlet_not_found")


def test_a_broken_upload_is_bad_input(client, rosa):
    client.force_login(rosa)
    r = client.post(
        "/api/v1/catalog/products/1/photos", b"--x\r\n", content_type="multipart/form-data"
    )  # no boundary
    assert r.status_code == 400
    assert r.json()["code"] == "invalid_input"
