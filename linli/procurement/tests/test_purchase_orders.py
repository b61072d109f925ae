"""Purchase orders: draft → sent → partly received → received; lots with origin and batch;
discrepancies recorded; bad input refused with a code and no change."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from linli.inventory.models import Lot, StockLevel, StockMovement
from linli.procurement import services
from linli.procurement.errors import ProcurementError
from linli.procurement.models import Discrepancy, PurchaseOrder, Receipt
from linli.procurement.services import LineSpec, ReceiveLine

pytestmark = pytest.mark.django_db


def code_of(call) -> str:
    with pytest.raises(ProcurementError) as e:
        call()
    return e.value.spec.code


@pytest.fixture
def po(marco, marco_outlet, farm, farm_tomato, tomato) -> PurchaseOrder:
    return services.purchase_order_create_draft(
        actor=marco,
        outlet=marco_outlet,
        supplier=farm,
        lines=[LineSpec(product_id=tomato.pk, quantity=20, supplier_product_id=farm_tomato.pk)],
    )


def test_draft_send_receive_in_two_deliveries(marco, po, tomato):
    assert po.status == "draft" and po.expected_date == timezone.localdate() + timedelta(days=1)
    line = po.lines.get()
    assert line.unit_price_fen == 1000  # 20 kg: no tier reached
    services.purchase_order_line_add(
        actor=marco,
        purchase_order=po,
        line=LineSpec(product_id=tomato.pk, quantity=100, unit_price_fen=750),
    )
    line.refresh_from_db()
    assert (line.quantity_ordered, line.unit_price_fen) == (120, 750)
    po = services.purchase_order_send(actor=marco, purchase_order=po)
    assert po.status == "sent" and po.number.startswith("PO")
    assert (
        code_of(
            lambda: services.purchase_order_line_add(
                actor=marco,
                purchase_order=po,
                line=LineSpec(product_id=tomato.pk, quantity=1, unit_price_fen=1),
            )
        )
        == "po_wrong_status"
    )
    harvest = timezone.localdate() - timedelta(days=1)
    r1 = services.purchase_order_receive(
        actor=marco,
        purchase_order=po,
        lines=[
            ReceiveLine(
                po_line_id=line.pk,
                quantity=70,
                batch_no="SG-0601",
                production_date=harvest,
                origin="山东寿光 洛城街道",
                rejected=5,
                note="压坏",
            )
        ],
    )
    po.refresh_from_db()
    assert po.status == "partly_received"
    lot = Lot.objects.get(batch_no="SG-0601")
    assert (lot.origin, lot.production_date, lot.quantity_remaining) == (
        "山东寿光 洛城街道",
        harvest,
        70,
    )
    assert lot.expiry_date == harvest + timedelta(days=7)  # the product's shelf life
    assert lot.receipt_line.receipt == r1
    assert Discrepancy.objects.get().kind == "rejected"
    services.purchase_order_receive(
        actor=marco,
        purchase_order=po,
        lines=[ReceiveLine(po_line_id=line.pk, quantity=50, batch_no="SG-0602")],
    )
    po.refresh_from_db()
    assert po.status == "received" and po.received_at
    assert StockLevel.objects.get(product=tomato).on_hand == 120
    assert Lot.objects.get(batch_no="SG-0602").origin == "山东寿光"  # the supplier product's origin
    assert StockMovement.objects.filter(reason="receive").count() == 2
    assert (
        code_of(
            lambda: services.purchase_order_receive(
                actor=marco, purchase_order=po, lines=[ReceiveLine(po_line_id=line.pk, quantity=1)]
            )
        )
        == "po_wrong_status"
    )


def test_over_receipt_is_refused_then_recorded_when_accepted(marco, po):
    services.purchase_order_send(actor=marco, purchase_order=po)
    line = po.lines.get()
    over = [ReceiveLine(po_line_id=line.pk, quantity=25, batch_no="B1")]
    assert (
        code_of(lambda: services.purchase_order_receive(actor=marco, purchase_order=po, lines=over))
        == "over_receipt"
    )
    assert not Receipt.objects.exists() and not Lot.objects.exists()  # no state change
    services.purchase_order_receive(actor=marco, purchase_order=po, lines=over, accept_over=True)
    d = Discrepancy.objects.get()
    assert (d.kind, d.quantity) == ("over", 5)
    po.refresh_from_db()
    assert po.status == "received"
    assert Lot.objects.get().quantity_remaining == 25


def test_closing_short_records_the_shortfall(marco, po):
    services.purchase_order_send(actor=marco, purchase_order=po)
    line = po.lines.get()
    services.purchase_order_receive(
        actor=marco,
        purchase_order=po,
        lines=[ReceiveLine(po_line_id=line.pk, quantity=12, batch_no="B1")],
        close=True,
    )
    po.refresh_from_db()
    d = Discrepancy.objects.get()
    assert po.status == "received" and (d.kind, d.quantity) == ("short", 8)


def test_bad_input_is_refused_with_codes_and_no_change(marco, mia, po, tomato, farm):
    line = po.lines.get()
    assert (
        code_of(
            lambda: services.purchase_order_receive(
                actor=marco, purchase_order=po, lines=[ReceiveLine(po_line_id=line.pk, quantity=1)]
            )
        )
        == "po_wrong_status"
    )  # a draft is not received
    assert code_of(lambda: services.purchase_order_send(actor=mia, purchase_order=po)) == (
        "not_your_outlet"
    )
    services.purchase_order_send(actor=marco, purchase_order=po)
    for bad in (
        [ReceiveLine(po_line_id=line.pk, quantity=-3)],
        [ReceiveLine(po_line_id=line.pk, quantity=0, rejected=-1)],
        [ReceiveLine(po_line_id=999999, quantity=1)],
        [ReceiveLine(po_line_id=line.pk, quantity=0)],
        [ReceiveLine(po_line_id=line.pk, quantity=2, expiry_date=date(2000, 1, 1))],
    ):
        with pytest.raises(Exception) as e:
            services.purchase_order_receive(actor=marco, purchase_order=po, lines=bad)
        assert e.value.spec.code in {
            "invalid_quantity",
            "po_line_not_found",
            "receipt_empty",
            "expiry_past",
        }
    assert (
        code_of(
            lambda: services.purchase_order_receive(
                actor=mia, purchase_order=po, lines=[ReceiveLine(po_line_id=line.pk, quantity=1)]
            )
        )
        == "not_your_outlet"
    )
    assert not Receipt.objects.exists() and not Lot.objects.exists()
    po.refresh_from_db()
    assert po.status == "sent"
    for spec in (
        LineSpec(product_id=tomato.pk, quantity=-1, unit_price_fen=100),
        LineSpec(product_id=tomato.pk, quantity=1, unit_price_fen=-100),
        LineSpec(product_id=tomato.pk, quantity=1),
    ):
        with pytest.raises(ProcurementError):
            services.purchase_order_create_draft(
                actor=marco, outlet=po.outlet, supplier=farm, lines=[spec]
            )
    assert PurchaseOrder.objects.count() == 1


def test_another_shops_product_or_outlet_is_refused(marco, mia, mia_outlet, farm, tomato):
    assert (
        code_of(
            lambda: services.purchase_order_create_draft(
                actor=marco, outlet=mia_outlet, supplier=farm
            )
        )
        == "not_your_outlet"
    )
    mine = services.purchase_order_create_draft(actor=mia, outlet=mia_outlet, supplier=farm)
    assert (
        code_of(
            lambda: services.purchase_order_line_add(
                actor=mia,
                purchase_order=mine,
                line=LineSpec(product_id=tomato.pk, quantity=1, unit_price_fen=100),
            )
        )
        == "product_not_found"
    )  # marco's product, not mia's


def test_empty_po_cannot_be_sent_and_cancel(marco, marco_outlet, farm):
    po = services.purchase_order_create_draft(actor=marco, outlet=marco_outlet, supplier=farm)
    assert (
        code_of(lambda: services.purchase_order_send(actor=marco, purchase_order=po)) == "po_empty"
    )
    po = services.purchase_order_cancel(actor=marco, purchase_order=po)
    assert po.status == "cancelled"
    assert code_of(lambda: services.purchase_order_cancel(actor=marco, purchase_order=po)) == (
        "po_wrong_status"
    )
