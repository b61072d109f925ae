"""Bulk import and export of a merchant's products and one outlet's prices (Excel or CSV).

Columns (English keys; the Chinese names in brackets are accepted as headers too):

    sku (货号)              required; a row whose SKU exists updates that product, else creates one
    name (名称)             required, ≤ 80 characters
    price (售价)            yuan, e.g. 12.50; lists the product at the chosen outlet at that price;
                            blank leaves the listing as it is
    category (分类)         a category slug (e.g. vegetables) or its Chinese name
    spec (规格), unit (单位), brand (品牌), origin (产地)
    shelf_life_days (保质期天数)   whole number ≥ 0
    storage (储存)          ambient / chilled / frozen (常温 / 冷藏 / 冷冻); default ambient
    barcode (条码)          GTIN-8/12/13/14 with a valid check digit, unique
    green_label (绿色标识), active (在售)    yes/no (是/否, 1/0); defaults no / yes

The whole file is validated first; any bad cell rejects the file with every bad row listed
(`ImportRejected.errors`) and nothing written. A valid file is written in one transaction through
`product_create` / `product_update` / `listing_upsert`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from stdnum import ean

from linli.accounts.models import User
from linli.catalog.bulk import rows as r
from linli.catalog.bulk.tables import Table, TableError, read_table, write_table
from linli.catalog.errors import CatalogError, CatalogErrorCode
from linli.catalog.models import Category, Listing, Product, StorageClass
from linli.catalog.permissions import can_manage_merchant, can_manage_outlet
from linli.catalog.services import listing_upsert, product_create, product_update
from linli.shops.models import Outlet

# (key, Chinese header, description zh, description en, example)
COLUMNS: list[tuple[str, str, str, str, str]] = [
    ("sku", "货号", "必填；已有货号则更新该商品", "Required; an existing SKU updates it", "A001"),
    ("name", "名称", "必填，最多 80 字", "Required, at most 80 characters", "农夫山泉"),
    ("price", "售价", "元，如 12.50；留空则不改价", "Yuan, e.g. 12.50; blank: unchanged", "2.00"),
    ("category", "分类", "分类代码或中文名", "Category slug or Chinese name", ""),
    ("spec", "规格", "如 550ml、10枚", "e.g. 550ml, 10 eggs", "550ml"),
    ("unit", "单位", "如 瓶、袋、斤", "e.g. bottle, bag, jin", "瓶"),
    ("brand", "品牌", "", "", "农夫山泉"),
    ("origin", "产地", "", "", "浙江杭州"),
    ("shelf_life_days", "保质期天数", "整数 ≥ 0", "Whole number ≥ 0", "365"),
    ("storage", "储存", "常温/冷藏/冷冻", "ambient / chilled / frozen", "ambient"),
    ("barcode", "条码", "8/12/13/14 位 GTIN", "GTIN-8/12/13/14", "6921168509256"),
    ("green_label", "绿色标识", "是/否", "yes/no", "否"),
    ("active", "在售", "是/否，默认是", "yes/no, default yes", "是"),
]
KEYS = [c[0] for c in COLUMNS]
REQUIRED = ["sku", "name"]
ALIASES = {zh: key for key, zh, *_ in COLUMNS}
STORAGE = {
    **{v: v for v in StorageClass.values},
    "常温": StorageClass.AMBIENT,
    "冷藏": StorageClass.CHILLED,
    "冷冻": StorageClass.FROZEN,
}
LIMITS = {"spec": 40, "unit": 8, "brand": 40, "origin": 60}


class ImportRejected(CatalogError):
    """The file was refused; `errors` lists every bad cell (nothing was written)."""

    def __init__(self, errors: list[r.RowError]) -> None:
        self.errors = errors
        super().__init__(CatalogErrorCode.IMPORT_REJECTED, count=len(errors))


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    listed: int = 0


@dataclass
class _Row:
    number: int
    fields: dict[str, Any]
    price_fen: int | None
    active: bool


@dataclass
class _Cells:
    number: int
    cells: dict[str, Any]
    errors: list[r.RowError]

    def __call__(self, key: str, fn: Any, **kw: Any) -> Any:
        try:
            return fn(self.cells.get(key), **kw)
        except r.CellError as e:
            self.errors.append(r.RowError(self.number, key, e.code, e.params))
            return None


def _normalise_header(table: Table) -> list[str]:
    return [ALIASES.get(h, h) for h in table.header]


def _read(content: bytes, filename: str) -> Table:
    try:
        return read_table(content, filename)
    except TableError as e:
        raise CatalogError(CatalogErrorCode.IMPORT_FILE, reason=e.kind) from e


def validate(
    *, merchant_id: int, table: Table
) -> tuple[list[_Row], list[r.RowError], dict[str, Product]]:
    """Check every cell; returns the parsed rows, the errors and the merchant's products by SKU."""
    header = _normalise_header(table)
    errors = r.check_header(header, known=KEYS, required=REQUIRED)
    if errors:
        return [], errors, {}
    existing: dict[str, Product] = {}
    for p in Product.objects.filter(merchant_id=merchant_id):
        # A product exported without a SKU comes back as "ID<pk>" and is matched by that.
        existing[p.sku or f"ID{p.pk}"] = p
    barcodes = {
        p.barcode: p for p in Product.objects.filter(merchant_id=merchant_id).exclude(barcode="")
    }
    categories: dict[str, Category] = {}
    for c in Category.objects.all():
        categories[c.slug.lower()] = c
        categories.setdefault(c.name_zh, c)
    seen_sku: dict[str, int] = {}
    seen_barcode: dict[str, int] = {}
    parsed: list[_Row] = []
    for i, raw in enumerate(table.rows):
        number = i + 2
        if all(r.text(c) == "" for c in raw):
            continue
        cells = dict(zip(header, list(raw) + [None] * (len(header) - len(raw)), strict=False))
        out: dict[str, Any] = {}
        row_errors: list[r.RowError] = []
        cell = _Cells(number, cells, row_errors)

        sku = cell("sku", r.parse_str, limit=40, required=True)
        if sku:
            if sku in seen_sku:
                row_errors.append(
                    r.RowError(
                        number,
                        "sku",
                        r.RowErrorCode.DUPLICATE,
                        {"other": seen_sku[sku], "value": sku},
                    )
                )
            seen_sku.setdefault(sku, number)
            out["sku"] = sku
        out["name"] = cell("name", r.parse_str, limit=80, required=True)
        price = cell("price", r.parse_yuan)
        for key, limit in LIMITS.items():
            if key in cells:
                out[key] = cell(key, r.parse_str, limit=limit)
        if out.get("unit") == "":
            out.pop("unit")
        if "shelf_life_days" in cells:
            out["shelf_life_days"] = cell("shelf_life_days", r.parse_int)
        if "storage" in cells:
            value = r.text(cells["storage"]).lower() or StorageClass.AMBIENT
            if value in STORAGE:
                out["storage"] = STORAGE[value]
            else:
                row_errors.append(
                    r.RowError(
                        number,
                        "storage",
                        r.RowErrorCode.CHOICE,
                        {"value": value, "choices": "ambient/chilled/frozen, 常温/冷藏/冷冻"},
                    )
                )
        if "category" in cells:
            value = r.text(cells["category"])
            if value:
                found = categories.get(value.lower()) or categories.get(value)
                if found is None:
                    row_errors.append(
                        r.RowError(number, "category", r.RowErrorCode.NOT_FOUND, {"value": value})
                    )
                out["category"] = found
            else:
                out["category"] = None
        if "barcode" in cells:
            code = r.text(cells["barcode"])
            if code:
                if len(code) not in (8, 12, 13, 14) or not ean.is_valid(code):
                    row_errors.append(
                        r.RowError(number, "barcode", r.RowErrorCode.BARCODE, {"value": code})
                    )
                elif code in seen_barcode:
                    row_errors.append(
                        r.RowError(
                            number,
                            "barcode",
                            r.RowErrorCode.DUPLICATE,
                            {"other": seen_barcode[code], "value": code},
                        )
                    )
                elif code in barcodes and barcodes[code].pk != getattr(
                    existing.get(sku or ""), "pk", None
                ):
                    row_errors.append(
                        r.RowError(
                            number,
                            "barcode",
                            r.RowErrorCode.TAKEN,
                            {"other": barcodes[code].name, "value": code},
                        )
                    )
                seen_barcode.setdefault(code, number)
            out["barcode"] = code
        if "green_label" in cells:
            out["green_label"] = cell("green_label", r.parse_bool, default=False)
        active = cell("active", r.parse_bool, default=True)
        out["active"] = True if active is None else active
        errors.extend(row_errors)
        if not row_errors:
            parsed.append(_Row(number, out, price, out["active"]))
    return parsed, errors, existing


