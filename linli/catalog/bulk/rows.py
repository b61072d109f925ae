"""Row-by-row validation for imports: cell parsers and the error report (row, column, zh/en).

Every bad cell becomes one `RowError`; an importer validates the whole file first and writes
nothing unless the report is empty. Parsers take the raw cell (a string from CSV, a typed value
from Excel) and raise `CellError(code, **params)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from linli.core.errors import ErrorCodes, ErrorSpec, LinliError


class RowErrorCode(ErrorCodes):
    UNKNOWN_COLUMN = ErrorSpec(
        "unknown_column", 400, "未知的列“{column}”", 'Unknown column "{column}"'
    )
    MISSING_COLUMN = ErrorSpec(
        "missing_column", 400, "缺少必填列“{column}”", 'Required column "{column}" is missing'
    )
    DUPLICATE_COLUMN = ErrorSpec(
        "duplicate_column", 400, "列“{column}”出现了两次", 'Column "{column}" appears twice'
    )
    REQUIRED = ErrorSpec("required", 400, "必填", "Required")
    NOT_INTEGER = ErrorSpec(
        "not_integer", 400, "应为整数，实为“{value}”", 'Expected a whole number, got "{value}"'
    )
    NOT_AMOUNT = ErrorSpec(
        "not_amount",
        400,
        "应为金额（元），实为“{value}”",
        'Expected an amount in yuan, got "{value}"',
    )
    NEGATIVE = ErrorSpec("negative", 400, "不能为负数：{value}", "Must not be negative: {value}")
    NOT_POSITIVE = ErrorSpec("not_positive", 400, "必须大于 0：{value}", "Must be above 0: {value}")
    TOO_LONG = ErrorSpec("too_long", 400, "最多 {limit} 个字符", "At most {limit} characters")
    NOT_BOOLEAN = ErrorSpec(
        "not_boolean", 400, "应为 是/否，实为“{value}”", 'Expected yes/no, got "{value}"'
    )
    NOT_DATE = ErrorSpec(
        "not_date",
        400,
        "应为日期（YYYY-MM-DD），实为“{value}”",
        'Expected a date (YYYY-MM-DD), got "{value}"',
    )
    CHOICE = ErrorSpec(
        "choice", 400, "“{value}”不在可选值中：{choices}", '"{value}" is not one of: {choices}'
    )
    DUPLICATE = ErrorSpec(
        "duplicate", 400, "与第 {other} 行重复：{value}", "Same as row {other}: {value}"
    )
    BARCODE = ErrorSpec(
        "barcode",
        400,
        "条码无效（应为 8/12/13/14 位 GTIN）：{value}",
        "Invalid barcode (GTIN-8/12/13/14): {value}",
    )
    TAKEN = ErrorSpec(
        "taken",
        400,
        "已被另一商品“{other}”使用：{value}",
        'Already used by another product "{other}": {value}',
    )
    NOT_FOUND = ErrorSpec("not_found", 400, "找不到：{value}", "Not found: {value}")
    REFUSED = ErrorSpec("refused", 400, "{reason}", "{reason}")


class CellError(LinliError):
    pass


@dataclass
class RowError:
    row: int  # spreadsheet row number (1 = header)
    column: str
    code: ErrorCodes
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, language: str | None = None) -> str:
        return CellError(self.code, **self.params).message(language)

    def as_dict(self, language: str | None = None) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "code": self.code.spec.code,
            "message": self.message(language),
        }


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_str(value: Any, *, limit: int, required: bool = False) -> str:
    s = text(value)
    if required and not s:
        raise CellError(RowErrorCode.REQUIRED)
    if len(s) > limit:
        raise CellError(RowErrorCode.TOO_LONG, limit=limit)
    return s


def parse_int(value: Any, *, required: bool = False, low: int = 0) -> int | None:
    s = text(value)
    if not s:
        if required:
            raise CellError(RowErrorCode.REQUIRED)
        return None
    if isinstance(value, bool):
        raise CellError(RowErrorCode.NOT_INTEGER, value=s)
    if isinstance(value, float) and value.is_integer():
        n = int(value)
    elif isinstance(value, int):
        n = value
    else:
        try:
            n = int(s.replace(",", ""))
        except ValueError:
            raise CellError(RowErrorCode.NOT_INTEGER, value=s) from None
    if n < low:
        raise CellError(RowErrorCode.NEGATIVE if low == 0 else RowErrorCode.NOT_POSITIVE, value=n)
    return n


def parse_yuan(value: Any, *, required: bool = False) -> int | None:
    """'12.5', 12.5, '¥12.50' → 1250 fen; more than 2 decimals, text, ≤ 0 → CellError."""
    s = text(value).replace("¥", "").replace("￥", "").replace(",", "").strip()
    if not s:
        if required:
            raise CellError(RowErrorCode.REQUIRED)
        return None
    if isinstance(value, bool):
        raise CellError(RowErrorCode.NOT_AMOUNT, value=s)
    try:
        d = Decimal(repr(value) if isinstance(value, float) else s)
    except InvalidOperation:
        raise CellError(RowErrorCode.NOT_AMOUNT, value=s) from None
    if not d.is_finite() or d.as_tuple().exponent < -2:  # type: ignore[operator]
        raise CellError(RowErrorCode.NOT_AMOUNT, value=s)
    if d < 0:
        raise CellError(RowErrorCode.NEGATIVE, value=s)
    if d == 0:
        raise CellError(RowErrorCode.NOT_POSITIVE, value=s)
    return int(d * 100)


TRUE = {"1", "y", "yes", "true", "是", "在售", "x", "✓"}
FALSE = {"0", "n", "no", "false", "否", "下架"}


def parse_bool(value: Any, *, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    s = text(value).lower()
    if not s:
        return default
    if s in TRUE:
        return True
    if s in FALSE:
        return False
    raise CellError(RowErrorCode.NOT_BOOLEAN, value=s)


def parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    s = text(value)
    if not s:
        return None
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"):
        try:
            return datetime.strptime(s, fmt).date()  # noqa: DTZ007 (a calendar date)
        except ValueError:
            continue
    raise CellError(RowErrorCode.NOT_DATE, value=s)


def check_header(
    header: list[str], *, known: list[str], required: list[str], ignored: tuple[str, ...] = ()
) -> list[RowError]:
    errors = []
    seen: set[str] = set()
    for name in header:
        if name in seen:
            errors.append(RowError(1, name, RowErrorCode.DUPLICATE_COLUMN, {"column": name}))
        seen.add(name)
        if name not in known and name not in ignored:
            errors.append(RowError(1, name, RowErrorCode.UNKNOWN_COLUMN, {"column": name}))
    for name in required:
        if name not in header:
            errors.append(RowError(1, name, RowErrorCode.MISSING_COLUMN, {"column": name}))
    return errors
