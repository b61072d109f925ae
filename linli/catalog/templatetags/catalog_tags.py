from django import template

from linli.core.money import format_fen

register = template.Library()


@register.filter
def yuan(value: int | None) -> str:
    """{{ price_fen|yuan }} -> 12.50 (for `.price`, whose CSS adds the ¥)."""
    return "" if value is None else format_fen(int(value), symbol=False)
