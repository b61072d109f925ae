"""Pure rules (no Django): tiers, savings, a purchase order's status from its lines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Tier:
    min_quantity: int
    price_fen: int


class TierError(ValueError):
    pass


def tiers_check(tiers: Sequence[tuple[int, int]], *, base_price_fen: int) -> list[Tier]:
    """Tiers as (min quantity, price per unit): positive whole numbers, quantities rising,
    prices falling and below the base price. Returns them sorted."""
    out: list[Tier] = []
    for q, p in tiers:
        for v, what in ((q, "quantity"), (p, "price")):
            if not isinstance(v, int) or isinstance(v, bool) or v <= 0:
                raise TierError(f"{what} {v!r} must be a positive whole number")
        out.append(Tier(q, p))
    out.sort(key=lambda t: t.min_quantity)
    last_q, last_p = 0, base_price_fen
    for t in out:
        if t.min_quantity == last_q:
            raise TierError(f"two tiers start at {t.min_quantity}")
        if t.price_fen >= last_p:
            raise TierError(f"the tier at {t.min_quantity} must cost less than {last_p} fen")
        last_q, last_p = t.min_quantity, t.price_fen
    return out


def tier_price(tiers: Sequence[Tier], *, total: int, base_price_fen: int) -> int:
    """The price per unit for a total quantity: the best tier the total reaches, else the base."""
    price = base_price_fen
    for t in sorted(tiers, key=lambda t: t.min_quantity):
        if total >= t.min_quantity:
            price = min(price, t.price_fen)
    return price


def solo_price(tiers: Sequence[Tier], *, quantity: int, base_price_fen: int) -> int:
    """What a shop would pay buying `quantity` alone (it may reach a low tier by itself)."""
    return tier_price(tiers, total=quantity, base_price_fen=base_price_fen)


def saving(*, quantity: int, solo_price_fen: int, paid_price_fen: int) -> int:
    return max(0, quantity * (solo_price_fen - paid_price_fen))


def po_status_after_receipt(lines: Sequence[tuple[int, int]], *, close: bool) -> str:
    """(ordered, received) per line → "received" when every line is complete or the receiver
    closes the order, else "partly_received"."""
    if close or all(received >= ordered for ordered, received in lines):
        return "received"
    return "partly_received"
