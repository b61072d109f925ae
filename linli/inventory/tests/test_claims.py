"""The claim contract orders relies on: claim, release, commit (FEFO), expire; ledger; expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from linli.inventory import selectors, services
from linli.inventory.errors import InventoryError
from linli.inventory.models import Lot, StockClaim, StockLevel, StockMovement

pytestmark = pytest.mark.django_db


def _soon():
    return timezone.now() + timedelta(minutes=15)


def _today():
    return timezone.localdate()


def _receive(marco, outlet, product, qty, days, batch, origin=""):
    return services.stock_receive(
        actor=marco,
        outlet=outlet,
        product=product,
        quantity=qty,
        batch_no=batch,
        expiry_date=_today() + timedelta(days=days),
        origin=origin,
    )


def _ledger_matches(sl: StockLevel) -> None:
    sl.refresh_from_db()
    moved = StockMovement.objects.filter(stock_level=sl).aggregate(s=Sum("quantity"))["s"] or 0
    in_lots = Lot.objects.filter(stock_level=sl).aggregate(s=Sum("quantity_remaining"))["s"] or 0
    assert sl.on_hand == moved == in_lots
    active = StockClaim.objects.filter(stock_level=sl, status="active").aggregate(s=Sum("quantity"))
    assert sl.claimed == (active["s"] or 0)


def test_claim_release_commit_fefo(marco, marco_outlet, tomato):
    late = _receive(marco, marco_outlet, tomato, 5, 6, "B-LATE", "河北")
    early = _receive(marco, marco_outlet, tomato, 3, 2, "B-EARLY", "山东寿光")
    sl = StockLevel.objects.get(outlet=marco_outlet, product=tomato)
    kw = {"outlet_id": marco_outlet.pk, "product_id": tomato.pk}
    c1 = services.stock_claim(**kw, quantity=4, ref="order-line:1", expires_at=_soon())
    services.stock_claim(**kw, quantity=2, ref="order-line:2", expires_at=_soon())
    assert selectors.stock_available(**kw) == 2
    assert c1.status == "active"
    _ledger_matches(sl)

    picks = services.stock_claims_commit(refs=["order-line:1"], actor=marco)
    # first expiry first out: all 3 of the early lot, then 1 of the late one
    assert [(p.batch_no, p.quantity, p.origin) for p in picks] == [
        ("B-EARLY", 3, "山东寿光"),
        ("B-LATE", 1, "河北"),
    ]
    assert {p.ref for p in picks} == {"order-line:1"}
    early.refresh_from_db()
    late.refresh_from_db()
    assert (early.quantity_remaining, late.quantity_remaining) == (0, 4)
    sl.refresh_from_db()
    assert (sl.on_hand, sl.claimed) == (4, 2)
    sales = StockMovement.objects.filter(reason="sale", ref="order-line:1")
    assert sorted(m.quantity for m in sales) == [-3, -1]
    _ledger_matches(sl)

    # commit again: nothing happens
    assert services.stock_claims_commit(refs=["order-line:1"]) == []
    assert services.stock_claims_release(refs=["order-line:1"]) == 0
    sl.refresh_from_db()
    assert (sl.on_hand, sl.claimed) == (4, 2)

    assert services.stock_claims_release(refs=["order-line:2"]) == 1
    assert services.stock_claims_release(refs=["order-line:2"]) == 0
    assert services.stock_claims_commit(refs=["order-line:2"]) == []
    sl.refresh_from_db()
    assert (sl.on_hand, sl.claimed) == (4, 0)
    assert StockClaim.objects.get(ref="order-line:2").status == "released"
    _ledger_matches(sl)


def test_out_of_stock_names_product_and_what_is_left(marco, marco_outlet, tomato):
    _receive(marco, marco_outlet, tomato, 2, 5, "B1")
    kw = {"outlet_id": marco_outlet.pk, "product_id": tomato.pk, "expires_at": _soon()}
    with pytest.raises(InventoryError) as e:
        services.stock_claim(**kw, quantity=3, ref="order-line:9")
    assert e.value.spec.code == "out_of_stock" and e.value.status == 409
    assert e.value.message("zh-hans") == "西红柿库存不足：想要 3，仅剩 2"
    assert "2 left" in e.value.message("en")
    assert not StockClaim.objects.exists()


def test_no_stock_row_is_out_of_stock(marco, marco_outlet, tomato):
    with pytest.raises(InventoryError) as e:
        services.stock_claim(
            outlet_id=marco_outlet.pk, product_id=tomato.pk, quantity=1, ref="x", expires_at=_soon()
        )
    assert e.value.spec.code == "out_of_stock"


@pytest.mark.parametrize("qty", [0, -1, 1000, True, 2.5])
def test_invalid_quantity(marco, marco_outlet, tomato, qty):
    _receive(marco, marco_outlet, tomato, 5, 5, "B1")
    with pytest.raises(InventoryError) as e:
        services.stock_claim(
            outlet_id=marco_outlet.pk,
            product_id=tomato.pk,
            quantity=qty,
            ref="r",
            expires_at=_soon(),
        )
    assert e.value.spec.code == "invalid_quantity"


def test_one_active_claim_per_ref(marco, marco_outlet, tomato):
    _receive(marco, marco_outlet, tomato, 5, 5, "B1")
    kw = {"outlet_id": marco_outlet.pk, "product_id": tomato.pk, "expires_at": _soon()}
    services.stock_claim(**kw, quantity=1, ref="order-line:5")
    with pytest.raises(InventoryError) as e:
        services.stock_claim(**kw, quantity=1, ref="order-line:5")
    assert e.value.spec.code == "claim_duplicate"
    assert StockLevel.objects.get().claimed == 1  # the savepoint undid the second increment
    services.stock_claims_release(refs=["order-line:5"])
    services.stock_claim(**kw, quantity=2, ref="order-line:5")  # a released ref may claim again
    assert StockLevel.objects.get().claimed == 2


def test_expired_lots_are_not_sellable(marco, marco_outlet, tomato):
    old = _receive(marco, marco_outlet, tomato, 4, 1, "OLD")
    sl = StockLevel.objects.get()
    kw = {"outlet_id": marco_outlet.pk, "product_id": tomato.pk, "expires_at": _soon()}
    # time passes: the lot's last selling day was yesterday
    Lot.objects.filter(pk=old.pk).update(expiry_date=_today() - timedelta(days=1))
    sl.refresh_from_db()
    assert sl.on_hand == 4  # still counted before anyone looks
    assert selectors.stock_available(outlet_id=marco_outlet.pk, product_id=tomato.pk) == 0
    with pytest.raises(InventoryError) as e:
        services.stock_claim(**kw, quantity=1, ref="order-line:1")
    assert e.value.spec.code == "out_of_stock"
    sl.refresh_from_db()
    assert sl.on_hand == 0
    w = StockMovement.objects.get(reason="write_off_expired")
    assert (w.quantity, w.lot_id, w.actor_id) == (-4, old.pk, None)
    # idempotent: nothing more to write off
    assert services.lots_expire() == 0
    _ledger_matches(sl)


def test_lot_expiring_under_a_claim(marco, marco_outlet, tomato):
    """Claimed units of a lot that then expires stay held; commit refuses expired lots."""
    lot = _receive(marco, marco_outlet, tomato, 3, 1, "OLD")
    kw = {"outlet_id": marco_outlet.pk, "product_id": tomato.pk, "expires_at": _soon()}
    services.stock_claim(**kw, quantity=2, ref="order-line:1")
    Lot.objects.filter(pk=lot.pk).update(expiry_date=_today() - timedelta(days=1))
    assert services.lots_expire() == 1  # only the unclaimed unit can go now
    sl = StockLevel.objects.get()
    assert (sl.on_hand, sl.claimed) == (2, 2)
    assert selectors.stock_available(**{k: kw[k] for k in ("outlet_id", "product_id")}) == 0
    with pytest.raises(InventoryError) as e:
        services.stock_claims_commit(refs=["order-line:1"])
    assert e.value.spec.code == "lot_expired"
    assert StockClaim.objects.get().status == "active"  # rolled back
    services.stock_claims_release(refs=["order-line:1"])  # the expired units go with the hold
    assert services.lots_expire() == 0
    sl.refresh_from_db()
    assert (sl.on_hand, sl.claimed) == (0, 0)
    _ledger_matches(sl)


def test_expire_claims_job(marco, marco_outlet, tomato):
    from linli.inventory.tasks import release_expired_claims

    _receive(marco, marco_outlet, tomato, 5, 5, "B1")
    kw = {"outlet_id": marco_outlet.pk, "product_id": tomato.pk}
    now = timezone.now()
    services.stock_claim(**kw, quantity=2, ref="a", expires_at=now - timedelta(minutes=1))
    services.stock_claim(**kw, quantity=1, ref="b", expires_at=now + timedelta(minutes=10))
    services.stock_claim(**kw, quantity=1, ref="c", expires_at=now - timedelta(minutes=1))
    assert services.stock_claims_extend(refs=["c"], expires_at=None) == 1  # paid: held
    assert release_expired_claims.delay().get() == 1
    assert services.stock_claims_expire() == 0
    assert dict(StockClaim.objects.values_list("ref", "status")) == {
        "a": "released",
        "b": "active",
        "c": "active",
    }
    assert StockLevel.objects.get().claimed == 2


def test_receive_write_off_count_adjust_and_ledger(marco, marco_outlet, tomato):
    a = _receive(marco, marco_outlet, tomato, 10, 3, "A")
    b = _receive(marco, marco_outlet, tomato, 5, 8, "B")
    sl = StockLevel.objects.get()
    services.stock_write_off(actor=marco, lot=a, quantity=2, reason="write_off_damaged")
    services.stock_claim(
        outlet_id=marco_outlet.pk, product_id=tomato.pk, quantity=10, ref="x", expires_at=_soon()
    )
    with pytest.raises(InventoryError) as e:  # 13 on hand, 10 held: only 3 may go
        services.stock_write_off(actor=marco, lot=b, quantity=4, reason="write_off_damaged")
    assert e.value.spec.code == "stock_claimed"
    with pytest.raises(InventoryError) as e:
        services.stock_write_off(actor=marco, lot=b, quantity=1, reason="sale")
    assert e.value.spec.code == "reason_invalid"
    moves = services.stock_count_adjust(actor=marco, stock_level=sl, counted=11)
    assert [(m.lot_id, m.quantity) for m in moves] == [(a.pk, -2)]  # FEFO shrinkage
    moves = services.stock_count_adjust(actor=marco, stock_level=sl, counted=14)
    assert [(m.lot_id, m.quantity) for m in moves] == [(b.pk, 3)]  # surplus to the freshest lot
    with pytest.raises(InventoryError) as e:
        services.stock_count_adjust(actor=marco, stock_level=sl, counted=9)
    assert e.value.spec.code == "stock_claimed"
    services.stock_return(actor=marco, lot=b, quantity=1, ref="order:7")
    reasons = set(StockMovement.objects.values_list("reason", flat=True))
    assert reasons == {"receive", "write_off_damaged", "count_adjust", "return"}
    assert StockMovement.objects.filter(reason="write_off_damaged").get().actor == marco
    _ledger_matches(sl)


def test_receive_refuses_past_expiry_and_other_merchants_products(
    marco, marco_outlet, tomato, mia, mia_outlet
):
    with pytest.raises(InventoryError) as e:
        _receive(marco, marco_outlet, tomato, 1, -1, "X")
    assert e.value.spec.code == "expiry_past"
    with pytest.raises(InventoryError) as e:  # mia's outlet cannot stock marco's product
        _receive(mia, mia_outlet, tomato, 1, 3, "X")
    assert e.value.spec.code == "product_not_found"


def test_tenancy_mia_cannot_read_or_change_marcos_stock(marco, marco_outlet, tomato, mia):
    lot = _receive(marco, marco_outlet, tomato, 5, 5, "B1")
    sl = StockLevel.objects.get()
    codes = []
    for call in (
        lambda: selectors.stock_list_for_user(user=mia, outlet_id=marco_outlet.pk),
        lambda: selectors.lots_for_stock(user=mia, stock_level=sl),
        lambda: selectors.movements_for_stock(user=mia, stock_level=sl),
        lambda: selectors.stock_level_get_for_user(user=mia, stock_level_id=sl.pk),
        lambda: _receive(mia, marco_outlet, tomato, 1, 3, "X"),
        lambda: services.stock_write_off(
            actor=mia, lot=lot, quantity=1, reason="write_off_damaged"
        ),
        lambda: services.stock_count_adjust(actor=mia, stock_level=sl, counted=0),
        lambda: services.stock_return(actor=mia, lot=lot, quantity=1),
    ):
        with pytest.raises(InventoryError) as e:
            call()
        codes.append(e.value.spec.code)
    assert set(codes) == {"not_your_outlet"}
    sl.refresh_from_db()
    assert sl.on_hand == 5 and StockMovement.objects.count() == 1
    assert [
        s.product_id for s in selectors.stock_list_for_user(user=marco, outlet_id=marco_outlet.pk)
    ] == [tomato.pk]


def test_lots_for_stock_sorted_by_expiry_with_days_left(marco, marco_outlet, tomato):
    _receive(marco, marco_outlet, tomato, 1, 9, "C")
    _receive(marco, marco_outlet, tomato, 1, 0, "A")
    _receive(marco, marco_outlet, tomato, 1, 4, "B")
    sl = StockLevel.objects.get()
    lots = selectors.lots_for_stock(user=marco, stock_level=sl)
    assert [(lot.batch_no, lot.days_left) for lot in lots] == [("A", 0), ("B", 4), ("C", 9)]
    rows = selectors.stock_list_for_user(user=marco, outlet_id=marco_outlet.pk)
    assert rows[0].days_left == 0 and rows[0].on_hand == 3


def test_check_constraint_rejects_a_direct_over_claim(marco, marco_outlet, tomato):
    """The backstop (SQLite and PostgreSQL): even an UPDATE that skips the service's condition cannot over-claim."""
    services.stock_receive(
        actor=marco,
        outlet=marco_outlet,
        product=tomato,
        quantity=3,
        batch_no="B",
        expiry_date=timezone.localdate() + timedelta(days=5),
    )
    sl = StockLevel.objects.get()
    with pytest.raises(IntegrityError) as e, transaction.atomic():
        StockLevel.objects.filter(pk=sl.pk).update(claimed=F("claimed") + 4)
    assert "stock_claimed_within_on_hand" in str(e.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockLevel.objects.filter(pk=sl.pk).update(on_hand=-1)
    sl.refresh_from_db()
    assert (sl.on_hand, sl.claimed) == (3, 0)


def _cucumber(marco, marco_merchant):
    from linli.catalog.services import product_create

    return product_create(
        actor=marco, merchant=marco_merchant, name="黄瓜", spec="500g", storage="ambient"
    )


def test_claims_create_is_all_or_nothing(marco, marco_merchant, marco_outlet, tomato):
    cucumber = _cucumber(marco, marco_merchant)
    _receive(marco, marco_outlet, tomato, 5, 5, "T1")
    _receive(marco, marco_outlet, cucumber, 1, 5, "C1")
    req = services.ClaimRequest
    with pytest.raises(InventoryError) as e:
        services.stock_claims_create(
            requests=[
                req(marco_outlet.pk, tomato.pk, 2, "order-line:1"),
                req(marco_outlet.pk, cucumber.pk, 2, "order-line:2"),
            ],
            expires_at=_soon(),
        )
    assert e.value.spec.code == "out_of_stock" and e.value.params["left"] == 1
    # the tomato line was claimed first; the savepoint gave it back
    assert list(StockLevel.objects.values_list("claimed", flat=True)) == [0, 0]
    assert not StockClaim.objects.exists()
    with pytest.raises(InventoryError) as e:
        services.stock_claims_create(
            requests=[
                req(marco_outlet.pk, tomato.pk, 1, "order-line:3"),
                req(marco_outlet.pk, cucumber.pk, 1, "order-line:3"),
            ],
            expires_at=_soon(),
        )
    assert e.value.spec.code == "claim_duplicate"


def test_claims_create_statements(
    marco, marco_merchant, marco_outlet, tomato, django_assert_max_num_queries
):
    cucumber = _cucumber(marco, marco_merchant)
    _receive(marco, marco_outlet, tomato, 5, 5, "T1")
    _receive(marco, marco_outlet, cucumber, 5, 5, "C1")
    req = services.ClaimRequest
    # one conditional UPDATE per line (expired lots counted out in it), one INSERT of the claims
    with django_assert_max_num_queries(3):
        claims = services.stock_claims_create(
            requests=[
                req(marco_outlet.pk, cucumber.pk, 1, "order-line:2"),
                req(marco_outlet.pk, tomato.pk, 2, "order-line:1"),
            ],
            expires_at=_soon(),
        )
    assert [c.ref for c in claims] == ["order-line:2", "order-line:1"]
    assert all(c.pk for c in claims)
    assert sorted(StockLevel.objects.values_list("claimed", flat=True)) == [1, 2]
