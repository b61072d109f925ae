"""The zh-Hans catalogue: complete, compiled, and what the pages actually show.

UI strings are written with English msgids; Chinese users get them from locale/zh_Hans. A msgid
without a msgstr falls through to Django's own catalogues ("Order" would read 排序, the admin's
"sort order") or shows English, so the catalogue must keep up with the code: `make messages`.
"""

from __future__ import annotations

import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import Context, Template
from django.test import override_settings
from django.utils import timezone, translation

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# What `make messages` leaves out (keep in step with MESSAGES_IGNORE in the Makefile).
IGNORED_DIRS = {
    ".venv",
    ".git",
    "static",
    "staticfiles",
    "node_modules",
    "tests",
    "bench",
    "locale",
}
PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sd]|%%")


def _untranslated(po) -> list[str]:
    bad = []
    for e in po:
        if e.obsolete:
            continue
        label = f"{e.msgctxt}|{e.msgid}" if e.msgctxt else e.msgid
        text = e.msgstr_plural.get(0, "") if e.msgid_plural else e.msgstr
        if "fuzzy" in e.flags:
            bad.append(f"fuzzy: {label!r}")
        elif not text.strip():
            bad.append(f"empty: {label!r}")
    return bad


def test_committed_catalogue_is_complete_and_compiled():
    polib = pytest.importorskip("polib", reason="polib is a dev dependency: pip install -e .[dev]")
    po = polib.pofile(str(PO))
    assert po.metadata.get("Plural-Forms", "").startswith("nplurals=1;")
    assert not _untranslated(po), "untranslated zh-Hans entries:\n" + "\n".join(_untranslated(po))
    for e in po:
        if "python-format" in e.flags:
            text = e.msgstr_plural.get(0, "") if e.msgid_plural else e.msgstr
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(e.msgid)), (
                f"placeholders differ in {e.msgid!r} -> {text!r}"
            )
    apps_own = [p for p in (Path(settings.BASE_DIR) / "linli").rglob("locale") if p.is_dir()]
    assert not apps_own, f"one catalogue only (locale/), not app-local ones: {apps_own}"
    # The .mo is what Django reads; a fresh clone has no gettext to build it.
    compiled = {(e.msgctxt, e.msgid): e.msgstr_plural or e.msgstr for e in polib.mofile(str(MO))}
    source = {
        (e.msgctxt, e.msgid): e.msgstr_plural or e.msgstr for e in po if not e.obsolete and e.msgid
    }
    compiled.pop((None, ""), None)
    stale = {k for k in source if compiled.get(k) != source[k]} | (compiled.keys() - source.keys())
    assert not stale, f"django.mo is out of date ({len(stale)} entries): run `make messages`"


@pytest.mark.skipif(
    not (shutil.which("xgettext") and shutil.which("msgmerge")),
    reason="GNU gettext (xgettext, msgmerge) is not installed: cannot extract msgids",
)
def test_catalogue_has_every_msgid_in_the_code(tmp_path, monkeypatch):
    """Run makemessages on a copy of the sources into a copy of the catalogue, then check it."""
    polib = pytest.importorskip("polib", reason="polib is a dev dependency: pip install -e .[dev]")
    base = Path(settings.BASE_DIR)
    src = tmp_path / "src"
    for path in base.rglob("*"):
        rel = path.relative_to(base)
        if path.suffix not in {".py", ".html", ".txt"} or not path.is_file():
            continue
        if IGNORED_DIRS & set(rel.parts[:-1]):
            continue
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, src / rel)
    locale = tmp_path / "locale"
    (locale / "zh_Hans" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copyfile(PO, locale / "zh_Hans" / "LC_MESSAGES" / "django.po")
    monkeypatch.chdir(src)
    with override_settings(LOCALE_PATHS=[str(locale)]):
        call_command("makemessages", locale=["zh_Hans"], no_obsolete=True, verbosity=0)
    po = polib.pofile(str(locale / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    assert len(po) > 500
    bad = _untranslated(po)
    assert not bad, "run `make messages` and translate:\n" + "\n".join(bad)


def test_order_is_order_not_sort_order():
    with translation.override("zh-hans"):
        text = Template('{% load i18n %}{% trans "Order" %}|{% trans "Orders" %}').render(Context())
    assert text == "订单|订单"


@pytest.mark.django_db
def test_pages_speak_chinese_by_default_and_english_when_asked(client, rosa, marco):
    from linli.orders.models import Checkout, Order
    from linli.shops.models import Outlet

    outlet = Outlet.objects.get(merchant__members__user=marco)
    checkout = Checkout.objects.create(
        resident=rosa,
        idempotency_key="i18n-1",
        total_fen=700,
        expires_at=timezone.now() + timedelta(minutes=15),
    )
    order = Order.objects.create(
        checkout=checkout,
        resident=rosa,
        outlet=outlet,
        number="LL-I18N-0001",
        subtotal_fen=700,
        total_fen=700,
    )

    client.force_login(rosa)
    home = client.get("/resident/").content.decode()
    assert "购物车" in home and "订单" in home and "附近" in home
    assert 'lang="zh-hans"' in home
    detail = client.get(f"/orders/{order.pk}/").content.decode()
    assert "<title>订单 LL-I18N-0001" in detail and "排序" not in detail
    assert "到店自取" in detail and "取消订单" in detail
    cart = client.get("/cart/").content.decode()
    assert "购物车是空的" in cart

    english = client.get("/resident/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Cart<" in english and ">Orders<" in english and "购物车" not in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    detail_en = client.get(f"/orders/{order.pk}/").content.decode()
    assert "<title>Order LL-I18N-0001" in detail_en and "Pick up in store" in detail_en
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]

    client.force_login(marco)
    board = client.get("/merchant/orders/").content.decode()
    assert "订单看板" in board and "新订单" in board and "库存" in board
