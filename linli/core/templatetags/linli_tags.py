from django import template

from linli.core.money import format_fen

register = template.Library()


@register.filter
def fen(value: int | None) -> str:
    """{{ price_fen|fen }} -> ¥12.50"""
    return "" if value is None else format_fen(int(value))


@register.filter
def yuan(value: int | None) -> str:
    """{{ price_fen|yuan }} -> 12.50, for `.price` elements whose CSS adds the ¥."""
    return "" if value is None else format_fen(int(value), symbol=False)


@register.filter
def minutes(value: float | None) -> str:
    """Walking minutes, rounded up to whole minutes as people say them."""
    if value is None:
        return "—"
    import math

    return str(max(1, math.ceil(float(value))))


@register.filter
def choice_value(option: object) -> str:
    """A checkout radio's value: the method and the option's data (e.g. which slot)."""
    import json

    data = getattr(option, "data", None) or {}
    method = getattr(option, "method", "")
    return f"{method}|{json.dumps(data, sort_keys=True)}" if data else str(method)
