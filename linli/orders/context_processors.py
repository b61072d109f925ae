from django.http import HttpRequest

from linli.orders.selectors import cart_count


def cart(request: HttpRequest) -> dict[str, object]:
    """The cart badge on resident pages (one COUNT query, only for logged-in people)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"cart_count": lambda: cart_count(resident=user)}  # evaluated only if a page shows it
