"""Chains and franchises: the head office (owner or manager of the merchant) sets prices and the
assortment across outlets and moves stock between them; a franchisee manages only its own outlet
(through the ordinary outlet services, which `can_manage_outlet` limits to it)."""

from __future__ import annotations

from django.db import transaction

from linli.accounts.models import User
from linli.catalog.models import Listing, Product
from linli.catalog.services import listing_upsert
from linli.inventory.lots import stock_transfer
from linli.inventory.models import Lot
from linli.procurement.access import require_head_office
from linli.procurement.errors import ProcurementError, ProcurementErrorCode
from linli.procurement.services._common import check_price
from linli.shops.models import Outlet

E = ProcurementErrorCode


def _outlets(merchant_id: int, outlet_ids: list[int] | None) -> list[Outlet]:
    qs = Outlet.objects.filter(merchant_id=merchant_id).order_by("pk")
    if outlet_ids is not None:
        qs = qs.filter(pk__in=outlet_ids)
        found = list(qs)
        if len(found) != len(set(outlet_ids)):
            raise ProcurementError(E.NOT_YOUR_OUTLET)
        return found
    return list(qs)


@transaction.atomic
def chain_price_set(
    *,
    actor: User | None,
    product: Product,
    price_fen: int,
    outlet_ids: list[int] | None = None,
) -> list[Listing]:
    """One price for a product at every outlet (or those listed); keeps each listing's on/off."""
    require_head_office(actor, product.merchant_id)
    price = check_price(price_fen)
    active = dict(Listing.objects.filter(product=product).values_list("outlet_id", "active"))
    return [
        listing_upsert(
            actor=actor, outlet=o, product=product, price_fen=price, active=active.get(o.pk, True)
        )
        for o in _outlets(product.merchant_id, outlet_ids)
    ]


@transaction.atomic
def chain_assortment_set(
    *,
    actor: User | None,
    product: Product,
    outlet_ids: list[int],
    price_fen: int | None = None,
) -> int:
    """Sell the product at exactly these outlets: listings elsewhere go off sale; outlets that
    never listed it get `price_fen` (or the price most outlets charge). Returns outlets selling."""
    require_head_office(actor, product.merchant_id)
    wanted = {o.pk for o in _outlets(product.merchant_id, outlet_ids)}
    prices = list(Listing.objects.filter(product=product).values_list("outlet_id", "price_fen"))
    current = dict(prices)
    fallback = price_fen
    if fallback is None and prices:
        values = [p for _, p in prices]
        fallback = max(set(values), key=values.count)
    for o in _outlets(product.merchant_id, None):
        if o.pk in wanted:
            price = current.get(o.pk, fallback)
            if price is None:
                raise ProcurementError(E.INVALID_PRICE, price=None)
            listing_upsert(actor=actor, outlet=o, product=product, price_fen=price, active=True)
        elif o.pk in current:
            Listing.objects.filter(outlet=o, product=product).update(active=False)
    return len(wanted)


@transaction.atomic
def chain_transfer(
    *,
    actor: User | None,
    from_outlet: Outlet,
    to_outlet: Outlet,
    product: Product,
    quantity: int,
) -> list[Lot]:
    """Move stock from one outlet of the chain to another (paired ledger movements, lots keep
    their batch and origin)."""
    require_head_office(actor, from_outlet.merchant_id)
    if (
        to_outlet.merchant_id != from_outlet.merchant_id
        or product.merchant_id != from_outlet.merchant_id
    ):
        raise ProcurementError(E.NOT_YOUR_OUTLET)
    return stock_transfer(
        actor=actor,
        from_outlet_id=from_outlet.pk,
        to_outlet_id=to_outlet.pk,
        product_id=product.pk,
        quantity=quantity,
    )
