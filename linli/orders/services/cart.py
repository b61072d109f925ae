"""One cart over every shop of the resident's 15-minute circle."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from linli.accounts.models import User
from linli.catalog.models import Listing
from linli.orders.errors import OrdersError, OrdersErrorCode
from linli.orders.models import Cart, CartLine


def max_quantity() -> int:
    return int(getattr(settings, "LINLI_MAX_LINE_QUANTITY", 99))


def check_quantity(quantity: int) -> None:
    if not isinstance(quantity, int) or not 1 <= quantity <= max_quantity():
        raise OrdersError(OrdersErrorCode.INVALID_QUANTITY, max=max_quantity())


def cart_line_set(*, resident: User, listing_id: int, quantity: int) -> CartLine | None:
    """Put `quantity` of a listing in the cart (0 removes it). Stock is claimed at checkout.

    Statements: the listing (1), the cart (1, 2 the first time), one upsert of the line
    (INSERT … ON CONFLICT (cart, listing) DO UPDATE SET quantity): no transaction needed."""
    if quantity == 0:
        cart_line_remove(resident=resident, listing_id=listing_id)
        return None
    check_quantity(quantity)
    listing = Listing.objects.select_related("outlet", "product").filter(pk=listing_id).first()
    if listing is None or not listing.active or not listing.outlet.active:
        name = listing.product.name if listing else str(listing_id)
        raise OrdersError(OrdersErrorCode.LISTING_UNAVAILABLE, name=name)
    cart, _ = Cart.objects.get_or_create(resident=resident)
    line = CartLine(cart=cart, listing=listing, quantity=quantity)
    CartLine.objects.bulk_create(
        [line],
        update_conflicts=True,
        unique_fields=["cart", "listing"],
        update_fields=["quantity"],
    )
    return line


@transaction.atomic
def cart_line_add(*, resident: User, listing_id: int, quantity: int = 1) -> CartLine | None:
    """The shop page's "加入购物车": add to what is already in the cart, within the line limit."""
    current = (
        CartLine.objects.filter(cart__resident=resident, listing_id=listing_id)
        .values_list("quantity", flat=True)
        .first()
    )
    return cart_line_set(
        resident=resident, listing_id=listing_id, quantity=(current or 0) + quantity
    )


def cart_line_remove(*, resident: User, listing_id: int) -> None:
    CartLine.objects.filter(cart__resident=resident, listing_id=listing_id).delete()


def cart_clear(*, resident: User, outlet_ids: list[int] | None = None) -> None:
    lines = CartLine.objects.filter(cart__resident=resident)
    if outlet_ids is not None:
        lines = lines.filter(listing__outlet_id__in=outlet_ids)
    lines.delete()
