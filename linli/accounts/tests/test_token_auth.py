"""Bearer-token auth is one statement per request and never lets a revoked token or a
deactivated user through (nothing is cached between requests)."""

from __future__ import annotations

from datetime import timedelta

import psycopg
import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from conftest import postgres_only
from linli.accounts.errors import AccountsError
from linli.accounts.models import ApiToken, User
from linli.accounts.services import TOKEN_USE_RECORD_EVERY, api_token_authenticate, api_token_create

pytestmark = pytest.mark.django_db


def test_one_statement_and_a_whole_user(rosa, django_assert_num_queries):
    key = api_token_create(user=rosa, name="phone app")
    # the first use is recorded: by a second statement, on PostgreSQL within the same one
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        api_token_authenticate(key=key)
    with django_assert_num_queries(1):
        user = api_token_authenticate(key=key)
    with django_assert_num_queries(0):  # every field came with it
        fields = {f.attname: getattr(user, f.attname) for f in User._meta.concrete_fields}
    assert fields == {f.attname: getattr(rosa, f.attname) for f in User._meta.concrete_fields}
    assert type(user) is User and user.pk == rosa.pk
    assert user.is_active is True and user.is_superuser is False  # booleans, also on SQLite
    assert timezone.is_aware(user.date_joined)
    assert set(vars(user)) == {"_state", *fields}  # nothing of the token left on it


def test_revoked_token_and_inactive_user_are_refused_at_once(rosa):
    key = api_token_create(user=rosa, name="phone app")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/v1/accounts/me").status_code == 200
    ApiToken.objects.update(revoked=True)
    r = client.get("/api/v1/accounts/me")
    assert (r.status_code, r.json()["code"]) == (401, "not_authenticated")
    with pytest.raises(AccountsError) as e:
        api_token_authenticate(key=key)
    assert e.value.spec.code == "token_invalid"

    ApiToken.objects.update(revoked=False)
    assert client.get("/api/v1/accounts/me").status_code == 200
    User.objects.filter(pk=rosa.pk).update(is_active=False)
    assert client.get("/api/v1/accounts/me").status_code == 401
    r = client.get("/api/v1/accounts/me", HTTP_X_API_TOKEN=key)  # the other header too
    assert r.status_code == 401


def test_unknown_keys_are_refused(rosa):
    api_token_create(user=rosa, name="phone app")
    for key in ("ll_forged", "", "' OR 1=1 --"):
        with pytest.raises(AccountsError):
            api_token_authenticate(key=key)


def test_use_is_recorded_once_per_interval(rosa, django_assert_num_queries):
    key = api_token_create(user=rosa, name="phone app")
    api_token_authenticate(key=key)
    first = ApiToken.objects.get().last_used_at
    assert timezone.now() - first < timedelta(seconds=5)
    api_token_authenticate(key=key)
    assert ApiToken.objects.get().last_used_at == first
    almost = timezone.now() - TOKEN_USE_RECORD_EVERY + timedelta(seconds=30)
    ApiToken.objects.update(last_used_at=almost)
    with django_assert_num_queries(1):
        api_token_authenticate(key=key)
    stale = timezone.now() - TOKEN_USE_RECORD_EVERY - timedelta(seconds=1)
    ApiToken.objects.update(last_used_at=stale)
    # recorded by a second UPDATE, on PostgreSQL inside the same statement
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        api_token_authenticate(key=key)
    assert ApiToken.objects.get().last_used_at > stale + TOKEN_USE_RECORD_EVERY


def _new_request() -> None:
    """What Django does when a request starts: the reused connection is unchecked again (the
    test client leaves this signal out)."""
    connection.health_check_done = False


@postgres_only()
@pytest.mark.django_db(transaction=True)
def test_the_token_statement_is_the_requests_health_check(rosa, monkeypatch):
    key = api_token_create(user=rosa, name="phone app")
    api_token_authenticate(key=key)
    checks: list[bool] = []
    real_check = connection.is_usable
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(True) or real_check())
    _new_request()
    assert api_token_authenticate(key=key).pk == rosa.pk
    assert checks == []  # no SELECT 1 before it: the statement was the check
    assert connection.health_check_done  # the request's later queries are not checked again


@postgres_only()
@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_dropped_is_replaced_without_an_error(rosa):
    key = api_token_create(user=rosa, name="phone app")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/v1/accounts/me").status_code == 200
    dropped = connection.connection.info.backend_pid
    db = connection.settings_dict
    with psycopg.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"], autocommit=True
    ) as admin:  # the server ends the connection, as a restart would
        admin.execute("SELECT pg_terminate_backend(%s)", [dropped])
    _new_request()
    r = client.get("/api/v1/accounts/me")
    assert r.status_code == 200 and r.json()["id"] == rosa.pk
    assert connection.connection.info.backend_pid != dropped
