from __future__ import annotations

from linli.catalog.tests.conftest import (  # noqa: F401  (shared fixtures)
    marco_merchant,
    marco_outlet,
    mia_outlet,
    tomato,
    veg,
)
