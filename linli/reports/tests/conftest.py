from __future__ import annotations

from linli.orders.tests.conftest import hood  # noqa: F401  (shared fixture)
