"""How an order reaches the resident: one interface, many providers.

orders defines the interface and store pickup. Lockers and delivery slots live in higher layers
and register their providers in `AppConfig.ready()`, so checkout can claim a compartment or a slot
inside its own transaction without importing upward.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class Parcel:
    """What one shop order needs from a fulfilment method: size, weight and coldest storage."""

    outlet_id: int
    volume_ml: int
    weight_g: int
    storage: str  # ambient | chilled | frozen


@dataclass(frozen=True)
class Option:
    """A choice shown at checkout for one shop order."""

    method: str
    label_zh: str
    label_en: str
    fee_fen: int = 0
    data: dict[str, Any] = field(default_factory=dict)  # e.g. {"slot_id": 7}
    available: bool = True
    reason_zh: str = ""
    reason_en: str = ""


class FulfilmentProvider(Protocol):
    method: str

    def options(self, *, resident_id: int, parcel: Parcel) -> list[Option]:
        """Choices for this parcel (a full slot or a missing cold compartment is unavailable)."""

    def claim(
        self,
        *,
        order_id: int,
        resident_id: int,
        parcel: Parcel,
        data: dict[str, Any],
        expires_at: datetime,
    ) -> dict[str, Any]:
        """Claim capacity inside the checkout transaction; raise a LinliError when full.

        Returns what the order should remember (e.g. the compartment id)."""

    def release(self, *, order_id: int) -> None:
        """Give the capacity back (unpaid, cancelled). Must be idempotent."""


class StorePickup:
    """网订店取: the shop keeps the goods; the resident shows a pickup code. No capacity to claim."""

    method = "store_pickup"

    def options(self, *, resident_id: int, parcel: Parcel) -> list[Option]:
        return [Option(self.method, "到店自取", "Pick up in store")]

    def claim(
        self,
        *,
        order_id: int,
        resident_id: int,
        parcel: Parcel,
        data: dict[str, Any],
        expires_at: datetime,
    ) -> dict[str, Any]:
        return {}

    def release(self, *, order_id: int) -> None:
        return None


_providers: dict[str, FulfilmentProvider] = {}


def register(provider: FulfilmentProvider) -> None:
    _providers[provider.method] = provider


def get(method: str) -> FulfilmentProvider | None:
    return _providers.get(method)


def all_providers() -> list[FulfilmentProvider]:
    return list(_providers.values())


register(StorePickup())
