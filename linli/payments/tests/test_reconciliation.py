"""Daily reconciliation (Asia/Shanghai days) and the payments_reconcile command."""

from __future__ import annotations

import json
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from linli.payments import services
from linli.payments.gateways.sandbox import sandbox_notification
from linli.payments.models import Payment, Refund
from linli.payments.reconciliation import (
    expected_lookup_register,
    expected_lookup_unregister,
    reconciliation_report,
)

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 5, 1)


def paid(payer, reference, amount, at: datetime, key=None) -> Payment:
    p = services.payment_create(
        payer=payer,
        amount_fen=amount,
        reference=reference,
        subject="s",
        idempotency_key=key or reference,
    )
    headers, body = sandbox_notification(
        settings.LINLI_PAYMENTS_SANDBOX_SECRET, out_trade_no=p.out_trade_no, amount_fen=amount
    )
    services.payment_notify(gateway="sandbox", headers=headers, body=body)
    Payment.objects.filter(pk=p.pk).update(captured_at=at)
    p.refresh_from_db()
    return p


@pytest.fixture
def day_of_payments(payer):
    a = paid(payer, "checkout:1", 1000, datetime(2026, 5, 1, 0, 5, tzinfo=SH))
    b = paid(payer, "checkout:2", 2000, datetime(2026, 5, 1, 23, 55, tzinfo=SH))
    c = paid(payer, "checkout:3", 3000, datetime(2026, 5, 1, 12, 0, tzinfo=SH))
    d = paid(payer, "checkout:9", 900, datetime(2026, 5, 1, 13, 0, tzinfo=SH))
    dup = paid(payer, "checkout:1", 1000, datetime(2026, 5, 1, 14, 0, tzinfo=SH), key="again")
    # outside the Shanghai day (UTC would have put the first one inside)
    paid(payer, "checkout:4", 4000, datetime(2026, 4, 30, 23, 59, tzinfo=SH))
    paid(payer, "checkout:5", 5000, datetime(2026, 5, 2, 0, 0, tzinfo=SH))
    r = services.refund_create(payment=c, amount_fen=500, reason="", idempotency_key="r1")
    Refund.objects.filter(pk=r.pk).update(completed_at=datetime(2026, 5, 1, 18, 0, tzinfo=SH))
    return a, b, c, d, dup


def expected(references):
    known = {"checkout:1": 1000, "checkout:2": 2000, "checkout:3": 2999}
    return {r: known[r] for r in references if r in known}


def test_report_lists_unmatched_mismatched_duplicates_refunds_and_totals(day_of_payments):
    a, b, c, d, dup = day_of_payments
    report = reconciliation_report(day=DAY, expected_by_reference=expected)
    assert [x.out_trade_no for x in report.captured] == [
        a.out_trade_no,
        c.out_trade_no,
        d.out_trade_no,
        dup.out_trade_no,
        b.out_trade_no,
    ]
    assert report.captured_fen == 1000 + 2000 + 3000 + 900 + 1000
    assert [x.reference for x in report.unmatched] == ["checkout:9"]
    assert [(m.reference, m.captured_fen, m.expected_fen) for m in report.mismatches] == [
        ("checkout:3", 3000, 2999)
    ]
    assert report.duplicates == {"checkout:1": 2}
    assert [(x.out_trade_no, x.amount_fen) for x in report.refunds] == [(c.out_trade_no, 500)]
    assert report.refunded_fen == 500 and report.net_fen == 7900 - 500
    assert not report.clean
    assert report.lookup_configured


def test_without_a_lookup_everything_is_unmatched(day_of_payments):
    report = reconciliation_report(day=DAY)
    assert not report.lookup_configured
    assert len(report.unmatched) == len(report.captured) == 5


def test_registered_lookup_is_used(day_of_payments):
    expected_lookup_register(expected)
    try:
        report = reconciliation_report(day=DAY)
    finally:
        expected_lookup_unregister(expected)
    assert report.lookup_configured and [x.reference for x in report.unmatched] == ["checkout:9"]


def test_a_clean_day(payer):
    paid(payer, "checkout:1", 1000, datetime(2026, 5, 1, 9, 0, tzinfo=SH))
    report = reconciliation_report(day=DAY, expected_by_reference=expected)
    assert report.clean and "OK" in report.as_text()


def test_command_text_and_json(day_of_payments):
    expected_lookup_register(expected)
    try:
        out = StringIO()
        call_command("payments_reconcile", "--day", "2026-05-01", stdout=out)
        text = out.getvalue()
        assert "Reconciliation 2026-05-01" in text and "¥79.00" in text
        assert "checkout:9" in text and "NEEDS ATTENTION" in text
        out = StringIO()
        call_command("payments_reconcile", "--day", "2026-05-01", "--json", stdout=out)
        data = json.loads(out.getvalue())
    finally:
        expected_lookup_unregister(expected)
    assert data["totals"] == {
        "captured_count": 5,
        "captured_fen": 7900,
        "refund_count": 1,
        "refunded_fen": 500,
        "net_fen": 7400,
    }
    assert data["mismatches"][0]["expected_fen"] == 2999
    assert data["duplicates"] == {"checkout:1": 2}


def test_command_rejects_a_bad_day(db):
    with pytest.raises(CommandError):
        call_command("payments_reconcile", "--day", "May 1")
