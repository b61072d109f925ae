"""Apps authenticate with a bearer token and never need a CSRF token; browsers still do."""

from __future__ import annotations

import pytest
from django.test import Client

from linli.accounts.services import api_token_create

pytestmark = pytest.mark.django_db


def test_bearer_token_post_works_with_csrf_enforced(rosa):
    key = api_token_create(user=rosa, name="phone app")
    client = Client(enforce_csrf_checks=True)
    r = client.post(
        "/api/v1/accounts/consents",
        {"kind": "personalised", "granted": True},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert r.status_code == 200, r.content
    assert r.json()["personalised"] is True


def test_session_post_without_csrf_is_refused(rosa):
    client = Client(enforce_csrf_checks=True)
    client.force_login(rosa)
    r = client.post(
        "/api/v1/accounts/consents",
        {"kind": "personalised", "granted": True},
        content_type="application/json",
    )
    assert r.status_code == 403


def test_token_use_is_recorded_without_a_write_per_request(rosa):
    from linli.accounts.models import ApiToken

    key = api_token_create(user=rosa, name="phone app")
    client = Client()
    client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert ApiToken.objects.get().last_used_at == first
