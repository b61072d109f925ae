"""Traceability and recall; chains (head office) and franchisees."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.accounts.models import Notification
from linli.accounts.services import user_create
from linli.catalog.errors import CatalogError
from linli.catalog.models import Listing
from linli.catalog.services import listing_upsert
from linli.inventory import services as inv
from linli.inventory.errors import InventoryError
from linli.inventory.models import Lot, StockLevel, StockMovement
from linli.inventory.selectors import stock_available
from linli.procurement import selectors, services
from linli.procurement.errors import ProcurementError
from linli.procurement.services import LineSpec, ReceiveLine
from linli.shops.models import Membership
from linli.shops.selectors import outlet_list_for_user
from linli.shops.services import membership_add, outlet_create

pytestmark = pytest.mark.django_db


def code_of(call) -> str:
    with pytest.raises((ProcurementError, InventoryError, CatalogError)) as e:
        call()
    return e.value.spec.code


@pytest.fixture
def received(marco, marco_outlet, farm, farm_tomato, tomato) -> Lot:
    po = services.purchase_order_create_draft(
        actor=marco,
        outlet=marco_outlet,
        supplier=farm,
        lines=[LineSpec(product_id=tomato.pk, quantity=10, supplier_product_id=farm_tomato.pk)],
    )
    services.purchase_order_send(actor=marco, purchase_order=po)
    services.purchase_order_receive(
        actor=marco,
        purchase_order=po,
        lines=[ReceiveLine(po_line_id=po.lines.get().pk, quantity=10, batch_no="SG-0601")],
    )
    return Lot.objects.get(batch_no="SG-0601")


def test_lot_trace_for_shop_and_supplier_not_others(received, marco, mia, farmer):
    t = selectors.lot_trace_for_user(user=marco, lot_id=received.pk)
    assert t.supplier.name == "寿光蔬菜专业合作社" and t.lot.origin == "山东寿光"
    assert selectors.lot_trace_for_user(user=farmer, lot_id=received.pk).purchase_order
    assert code_of(lambda: selectors.lot_trace_for_user(user=mia, lot_id=received.pk)) == (
        "lot_not_found"
    )


def test_recall_stops_sale_at_once_and_held_units_are_never_handed_over(
    received, marco, marco_outlet, tomato
):
    expires = timezone.now() + timedelta(minutes=15)
    inv.stock_receive(
        actor=marco,
        outlet=marco_outlet,
        product=tomato,
        quantity=4,
        batch_no="OTHER",
        expiry_date=timezone.localdate() + timedelta(days=5),
    )
    for ref, q in (("order-line:1", 3), ("order-line:2", 9)):
        inv.stock_claim(
            outlet_id=marco_outlet.pk, product_id=tomato.pk, quantity=q, ref=ref, expires_at=expires
        )
    recall = services.recall_create(actor=marco, batch_no="SG-0601", reason="农残超标")
    # 14 on hand, 12 held: 2 can go now, 8 stay held by orders but are never handed over.
    assert (recall.units_written_off, recall.units_held) == (2, 8)
    assert stock_available(outlet_id=marco_outlet.pk, product_id=tomato.pk) == 0
    picks = inv.stock_claims_commit(refs=["order-line:1"])
    assert {p.batch_no for p in picks} == {"OTHER"}
    assert code_of(lambda: inv.stock_claims_commit(refs=["order-line:2"])) == "lot_recalled"
    inv.stock_claims_release(refs=["order-line:2"])
    assert stock_available(outlet_id=marco_outlet.pk, product_id=tomato.pk) == 1
    # Releasing the hold wrote the recalled units off; only the good unit is sold.
    inv.stock_claim(
        outlet_id=marco_outlet.pk,
        product_id=tomato.pk,
        quantity=1,
        ref="order-line:3",
        expires_at=expires,
    )
    assert Lot.objects.get(batch_no="SG-0601").quantity_remaining == 0
    assert (
        sum(StockMovement.objects.filter(reason="recall").values_list("quantity", flat=True)) == -10
    )
    sl = StockLevel.objects.get(product=tomato)
    assert (sl.on_hand, sl.claimed) == (1, 1)
    assert (
        code_of(lambda: inv.stock_return(actor=marco, lot=received, quantity=1)) == "lot_recalled"
    )
    assert Notification.objects.filter(kind="recall").count() == 0  # nobody bought it


def test_recall_codes(received, marco, mia, farmer, farm):
    assert code_of(lambda: services.recall_create(actor=marco, batch_no="SG-0601", reason="")) == (
        "recall_reason"
    )
    assert code_of(lambda: services.recall_create(actor=mia, batch_no="SG-0601", reason="x")) == (
        "recall_nothing"
    )
    assert (
        code_of(
            lambda: services.recall_create(actor=mia, batch_no="SG-0601", reason="x", supplier=farm)
        )
        == "not_supplier_editor"
    )
    assert Lot.objects.get().recalled_at is None
    r = services.recall_create(actor=farmer, batch_no="SG-0601", reason="供应商召回", supplier=farm)
    assert r.units_written_off == 10 and r.supplier == farm
    assert Notification.objects.filter(user=marco, kind="recall_shop").exists()


# --- chains -----------------------------------------------------------------------------------


@pytest.fixture
def chain(marco, marco_merchant, marco_outlet, community, tomato):
    marco_merchant.kind = "chain"
    marco_merchant.save()
    second = outlet_create(
        merchant=marco_merchant,
        community_id=community.pk,
        name="马哥便利店 东园店",
        lat=39.996,
        lon=116.472,
        format_slugs=["convenience_store"],
    )
    franchisee = user_create(phone="13800000030", display_name="傅加盟", roles=["shop_owner"])
    m = membership_add(merchant=marco_merchant, user=franchisee, role=Membership.Role.FRANCHISEE)
    m.outlets.set([second])
    return second, franchisee


def test_head_office_prices_assortment_and_transfer(chain, marco, marco_outlet, tomato):
    second, _franchisee = chain
    listings = services.chain_price_set(actor=marco, product=tomato, price_fen=520)
    assert sorted(li.price_fen for li in listings) == [520, 520]
    assert services.chain_assortment_set(actor=marco, product=tomato, outlet_ids=[second.pk]) == 1
    assert not Listing.objects.get(outlet=marco_outlet, product=tomato).active
    inv.stock_receive(
        actor=marco,
        outlet=marco_outlet,
        product=tomato,
        quantity=10,
        batch_no="T1",
        expiry_date=timezone.localdate() + timedelta(days=4),
        origin="山东寿光",
    )
    lots = services.chain_transfer(
        actor=marco, from_outlet=marco_outlet, to_outlet=second, product=tomato, quantity=6
    )
    assert [(lot.batch_no, lot.origin, lot.quantity_remaining) for lot in lots] == [
        ("T1", "山东寿光", 6)
    ]
    levels = dict(StockLevel.objects.values_list("outlet_id", "on_hand"))
    assert levels == {marco_outlet.pk: 4, second.pk: 6}
    moves = StockMovement.objects.filter(reason__in=["transfer_out", "transfer_in"])
    assert sorted(m.quantity for m in moves) == [-6, 6] and len({m.ref for m in moves}) == 1
    assert (
        code_of(
            lambda: services.chain_transfer(
                actor=marco, from_outlet=marco_outlet, to_outlet=second, product=tomato, quantity=5
            )
        )
        == "out_of_stock"
    )
    outlets, rows = selectors.chain_overview(user=marco, merchant_id=marco_outlet.merchant_id)
    assert len(outlets) == 2 and rows[0].cells[1].price_fen == 520


def test_franchisee_sees_and_manages_only_its_own_outlet(chain, marco_outlet, tomato, mia):
    second, franchisee = chain
    assert list(outlet_list_for_user(user=franchisee)) == [second]
    listing_upsert(actor=franchisee, outlet=second, product=tomato, price_fen=480)
    assert (
        code_of(
            lambda: listing_upsert(
                actor=franchisee, outlet=marco_outlet, product=tomato, price_fen=1
            )
        )
        == "not_your_outlet"
    )
    assert (
        code_of(lambda: services.chain_price_set(actor=franchisee, product=tomato, price_fen=1))
        == "not_head_office"
    )
    assert (
        code_of(
            lambda: services.chain_transfer(
                actor=franchisee,
                from_outlet=second,
                to_outlet=marco_outlet,
                product=tomato,
                quantity=1,
            )
        )
        == "not_head_office"
    )
    assert (
        code_of(lambda: selectors.chain_overview(user=franchisee, merchant_id=second.merchant_id))
        == "not_head_office"
    )
    assert (
        code_of(lambda: selectors.chain_overview(user=mia, merchant_id=second.merchant_id))
        == "not_head_office"
    )
    assert Listing.objects.get(outlet=marco_outlet, product=tomato).price_fen == 450
