"""Read and write simple tables as CSV (UTF-8 with BOM, so Excel opens Chinese correctly) or
Excel .xlsx (openpyxl). No Django: shared by the catalog and inventory imports and exports.

A table is a header row plus data rows. Cells read from CSV are strings; from Excel they keep
their type (int, float, str, datetime, None), so a validator can tell text in a number cell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class TableError(ValueError):
    """The file itself cannot be read (not CSV/xlsx, too large, empty). `kind` names why."""

    def __init__(self, kind: str, **params: Any) -> None:
        self.kind = kind
        self.params = params
        super().__init__(kind)


@dataclass
class Table:
    header: list[str]
    rows: list[list[Any]]  # row i is spreadsheet row i + 2 (row 1 is the header)


def format_of(filename: str) -> str:
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return "xlsx"
    if name.endswith((".csv", ".txt")):
        return "csv"
    raise TableError("format", name=filename)


def _clean_header(cells: Iterable[Any]) -> list[str]:
    return [str(c).strip().lower() if c is not None else "" for c in cells]


def _blank(row: Sequence[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in row)


def read_table(content: bytes, filename: str) -> Table:
    if len(content) > MAX_BYTES:
        raise TableError("too_large", limit_mb=MAX_BYTES // (1024 * 1024))
    fmt = format_of(filename)
    rows = _read_xlsx(content) if fmt == "xlsx" else _read_csv(content)
    if not rows or _blank(rows[0]):
        raise TableError("empty")
    header = _clean_header(rows[0])
    while header and not header[-1]:
        header.pop()
    body = [list(r) for r in rows[1:]]
    while body and _blank(body[-1]):
        body.pop()
    if len(body) > MAX_ROWS:
        raise TableError("too_many_rows", limit=MAX_ROWS)
    return Table(header=header, rows=body)


def _read_csv(content: bytes) -> list[list[Any]]:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK by default
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableError("encoding")
    try:
        return list(csv.reader(io.StringIO(text)))
    except csv.Error as e:
        raise TableError("csv", reason=str(e)) from e


def _read_xlsx(content: bytes) -> list[list[Any]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (BadZipFile, OSError, KeyError, ValueError) as e:
        raise TableError("xlsx", reason=str(e)[:80]) from e
    try:
        ws = wb.worksheets[0]
        return [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def write_table(
    fmt: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "data",
    notes: Sequence[Sequence[str]] = (),
) -> bytes:
    """The table as .xlsx or .csv bytes. `notes` (xlsx only) go to a second sheet, e.g. the
    column documentation of an import template."""
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(header)
        for r in rows:
            w.writerow(["" if c is None else c for c in r])
        return ("\ufeff" + buf.getvalue()).encode("utf-8")
    if fmt != "xlsx":
        raise TableError("format", name=fmt)
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(list(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append(list(r))
    for i, name in enumerate(header, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = max(10, len(name) + 4)
    ws.freeze_panes = "A2"
    if notes:
        doc = wb.create_sheet("columns")
        for n in notes:
            doc.append(list(n))
        for cell in doc[1]:
            cell.font = Font(bold=True)
        for letter, width in zip("ABCDE", (18, 10, 40, 40, 20), strict=False):
            doc.column_dimensions[letter].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
