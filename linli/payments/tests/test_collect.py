"""payments behind `core.collection`: one open payment per (payer, reference, amount), a paid
answer once captured, a fresh attempt after a close, and captures forwarded with the payer."""

from __future__ import annotations

import pytest
from django.conf import settings

from linli.core import collection
from linli.payments.gateways.sandbox import sandbox_notification
from linli.payments.models import Payment
from linli.payments.services import payment_close, payment_notify

pytestmark = pytest.mark.django_db


def ask(payer, amount_fen=150, reference="test-fee:7"):
    return collection.collect(
        payer_id=payer.pk,
        amount_fen=amount_fen,
        reference=reference,
        subject="fee",
        idempotency_key=reference,
        return_url="http://testserver/back/",
    )


def capture(payment, capture_cb):
    headers, body = sandbox_notification(
        settings.LINLI_PAYMENTS_SANDBOX_SECRET,
        out_trade_no=payment.out_trade_no,
        amount_fen=payment.amount_fen,
    )
    with capture_cb(execute=True):
        payment_notify(gateway="sandbox", headers=headers, body=body.encode())


def test_collect_is_idempotent_then_paid_then_forwarded_once(
    payer, monkeypatch, django_capture_on_commit_callbacks
):
    seen: list[collection.Paid] = []
    monkeypatch.setitem(collection._paid_handlers, "test-fee", seen.append)
    first = ask(payer)
    assert not first.paid and first.pay_url.startswith("/payments/sandbox/LL")
    assert ask(payer) == first and Payment.objects.count() == 1
    payment = Payment.objects.get()
    assert (payment.status, payment.idempotency_key) == ("pending", "test-fee:7")
    capture(payment, django_capture_on_commit_callbacks)
    capture(payment, django_capture_on_commit_callbacks)  # replayed
    assert seen == [collection.Paid("test-fee:7", payment.pk, payer.pk, 150)]
    assert ask(payer) == collection.Collection(paid=True, payment_id=payment.pk)


def test_after_a_close_the_next_attempt_is_a_new_payment(payer, other):
    ask(payer)
    payment_close(payment=Payment.objects.get())
    again = ask(payer)
    assert not again.paid
    keys = sorted(Payment.objects.values_list("idempotency_key", "status"))
    assert keys == [("test-fee:7", "closed"), ("test-fee:7:2", "pending")]
    ask(other)  # someone else's payment for the same reference is their own
    assert Payment.objects.filter(payer=other).count() == 1


def test_unclaimed_references_are_ignored():
    assert not collection.reference_paid(collection.Paid("nobody:1", 1, 1, 1))
