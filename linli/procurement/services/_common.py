from __future__ import annotations

from linli.procurement.errors import ProcurementError, ProcurementErrorCode

QTY_MAX = 100_000
PRICE_MAX = 100_000_000  # ¥1,000,000 per unit


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_quantity(value: object, *, low: int = 1, high: int = QTY_MAX) -> int:
    if not is_int(value) or not low <= value <= high:  # type: ignore[operator]
        raise ProcurementError(
            ProcurementErrorCode.INVALID_QUANTITY, low=low, high=high, quantity=value
        )
    return value  # type: ignore[return-value]


def check_price(value: object) -> int:
    if not is_int(value) or not 0 < value <= PRICE_MAX:  # type: ignore[operator]
        raise ProcurementError(ProcurementErrorCode.INVALID_PRICE, price=value)
    return value  # type: ignore[return-value]
