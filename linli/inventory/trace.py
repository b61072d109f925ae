"""Which resident bought which lot: the ledger knows the lot and the claim ref ("order-line:57"),
the app that owns the ref knows the buyer. Orders (a higher layer) registers a resolver in its
AppConfig.ready(); procurement's traceability and recall ask through `lot_sales`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from linli.inventory.models import StockMovement


@dataclass(frozen=True)
class SaleOwner:
    """Who a claim ref belongs to: the buyer and how to show the order."""

    resident_id: int
    order_id: int
    order_number: str
    url: str


@dataclass(frozen=True)
class LotSale:
    lot_id: int
    ref: str
    quantity: int
    sold_at: datetime
    owner: SaleOwner | None


Resolver = Callable[[list[str]], dict[str, SaleOwner]]
_resolvers: list[Resolver] = []


def sale_resolver_register(resolver: Resolver) -> None:
    if resolver not in _resolvers:
        _resolvers.append(resolver)


def lot_sales(*, lot_ids: list[int]) -> list[LotSale]:
    """Every sale out of these lots (net of nothing: returns are separate rows), oldest first."""
    rows = list(
        StockMovement.objects.filter(lot_id__in=list(lot_ids), reason=StockMovement.Reason.SALE)
        .order_by("created_at", "pk")
        .values_list("lot_id", "ref", "quantity", "created_at")
    )
    refs = sorted({r[1] for r in rows})
    owners: dict[str, SaleOwner] = {}
    for resolve in _resolvers:
        owners.update(resolve(refs))
    return [
        LotSale(lot_id=lot_id, ref=ref, quantity=-qty, sold_at=at, owner=owners.get(ref))
        for lot_id, ref, qty, at in rows
    ]
