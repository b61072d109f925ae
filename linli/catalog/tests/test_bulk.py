"""Bulk product import and export: valid files import through the services, every bad row of a bad
file is listed with nothing written (xlsx and csv alike), and export → import round-trips."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from linli.catalog.bulk import products as bulk
from linli.catalog.bulk.tables import read_table
from linli.catalog.errors import CatalogError
from linli.catalog.models import Listing, Product

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _categories(veg):
    return veg


HEADER = ["sku", "name", "price", "category", "spec", "storage", "barcode", "shelf_life_days"]
GOOD = [
    ["A001", "农夫山泉", "2.00", "vegetables", "550ml", "ambient", "6921168509256", "365"],
    ["A002", "伊利纯牛奶", "3.5", "", "250ml", "冷藏", "", "30"],
    ["A003", "速冻水饺", "", "", "500g", "frozen", "", ""],
]


def as_csv(rows: list[list[object]]) -> bytes:
    lines = [",".join("" if c is None else str(c) for c in r) for r in rows]
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def as_xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def encode(fmt: str, rows: list[list[object]]) -> tuple[bytes, str]:
    return (as_csv(rows), "p.csv") if fmt == "csv" else (as_xlsx(rows), "p.xlsx")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_valid_file_imports_products_and_prices(fmt, marco, marco_outlet, veg):
    content, name = encode(fmt, [HEADER, *GOOD])
    result = bulk.products_import(actor=marco, outlet=marco_outlet, content=content, filename=name)
    assert (result.created, result.updated, result.listed) == (3, 0, 2)
    milk = Product.objects.get(sku="A002")
    assert milk.storage == "chilled" and milk.shelf_life_days == 30 and "牛奶" in milk.search_text
    assert Product.objects.get(sku="A001").category == veg
    assert Listing.objects.get(product=milk, outlet=marco_outlet).price_fen == 350
    assert not Listing.objects.filter(product__sku="A003").exists()
    # Importing again with a new price updates, never duplicates.
    again = [HEADER, ["A001", "农夫山泉 550ml", "2.50", "", "", "", "6921168509256", ""]]
    content, name = encode(fmt, again)
    result = bulk.products_import(actor=marco, outlet=marco_outlet, content=content, filename=name)
    assert (result.created, result.updated) == (0, 1)
    assert Product.objects.filter(merchant=marco_outlet.merchant).count() == 3
    assert Listing.objects.get(product__sku="A001").price_fen == 250


BAD_CASES = {
    "text in a number cell": (["B1", "苹果", "abc", "", "", "", "", ""], "price", "not_amount"),
    "negative price": (["B1", "苹果", "-3", "", "", "", "", ""], "price", "negative"),
    "zero price": (["B1", "苹果", "0", "", "", "", "", ""], "price", "not_positive"),
    "three decimals": (["B1", "苹果", "1.234", "", "", "", "", ""], "price", "not_amount"),
    "text shelf life": (
        ["B1", "苹果", "", "", "", "", "", "一年"],
        "shelf_life_days",
        "not_integer",
    ),
    "unknown storage": (["B1", "苹果", "", "", "", "warm", "", ""], "storage", "choice"),
    "bad barcode": (["B1", "苹果", "", "", "", "", "6921168509257", ""], "barcode", "barcode"),
    "unknown category": (["B1", "苹果", "", "fruitz", "", "", "", ""], "category", "not_found"),
    "missing name": (["B1", "", "", "", "", "", "", ""], "name", "required"),
    "missing sku": (["", "苹果", "", "", "", "", "", ""], "sku", "required"),
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("case", list(BAD_CASES))
def test_each_bad_input_rejects_the_file_with_the_row_listed(fmt, case, marco, marco_outlet):
    row, column, code = BAD_CASES[case]
    content, name = encode(fmt, [HEADER, GOOD[0], row])
    with pytest.raises(bulk.ImportRejected) as e:
        bulk.products_import(actor=marco, outlet=marco_outlet, content=content, filename=name)
    assert [(x.row, x.column, x.code.spec.code) for x in e.value.errors] == [(3, column, code)]
    assert e.value.errors[0].message("zh-hans") and e.value.errors[0].message("en")
    assert not Product.objects.exists() and not Listing.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_bad_row_is_listed_and_duplicates_name_the_first_row(fmt, marco, marco_outlet):
    rows = [
        HEADER,
        GOOD[0],
        ["A001", "重复", "1", "", "", "", "", ""],  # duplicate SKU
        ["A009", "重复条码", "1", "", "", "", "6921168509256", ""],  # duplicate barcode
        ["A010", "坏价格", "¥-1", "", "", "sunny", "", ""],  # two bad cells
    ]
    content, name = encode(fmt, rows)
    with pytest.raises(bulk.ImportRejected) as e:
        bulk.products_import(actor=marco, outlet=marco_outlet, content=content, filename=name)
    got = [(x.row, x.column, x.code.spec.code) for x in e.value.errors]
    assert got == [
        (3, "sku", "duplicate"),
        (4, "barcode", "duplicate"),
        (5, "price", "negative"),
        (5, "storage", "choice"),
    ]
    assert e.value.errors[0].params["other"] == 2
    assert e.value.as_dict("en")["detail"] == "The file has 4 errors; nothing was imported"
    assert not Product.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_wrong_columns_are_refused_before_any_row(fmt, marco, marco_outlet):
    content, name = encode(fmt, [["sku", "名字", "prise"], ["A1", "x", "1"]])
    with pytest.raises(bulk.ImportRejected) as e:
        bulk.products_import(actor=marco, outlet=marco_outlet, content=content, filename=name)
    codes = {(x.row, x.column, x.code.spec.code) for x in e.value.errors}
    assert codes == {
        (1, "名字", "unknown_column"),
        (1, "prise", "unknown_column"),
        (1, "name", "missing_column"),
    }


def test_chinese_headers_are_accepted(marco, marco_outlet):
    content = as_csv([["货号", "名称", "售价", "储存"], ["C1", "豆腐", "4.20", "冷藏"]])
    bulk.products_import(actor=marco, outlet=marco_outlet, content=content, filename="x.csv")
    assert Product.objects.get(sku="C1").storage == "chilled"


def test_a_barcode_of_another_existing_product_is_refused(marco, marco_outlet, tomato):
    tomato.barcode = "6921168509256"
    tomato.save()
    content = as_csv([HEADER, GOOD[0]])
    with pytest.raises(bulk.ImportRejected) as e:
        bulk.products_import(actor=marco, outlet=marco_outlet, content=content, filename="x.csv")
    assert e.value.errors[0].code.spec.code == "taken"


def test_unreadable_files_and_strangers(marco, mia, marco_outlet):
    with pytest.raises(CatalogError) as e:
        bulk.products_import(actor=marco, outlet=marco_outlet, content=b"PK\x03", filename="x.xlsx")
    assert e.value.spec.code == "import_file"
    with pytest.raises(CatalogError) as e:
        bulk.products_import(actor=marco, outlet=marco_outlet, content=b"a", filename="x.pdf")
    assert e.value.spec.code == "import_file"
    with pytest.raises(CatalogError) as e:
        bulk.products_import(
            actor=mia, outlet=marco_outlet, content=as_csv([HEADER, GOOD[0]]), filename="x.csv"
        )
    assert e.value.spec.code == "not_your_outlet"
    assert not Product.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_round_trips(fmt, marco, marco_outlet, tomato, veg):
    content, name = encode(fmt, [HEADER, *GOOD])
    bulk.products_import(actor=marco, outlet=marco_outlet, content=content, filename=name)
    before = sorted(Product.objects.values_list("pk", "name", "storage", "barcode", "category"))
    prices = sorted(Listing.objects.values_list("product_id", "price_fen", "active"))
    exported = bulk.products_export(actor=marco, outlet=marco_outlet, fmt=fmt)
    table = read_table(exported, f"e.{fmt}")
    assert table.header == bulk.KEYS and len(table.rows) == 4
    result = bulk.products_import(
        actor=marco, outlet=marco_outlet, content=exported, filename=f"e.{fmt}"
    )
    assert (result.created, result.updated) == (0, 4)
    after = sorted(Product.objects.values_list("pk", "name", "storage", "barcode", "category"))
    assert after == before
    assert sorted(Listing.objects.values_list("product_id", "price_fen", "active")) == prices


def test_templates_document_the_columns():
    wb = load_workbook(io.BytesIO(bulk.template("xlsx")))
    assert [c.value for c in wb.worksheets[0][1]] == bulk.KEYS
    assert wb.worksheets[1]["A2"].value == "sku"
    assert bulk.template("csv").decode("utf-8-sig").splitlines()[0] == ",".join(bulk.KEYS)


def test_import_page_lists_bad_rows_and_downloads(client, marco, marco_outlet):
    client.force_login(marco)
    url = f"/merchant/products/import/{marco_outlet.pk}/"
    assert client.get(url).status_code == 200
    bad = io.BytesIO(as_csv([HEADER, ["A1", "苹果", "abc", "", "", "", "", ""]]))
    bad.name = "bad.csv"
    page = client.post(url, {"file": bad})
    assert page.status_code == 200 and "import-errors" in page.content.decode()
    good = io.BytesIO(as_csv([HEADER, GOOD[0]]))
    good.name = "good.csv"
    assert client.post(url, {"file": good}).status_code == 302
    assert Product.objects.filter(sku="A001").exists()
    got = client.get(f"/merchant/products/export/{marco_outlet.pk}.xlsx")
    assert got.status_code == 200 and got["Content-Type"].startswith("application/vnd.openxml")
    assert client.get("/merchant/products/template.csv").status_code == 200
