"""How an order reaches the resident: one interface, many providers.

orders defines the interface and store pickup. Lockers and delivery slots live in higher layers
and register their providers in `AppConfig.ready()`, so checkout can claim a compartment or a slot
inside its own transaction without importing upward.
"""

from __future__ import annotations

from collections.abc import Callable
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
    # False only for a provider whose `claim` writes nothing (store pickup): checkout may then
    # write its rows in one statement without calling it (orders.services.checkout_at_once).
    claims: bool

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

    # Optional hooks, called through `call_hook` only when a provider defines them:
    #   on_paid(*, order_id)  the payment was captured: make the claim permanent (no expiry).
    #   on_ready(*, order_id) the shop marks the order ready: raise a LinliError to refuse
    #                         (e.g. a locker order whose goods are not in the compartment yet).


class StorePickup:
    """网订店取: the shop keeps the goods; the resident shows a pickup code. No capacity to claim."""

    method = "store_pickup"
    claims = False

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


def call_hook(method: str, hook: str, *, order_id: int) -> None:
    """Call a provider's optional hook (`on_paid`, `on_ready`) inside the caller's transaction."""
    fn = getattr(_providers.get(method), hook, None)
    if callable(fn):
        fn(order_id=order_id)


# --- progress reported back by a provider (lockers cannot import orders) -----------------
# Stages: "deposited" (goods are at the pickup point: the order is ready), "picked_up" (the
# resident opened the compartment with the code: handed over), "returned" (kept too long, back
# to the shop: the resident collects it in store). Handlers run synchronously inside the
# provider's transaction, so the order and the compartment change together or not at all.
StageHandler = Callable[..., None]
_stage_handlers: list[StageHandler] = []
STAGES = ("deposited", "picked_up", "returned")


def on_stage(handler: StageHandler) -> None:
    """orders registers its handler here in OrdersConfig.ready()."""
    if handler not in _stage_handlers:
        _stage_handlers.append(handler)


def report_stage(*, order_id: int, stage: str, actor_id: int | None = None) -> None:
    if stage not in STAGES:
        raise ValueError(f"unknown fulfilment stage {stage!r}")
    for handler in list(_stage_handlers):
        handler(order_id=order_id, stage=stage, actor_id=actor_id)


register(StorePickup())
