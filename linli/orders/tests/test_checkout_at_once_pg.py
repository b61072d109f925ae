"""Checkout's writes in one statement (PostgreSQL, ADR 0007): the same rows as the portable path,
in one round trip, and the same answers under races."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import postgres_only, race
from linli.core.errors import LinliError
from linli.inventory.models import StockClaim, StockLevel
from linli.orders.models import CartLine, Checkout, Order, OrderEvent, OrderLine
from linli.orders.services import cart_line_set, checkout_at_once, checkout_submit
from linli.orders.tests.conftest import build_neighbourhood
from linli.payments.models import Payment

pytestmark = postgres_only()

# Differ by nature between two checkouts: ids, times, random codes, numbers naming the checkout.
VARYING = {"id", "checkout", "order", "payment", "stock_level", "resident", "payer", "actor"}
VARYING |= {"created_at", "updated_at", "placed_at", "at", "expires_at", "number"}
VARYING |= {"pickup_code", "out_trade_no", "reference", "idempotency_key", "ref"}


def _fill(hood: Any, resident: Any) -> None:
    cart_line_set(
        resident=resident, listing_id=hood.marco.listings["农夫山泉 550ml"].pk, quantity=2
    )
    cart_line_set(resident=resident, listing_id=hood.mia.listings["西红柿"].pk, quantity=1)
    cart_line_set(resident=resident, listing_id=hood.mia.listings["鸡蛋 10枚"].pk, quantity=1)


def _rows(checkout: Checkout) -> dict[str, list[dict[str, Any]]]:
    """Everything the checkout wrote, field by field, without what must differ."""
    orders = Order.objects.filter(checkout=checkout).order_by("outlet_id")
    lines = OrderLine.objects.filter(order__checkout=checkout).order_by("listing_id")
    refs = [line.claim_ref for line in lines]
    found = {
        "checkout": Checkout.objects.filter(pk=checkout.pk),
        "payment": Payment.objects.filter(pk=checkout.payment_id),
        "orders": orders,
        "lines": lines,
        "events": OrderEvent.objects.filter(order__checkout=checkout).order_by("order__outlet_id"),
        "claims": StockClaim.objects.filter(ref__in=refs).order_by("stock_level_id"),
    }
    out = {}
    for name, qs in found.items():
        fields = [f for f in qs.model._meta.concrete_fields if f.name not in VARYING]
        out[name] = [{f.name: getattr(obj, f.attname) for f in fields} for obj in qs]
    return out


@pytest.mark.django_db
def test_one_statement_writes_what_the_portable_path_writes(hood, monkeypatch):
    assert checkout_at_once.usable(providers_claim=False)
    _fill(hood, hood.resident)
    with monkeypatch.context() as m:
        m.setattr(checkout_at_once, "usable", lambda **kw: False)
        portable = checkout_submit(resident=hood.resident, idempotency_key="portable-1")
    _fill(hood, hood.resident)
    with CaptureQueriesContext(connection) as statements:
        at_once = checkout_submit(resident=hood.resident, idempotency_key="at-once-1")

    assert _rows(at_once) == _rows(portable)
    assert len(_rows(at_once)["claims"]) == 3
    # numbered alike: day, checkout, shop
    for checkout in (portable, at_once):
        numbers = sorted(Order.objects.filter(checkout=checkout).values_list("number", flat=True))
        assert numbers == [f"{numbers[0][:8]}{checkout.pk:06d}{n:02d}" for n in (1, 2)]
        payment = Payment.objects.get(pk=checkout.payment_id)
        assert payment.reference == payment.idempotency_key == f"checkout:{checkout.pk}"
    # what the caller got back is what was written
    assert at_once.payment.pk == at_once.payment_id
    kept = {o.pk: (o.number, [ln.pk for ln in o.lines.all()]) for o in at_once.orders.all()}
    stored = {
        o.pk: (o.number, sorted(ln.pk for ln in o.lines.all()))
        for o in Order.objects.filter(checkout=at_once).prefetch_related("lines")
    }
    assert {k: (n, sorted(ids)) for k, (n, ids) in kept.items()} == stored
    # the cart read and the one write (the portable path takes eleven); the savepoint is there
    # only because the test runs inside a transaction
    sql = [q["sql"][:20] for q in statements.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert sql == ['SELECT "orders_cartl', "WITH checkout_id AS "], sql


@pytest.mark.django_db
def test_a_shortfall_writes_nothing(hood):
    _fill(hood, hood.resident)
    cart_line_set(resident=hood.resident, listing_id=hood.mia.listings["鸡蛋 10枚"].pk, quantity=6)
    before = dict(StockLevel.objects.values_list("pk", "claimed"))
    with pytest.raises(LinliError) as e:
        checkout_submit(resident=hood.resident, idempotency_key="short-1")
    assert e.value.spec.code == "out_of_stock" and "鸡蛋" in e.value.message("zh-hans")
    assert dict(StockLevel.objects.values_list("pk", "claimed")) == before
    assert not Checkout.objects.exists() and not Payment.objects.exists()
    assert not StockClaim.objects.exists() and not Order.objects.exists()
    assert CartLine.objects.filter(cart__resident=hood.resident).count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_same_key_sent_six_times_at_once_places_one_checkout(tmp_path):
    hood = build_neighbourhood(tmp_path)
    _fill(hood, hood.resident)
    ids: list[int] = []

    def attempt(i: int) -> None:
        ids.append(checkout_submit(resident=hood.resident, idempotency_key="tap-tap-tap").pk)

    assert race(6, attempt) == ["ok"] * 6
    assert len(set(ids)) == 1 and Checkout.objects.count() == 1
    assert Order.objects.count() == 2 and StockClaim.objects.count() == 3
    assert sum(StockLevel.objects.values_list("claimed", flat=True)) == 4


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_no_begin_and_no_commit(tmp_path, django_assert_num_queries):
    """Outside a test's transaction Django logs BEGIN and COMMIT too: the checkout takes none,
    and a refused one leaves nothing behind."""
    hood = build_neighbourhood(tmp_path)
    _fill(hood, hood.resident)
    checkout_submit(resident=hood.resident, idempotency_key="no-begin-0")  # the network loaded
    _fill(hood, hood.resident)
    with django_assert_num_queries(2):  # the cart read, the one write
        checkout_submit(resident=hood.resident, idempotency_key="no-begin-1")
    assert Order.objects.count() == 4 and StockClaim.objects.count() == 6
    _fill(hood, hood.resident)
    cart_line_set(resident=hood.resident, listing_id=hood.mia.listings["鸡蛋 10枚"].pk, quantity=5)
    claimed = dict(StockLevel.objects.values_list("pk", "claimed"))
    with pytest.raises(LinliError) as e:
        checkout_submit(resident=hood.resident, idempotency_key="no-begin-2")
    assert e.value.spec.code == "out_of_stock"
    assert dict(StockLevel.objects.values_list("pk", "claimed")) == claimed
    assert Checkout.objects.count() == 2 and Order.objects.count() == 4
    assert CartLine.objects.filter(cart__resident=hood.resident).count() == 3


@pytest.mark.parametrize("at_once", [True, False], ids=["one-statement", "portable"])
@pytest.mark.django_db(transaction=True)
def test_one_cart_checked_out_four_times_at_once_with_different_keys(
    tmp_path, monkeypatch, at_once
):
    """Two phones of one household, each tapping 结算 at the same moment: one checkout, one
    payment; the others are told the cart changed (or is empty, when they read it after)."""
    if not at_once:
        monkeypatch.setattr(checkout_at_once, "usable", lambda **kw: False)
    hood = build_neighbourhood(tmp_path)
    _fill(hood, hood.resident)

    def attempt(i: int) -> None:
        checkout_submit(resident=hood.resident, idempotency_key=f"phone-{i}")

    outcomes = race(4, attempt)
    assert outcomes.count("ok") == 1, outcomes
    assert set(outcomes) <= {"ok", "cart_changed", "cart_empty"}, outcomes
    assert Checkout.objects.count() == 1 and Payment.objects.count() == 1
    assert Order.objects.count() == 2 and StockClaim.objects.count() == 3
    assert sum(StockLevel.objects.values_list("claimed", flat=True)) == 4
