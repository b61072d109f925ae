"""Cold-chain storage classes shared by catalog (products), lockers (compartment zones) and
delivery (vehicle load dimensions)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StorageClass(models.TextChoices):
    """Cold-chain class (GB 31605-2020): chilled 0–4 °C (≤ 8 °C in general), frozen ≤ −18 °C."""

    AMBIENT = "ambient", _("Ambient (常温)")
    CHILLED = "chilled", _("Chilled (冷藏)")
    FROZEN = "frozen", _("Frozen (冷冻)")


# Colder is stricter: a parcel needs a zone at least as cold as its coldest item.
STORAGE_RANK: dict[str, int] = {
    StorageClass.AMBIENT: 0,
    StorageClass.CHILLED: 1,
    StorageClass.FROZEN: 2,
}


def coldest(classes: list[str]) -> str:
    return max(classes, key=lambda c: STORAGE_RANK.get(c, 0), default=StorageClass.AMBIENT)