def _require(actor: User | None, outlet: Outlet) -> None:
    if not can_manage_outlet(actor=actor, outlet_id=outlet.pk):
        raise CatalogError(CatalogErrorCode.NOT_YOUR_OUTLET)
    if not can_manage_merchant(actor=actor, merchant_id=outlet.merchant_id):
        raise CatalogError(CatalogErrorCode.NOT_YOUR_MERCHANT)


@transaction.atomic
def products_import(
    *, actor: User | None, outlet: Outlet, content: bytes, filename: str
) -> ImportResult:
    """Import a product file for `outlet`'s merchant (prices at `outlet`). All or nothing."""
    _require(actor, outlet)
    table = _read(content, filename)
    rows, errors, existing = validate(merchant_id=outlet.merchant_id, table=table)
    if errors:
        raise ImportRejected(errors)
    result = ImportResult()
    merchant = outlet.merchant
    for row in rows:
        fields = dict(row.fields)
        try:
            product = existing.get(fields["sku"])
            if product is None:
                name = fields.pop("name")
                product = product_create(actor=actor, merchant=merchant, name=name, **fields)
                result.created += 1
            else:
                product = product_update(actor=actor, product=product, **fields)
                result.updated += 1
            if row.price_fen is not None:
                listing_upsert(
                    actor=actor,
                    outlet=outlet,
                    product=product,
                    price_fen=row.price_fen,
                    active=row.active,
                )
                result.listed += 1
        except CatalogError as e:  # a rule the row check missed: refuse the file all the same
            refused = r.RowError(row.number, "", r.RowErrorCode.REFUSED, {"reason": e.message()})
            raise ImportRejected([refused]) from e
    return result


