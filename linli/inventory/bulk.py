"""Stock export (Excel/CSV) and opening-stock import (goods in by file, all or nothing).

Opening-stock columns: sku (required, a product of the outlet's merchant), quantity (required,
whole number ≥ 1), batch_no, expiry_date (YYYY-MM-DD, not in the past), production_date, origin.
Every row is checked first; a valid file is received in one transaction through `stock_receive`.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from linli.accounts.models import User
from linli.catalog.bulk import rows as r
from linli.catalog.bulk.tables import TableError, read_table, write_table
from linli.catalog.errors import CatalogErrorCode
from linli.catalog.models import Product
from linli.catalog.permissions import can_manage_outlet
from linli.core.errors import LinliError
from linli.inventory import selectors
from linli.inventory.errors import InventoryError, InventoryErrorCode
from linli.inventory.services import RECEIVE_MAX, stock_receive
from linli.shops.models import Outlet

STOCK_COLUMNS = [
    "sku",
    "name",
    "spec",
    "on_hand",
    "claimed",
    "expired",
    "available",
    "next_expiry",
]
RECEIVE_COLUMNS = ["sku", "quantity", "batch_no", "expiry_date", "production_date", "origin"]


class StockImportRejected(LinliError):
    """The file was refused; `errors` lists every bad cell (nothing was received)."""

    def __init__(self, errors: list[r.RowError]) -> None:
        self.errors = errors
        super().__init__(CatalogErrorCode.IMPORT_REJECTED, count=len(errors))


def stock_export(*, user: User, outlet_id: int, fmt: str, today: date | None = None) -> bytes:
    rows = selectors.stock_list_for_user(user=user, outlet_id=outlet_id, today=today)
    data = [
        [
            sl.product.sku or f"ID{sl.product_id}",
            sl.product.name,
            sl.product.spec,
            sl.on_hand,
            sl.claimed,
            sl.expired,  # type: ignore[attr-defined]
            sl.sellable,  # type: ignore[attr-defined]
            sl.next_expiry.isoformat() if sl.next_expiry else "",  # type: ignore[attr-defined]
        ]
        for sl in rows
    ]
    return write_table(fmt, STOCK_COLUMNS, data, title="stock")


def receive_template(fmt: str) -> bytes:
    return write_table(fmt, RECEIVE_COLUMNS, [["A001", 24, "B20250101", "", "", "北京顺义"]])


def _validate(outlet: Outlet, content: bytes, filename: str, day: date) -> tuple[list, list]:
    try:
        table = read_table(content, filename)
    except TableError as e:
        return [], [r.RowError(0, "", r.RowErrorCode.REFUSED, {"reason": e.kind})]
    header = table.header
    errors = r.check_header(header, known=RECEIVE_COLUMNS, required=["sku", "quantity"])
    if errors:
        return [], errors
    products = {
        (p.sku or f"ID{p.pk}"): p for p in Product.objects.filter(merchant_id=outlet.merchant_id)
    }
    parsed = []
    for i, raw in enumerate(table.rows):
        number = i + 2
        if all(r.text(c) == "" for c in raw):
            continue
        cells = dict(zip(header, list(raw) + [None] * len(header), strict=False))
        bad: list[r.RowError] = []

        def get(key: str, fn, number=number, cells=cells, bad=bad, **kw):  # type: ignore[no-untyped-def]
            try:
                return fn(cells.get(key), **kw)
            except r.CellError as e:
                bad.append(r.RowError(number, key, e.code, e.params))
                return None

        sku = get("sku", r.parse_str, limit=40, required=True)
        product = products.get(sku or "")
        if sku and product is None:
            bad.append(r.RowError(number, "sku", r.RowErrorCode.NOT_FOUND, {"value": sku}))
        quantity = get("quantity", r.parse_int, required=True, low=1)
        if quantity is not None and quantity > RECEIVE_MAX:
            bad.append(
                r.RowError(
                    number, "quantity", r.RowErrorCode.REFUSED, {"reason": f"≤ {RECEIVE_MAX}"}
                )
            )
        expiry = get("expiry_date", r.parse_date)
        if expiry is not None and expiry < day:
            bad.append(
                r.RowError(
                    number, "expiry_date", r.RowErrorCode.REFUSED, {"reason": f"{expiry} < {day}"}
                )
            )
        row = {
            "product": product,
            "quantity": quantity,
            "batch_no": get("batch_no", r.parse_str, limit=40) or "",
            "expiry_date": expiry,
            "production_date": get("production_date", r.parse_date),
            "origin": get("origin", r.parse_str, limit=60) or "",
            "number": number,
        }
        errors.extend(bad)
        if not bad:
            parsed.append(row)
    return parsed, errors


@transaction.atomic
def stock_import_receive(
    *, actor: User | None, outlet: Outlet, content: bytes, filename: str, today: date | None = None
) -> int:
    """Receive every row of the file as a lot; returns the number of lots. All or nothing."""
    if not can_manage_outlet(actor=actor, outlet_id=outlet.pk):
        raise InventoryError(InventoryErrorCode.NOT_YOUR_OUTLET)
    day = today or timezone.localdate()
    rows, errors = _validate(outlet, content, filename, day)
    if errors:
        raise StockImportRejected(errors)
    for row in rows:
        number = row.pop("number")
        try:
            stock_receive(actor=actor, outlet=outlet, today=day, **row)
        except LinliError as e:
            raise StockImportRejected(
                [r.RowError(number, "", r.RowErrorCode.REFUSED, {"reason": e.message()})]
            ) from e
    return len(rows)
