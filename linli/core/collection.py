"""Collecting money for an app that may not import payments (lockers' overtime fees, …).

The asking app says "collect `amount_fen` from payer N for reference `<prefix>:<id>`" through
`collect()` and gets back where the payer pays (or that it is already paid). payments registers
the one `Collector` in its AppConfig.ready(); the asking app registers a handler for its reference
prefix with `on_paid()`. When a payment is captured, payments calls `reference_paid()` after the
capture commits, exactly once per captured payment, and the handler settles its own ledger.

See docs/adr/0005-locker-fee-collection.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from linli.core.errors import CoreError, CoreErrorCode


@dataclass(frozen=True)
class Collection:
    """The answer to `collect`: either paid already, or where the payer pays.

    kind follows the gateway: "redirect" (open `pay_url`), "qrcode" (`pay_url` is a code URL to
    draw as a QR code for the payer's phone)."""

    paid: bool
    pay_url: str = ""
    kind: str = "redirect"
    payment_id: int | None = None


@dataclass(frozen=True)
class Paid:
    """A captured payment made for a reference (delivered after the capture commits)."""

    reference: str
    payment_id: int
    payer_id: int
    amount_fen: int


class Collector(Protocol):
    def collect(
        self,
        *,
        payer_id: int,
        amount_fen: int,
        reference: str,
        subject: str,
        idempotency_key: str,
        return_url: str = "",
    ) -> Collection:
        """Return the payer's open payment for (reference, amount) or create one; `paid=True`
        when one is captured already. The same key never creates a second payment."""


PaidHandler = Callable[[Paid], None]
_collector: list[Collector] = []
_paid_handlers: dict[str, PaidHandler] = {}


def register_collector(collector: Collector) -> None:
    _collector[:] = [collector]


def collect(
    *,
    payer_id: int,
    amount_fen: int,
    reference: str,
    subject: str,
    idempotency_key: str,
    return_url: str = "",
) -> Collection:
    if not _collector:
        raise CoreError(CoreErrorCode.SERVER_ERROR)  # payments is not installed
    return _collector[0].collect(
        payer_id=payer_id,
        amount_fen=amount_fen,
        reference=reference,
        subject=subject,
        idempotency_key=idempotency_key,
        return_url=return_url,
    )


def on_paid(prefix: str, handler: PaidHandler) -> None:
    """Register the handler for references `<prefix>:…` (one per prefix)."""
    _paid_handlers[prefix] = handler


def reference_paid(paid: Paid) -> bool:
    """Called by payments once per captured payment; False when no app claims the reference."""
    prefix = paid.reference.partition(":")[0]
    handler = _paid_handlers.get(prefix)
    if handler is None:
        return False
    handler(paid)
    return True