def template(fmt: str) -> bytes:
    """An empty file with the header, one example row and (xlsx) a sheet describing the columns."""
    notes = [("column", "列名", "说明", "description", "example")] + [
        (key, zh, dzh, den, ex) for key, zh, dzh, den, ex in COLUMNS
    ]
    example = [ex for *_, ex in COLUMNS]
    return write_table(fmt, KEYS, [example], title="products", notes=notes)


def products_export(*, actor: User | None, outlet: Outlet, fmt: str) -> bytes:
    """Every product of the outlet's merchant with its price at `outlet`; re-importable as is."""
    if not can_manage_outlet(actor=actor, outlet_id=outlet.pk):
        raise CatalogError(CatalogErrorCode.NOT_YOUR_OUTLET)
    prices = dict(Listing.objects.filter(outlet=outlet).values_list("product_id", "price_fen"))
    products = Product.objects.filter(merchant_id=outlet.merchant_id).select_related("category")
    out = []
    for p in products.order_by("sku", "pk"):
        fen = prices.get(p.pk)
        out.append(
            [
                p.sku or f"ID{p.pk}",
                p.name,
                f"{fen // 100}.{fen % 100:02d}" if fen else "",
                p.category.slug if p.category else "",
                p.spec,
                p.unit,
                p.brand,
                p.origin,
                p.shelf_life_days if p.shelf_life_days is not None else "",
                p.storage,
                p.barcode,
                "yes" if p.green_label else "no",
                "yes" if p.active else "no",
            ]
        )
    return write_table(fmt, KEYS, out, title="products")
