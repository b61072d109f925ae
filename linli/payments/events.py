"""Events payments publishes through `linli.core.events` (delivered after commit).

Higher layers (orders) subscribe in their AppConfig.ready():
    core.events.subscribe(PaymentCaptured, on_payment_captured)
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PaymentCaptured:
    """A payment moved to captured (exactly once per payment)."""

    payment_id: int
    reference: str
    amount_fen: int
    # who paid, so that subscribers need not read it (None: look it up); not part of equality
    payer_id: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class RefundSucceeded:
    """The gateway confirmed a refund (exactly once per refund)."""

    payment_id: int
    refund_id: int
    reference: str
    amount_fen: int
