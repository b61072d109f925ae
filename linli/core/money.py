"""Money is integer fen everywhere. This is the one place that turns fen into text and back."""

from __future__ import annotations

import re

_YUAN = re.compile(r"^\s*(?:¥|￥)?\s*(-?)(\d{1,12})(?:\.(\d{1,2}))?\s*$")


def format_fen(fen: int, *, symbol: bool = True) -> str:
    """12345 -> '¥123.45'; negative amounts keep their sign before the symbol."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{'¥' if symbol else ''}{yuan:,}.{cents:02d}"


def parse_yuan(text: str) -> int:
    """'12.5' or '¥12.50' -> 1250 fen. Raises ValueError on anything else (no floats involved)."""
    m = _YUAN.match(text)
    if not m:
        raise ValueError(f"not an amount in yuan: {text!r}")
    sign, whole, frac = m.groups()
    fen = int(whole) * 100 + int((frac or "0").ljust(2, "0"))
    return -fen if sign else fen
