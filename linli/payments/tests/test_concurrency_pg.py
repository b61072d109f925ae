"""PostgreSQL: real concurrency with separate connections per thread.

- the same valid notification delivered 5 times at once captures once, publishes once, logs 5;
- concurrent partial refunds that together exceed the amount: the excess is refused;
- concurrent creates with one idempotency key make one payment.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.conf import settings
from django.db import connection

from conftest import postgres_only
from linli.core import events
from linli.payments import services
from linli.payments.errors import PaymentsError
from linli.payments.events import PaymentCaptured
from linli.payments.gateways.sandbox import sandbox_notification
from linli.payments.models import Payment, PaymentNotification, Refund

pytestmark = [postgres_only(), pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_concurrently(n: int, work: Callable[[int], object]) -> list[object]:
    """Run work(i) in n threads released together; each thread uses its own DB connection."""
    barrier = threading.Barrier(n)
    results: list[object] = [None] * n

    def target(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = work(i)
        except Exception as e:  # collected and asserted on by the test
            results[i] = e
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.fixture
def counting_handler():
    calls: list[PaymentCaptured] = []
    lock = threading.Lock()

    def handler(event: PaymentCaptured) -> None:
        with lock:
            calls.append(event)

    events.subscribe(PaymentCaptured, handler)
    yield calls
    events._handlers[PaymentCaptured].remove(handler)


def test_five_concurrent_deliveries_capture_once(payer, counting_handler):
    assert connection.vendor == "postgresql"
    p = services.payment_create(
        payer=payer, amount_fen=4200, reference="checkout:42", subject="s", idempotency_key="k"
    )
    services.payment_prepay(payment=p)
    headers, body = sandbox_notification(
        settings.LINLI_PAYMENTS_SANDBOX_SECRET, out_trade_no=p.out_trade_no, amount_fen=4200
    )
    results = run_concurrently(
        5, lambda i: services.payment_notify(gateway="sandbox", headers=headers, body=body.encode())
    )
    assert all(isinstance(r, Payment) and r.pk == p.pk for r in results), results
    p.refresh_from_db()
    assert p.status == Payment.Status.CAPTURED
    assert counting_handler == [
        PaymentCaptured(payment_id=p.pk, reference="checkout:42", amount_fen=4200)
    ]
    outcomes = sorted(PaymentNotification.objects.values_list("outcome", flat=True))
    assert outcomes == ["captured"] + ["duplicate"] * 4
    assert PaymentNotification.objects.filter(verified=True).count() == 5


def test_concurrent_partial_refunds_cannot_exceed_the_amount(payer):
    p = services.payment_create(
        payer=payer, amount_fen=1000, reference="checkout:43", subject="s", idempotency_key="k"
    )
    headers, body = sandbox_notification(
        settings.LINLI_PAYMENTS_SANDBOX_SECRET, out_trade_no=p.out_trade_no, amount_fen=1000
    )
    services.payment_notify(gateway="sandbox", headers=headers, body=body)
    results = run_concurrently(
        5,
        lambda i: services.refund_create(
            payment=Payment.objects.get(pk=p.pk), amount_fen=300, reason="", idempotency_key=f"r{i}"
        ),
    )
    ok = [r for r in results if isinstance(r, Refund)]
    refused = [r for r in results if isinstance(r, PaymentsError)]
    assert len(ok) == 3 and len(refused) == 2, results
    assert {e.spec.code for e in refused} == {"refund_exceeds"}
    p.refresh_from_db()
    assert p.refunded_fen == 900
    assert Refund.objects.filter(status="succeeded").count() == 3


def test_concurrent_refunds_with_one_key_make_one_refund(payer):
    p = services.payment_create(
        payer=payer, amount_fen=1000, reference="checkout:44", subject="s", idempotency_key="k"
    )
    headers, body = sandbox_notification(
        settings.LINLI_PAYMENTS_SANDBOX_SECRET, out_trade_no=p.out_trade_no, amount_fen=1000
    )
    services.payment_notify(gateway="sandbox", headers=headers, body=body)
    results = run_concurrently(
        5,
        lambda i: services.refund_create(
            payment=Payment.objects.get(pk=p.pk), amount_fen=600, reason="", idempotency_key="same"
        ),
    )
    assert all(isinstance(r, Refund) for r in results), results
    assert len({r.pk for r in results}) == 1  # type: ignore[union-attr]
    p.refresh_from_db()
    assert p.refunded_fen == 600


def test_concurrent_creates_with_one_key_make_one_payment(payer):
    results = run_concurrently(
        5,
        lambda i: services.payment_create(
            payer=payer,
            amount_fen=500,
            reference="checkout:45",
            subject="s",
            idempotency_key="same",
        ),
    )
    assert all(isinstance(r, Payment) for r in results), results
    assert len({r.pk for r in results}) == 1  # type: ignore[union-attr]
    assert Payment.objects.count() == 1
