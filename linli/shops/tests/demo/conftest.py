"""The Wangjing demo, loaded once for this package and rolled back when the package is done.

The load runs inside an outer transaction; each test's own transaction becomes a savepoint in
it (as in Django's TestCase.setUpTestData), so tests elsewhere never see the demo's rows.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction

from linli.accounts.models import User
from linli.shops.demo import DemoSummary, demo_load


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker) -> Iterator[DemoSummary]:
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield demo_load()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def wang_fang(demo: DemoSummary, db) -> User:
    return User.objects.get(phone="13800000001")


@pytest.fixture
def resident_client(client, wang_fang: User):
    client.force_login(wang_fang)
    return client
