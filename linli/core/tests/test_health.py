"""GET /api/v1/health: what a load balancer polls. No login, one query, 503 when the DB is gone."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError


@pytest.mark.django_db
def test_health_ok_without_login(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        r = client.get("/api/v1/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "db": True}


@pytest.mark.django_db
def test_health_503_when_database_unreachable(client):
    with mock.patch("config.api.connection.cursor", side_effect=OperationalError("gone")):
        r = client.get("/api/v1/health")
    assert r.status_code == 503
    assert r.json() == {"status": "error", "db": False}
