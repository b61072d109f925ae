"""What a notification costs in statements, and that the cheaper path keeps every guarantee:
each notification logged (also when the capture fails), the returned payment as stored,
`payment_create(new=True)` one plain INSERT."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from linli.core import events
from linli.payments import services
from linli.payments.events import PaymentCaptured
from linli.payments.gateways import gateway_register
from linli.payments.gateways.sandbox import SandboxConfig, SandboxGateway, sandbox_notification
from linli.payments.models import Payment, PaymentNotification

pytestmark = pytest.mark.django_db


def make_payment(payer, key="k1", amount=1280) -> Payment:
    return services.payment_create(
        payer=payer,
        amount_fen=amount,
        reference="checkout:1",
        subject="邻里订单",
        idempotency_key=key,
    )


def signed(payment: Payment, **kw) -> tuple[dict[str, str], bytes]:
    headers, body = sandbox_notification(
        settings.LINLI_PAYMENTS_SANDBOX_SECRET,
        out_trade_no=payment.out_trade_no,
        amount_fen=payment.amount_fen,
        **kw,
    )
    return headers, body.encode()


def statements(ctx: CaptureQueriesContext) -> list[str]:
    """The statements run, without the savepoints the test's own transaction turns atomics into."""
    return [
        q["sql"]
        for q in ctx.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))
    ]


def test_a_capture_is_one_update_returning_and_one_insert(payer):
    p = make_payment(payer)
    services.payment_prepay(payment=p)
    headers, body = signed(p)
    with CaptureQueriesContext(connection) as ctx:
        result = services.payment_notify(gateway="sandbox", headers=headers, body=body)
    sql = statements(ctx)
    assert len(sql) == 2, sql
    assert sql[0].startswith('UPDATE "payments_payment"') and "RETURNING" in sql[0]
    assert sql[1].startswith('INSERT INTO "payments_paymentnotification"')
    # The payment comes back from RETURNING exactly as it is stored, types converted.
    stored = Payment.objects.get(pk=p.pk)
    for f in Payment._meta.concrete_fields:
        assert getattr(result, f.attname) == getattr(stored, f.attname), f.name
    assert result.status == Payment.Status.CAPTURED and result.captured_at is not None
    note = PaymentNotification.objects.get()
    assert (note.verified, note.outcome, note.payment_id, note.out_trade_no) == (
        True,
        "captured",
        p.pk,
        p.out_trade_no,
    )


def test_a_replay_reads_the_payment_to_say_duplicate(payer):
    p = make_payment(payer)
    headers, body = signed(p)
    services.payment_notify(gateway="sandbox", headers=headers, body=body)
    with CaptureQueriesContext(connection) as ctx:
        again = services.payment_notify(gateway="sandbox", headers=headers, body=body)
    assert [s.split()[0] for s in statements(ctx)] == ["UPDATE", "SELECT", "INSERT"]
    assert again.pk == p.pk and again.status == Payment.Status.CAPTURED
    assert list(PaymentNotification.objects.order_by("pk").values_list("outcome", flat=True)) == [
        "captured",
        "duplicate",
    ]


def test_a_rejected_notification_is_one_insert(payer):
    p = make_payment(payer)
    headers, body = signed(p)
    with CaptureQueriesContext(connection) as ctx, pytest.raises(services.PaymentsError):
        services.payment_notify(gateway="sandbox", headers=headers, body=body + b" ")
    sql = statements(ctx)
    assert len(sql) == 1 and sql[0].startswith('INSERT INTO "payments_paymentnotification"')
    note = PaymentNotification.objects.get()
    assert (note.verified, note.outcome, note.payment_id) == (False, "signature_invalid", None)


def test_a_capture_that_fails_still_leaves_the_notification_logged(payer):
    """Two payments notified with one gateway transaction id (a gateway bug): the second capture
    breaks the unique constraint and rolls back; its notification is kept, as received."""
    first, second = make_payment(payer, key="a"), make_payment(payer, key="b")
    headers, body = signed(first, transaction_id="SB-SAME")
    services.payment_notify(gateway="sandbox", headers=headers, body=body)
    headers, body = signed(second, transaction_id="SB-SAME")
    with pytest.raises(IntegrityError):
        services.payment_notify(gateway="sandbox", headers=headers, body=body)
    second.refresh_from_db()
    assert second.status == Payment.Status.CREATED
    rows = PaymentNotification.objects.order_by("pk")
    assert [(n.outcome, n.verified, n.payment_id, n.out_trade_no) for n in rows] == [
        ("captured", True, first.pk, first.out_trade_no),
        ("received", True, None, second.out_trade_no),
    ]


class BrokenVerifier(SandboxGateway):
    """A sandbox whose verification breaks in an unforeseen way (not a bad signature)."""

    def parse_notification(self, headers, body):
        raise ValueError("certificate store unreadable")


def test_a_verification_that_breaks_still_leaves_the_notification_logged(payer, settings):
    gateway_register(
        "sandbox",
        lambda: BrokenVerifier(SandboxConfig(secret=settings.LINLI_PAYMENTS_SANDBOX_SECRET)),
    )
    try:
        headers, body = signed(make_payment(payer))
        with pytest.raises(ValueError):
            services.payment_notify(gateway="sandbox", headers=headers, body=body)
    finally:
        gateway_register("sandbox", None)
    note = PaymentNotification.objects.get()
    assert (note.verified, note.outcome, note.payment_id, note.body) == (
        False,
        "received",
        None,
        body.decode(),
    )


@pytest.mark.django_db(transaction=True)
def test_a_subscriber_failing_after_the_commit_does_not_log_the_notification_twice(payer):
    """Handlers run on commit, inside payment_notify when no outer transaction is open: the
    capture and its log row are committed by then and stay as they are."""

    def broken(event: PaymentCaptured) -> None:
        raise RuntimeError("subscriber failed")

    events.subscribe(PaymentCaptured, broken)
    try:
        p = make_payment(payer)
        headers, body = signed(p)
        with pytest.raises(RuntimeError):
            services.payment_notify(gateway="sandbox", headers=headers, body=body)
    finally:
        events._handlers[PaymentCaptured].remove(broken)
    p.refresh_from_db()
    assert p.status == Payment.Status.CAPTURED
    assert list(PaymentNotification.objects.values_list("outcome", flat=True)) == ["captured"]


# --- payment_create(new=True) -----------------------------------------------------------------


def for_checkout(payer, n: int, **kw) -> Payment:  # type: ignore[no-untyped-def]
    """A checkout's payment as checkout creates it: 5 yuan, reference and key naming checkout n."""
    ref = f"checkout:{n}"
    args = {"amount_fen": 500, "reference": ref, "subject": "", "idempotency_key": ref, **kw}
    return services.payment_create(payer=payer, **args)


def test_create_new_is_one_plain_insert(payer):
    with CaptureQueriesContext(connection) as ctx:
        p = for_checkout(payer, 7, new=True)
    assert len(ctx.captured_queries) == 1, ctx.captured_queries  # no lookup, no savepoint
    assert ctx.captured_queries[0]["sql"].startswith('INSERT INTO "payments_payment"')
    assert (p.status, p.amount_fen, p.subject, p.idempotency_key) == (
        Payment.Status.CREATED,
        500,
        "checkout:7",
        "checkout:7",
    )
    assert Payment.objects.get(pk=p.pk).out_trade_no == p.out_trade_no


def test_create_new_lets_a_reused_key_fail_in_the_callers_transaction(payer):
    first = for_checkout(payer, 8)
    with pytest.raises(IntegrityError), transaction.atomic():
        for_checkout(payer, 8, new=True)
    # without new=True the same call is the idempotent retry it always was
    again = for_checkout(payer, 8)
    assert again.pk == first.pk
    assert Payment.objects.count() == 1


def test_create_new_validates_like_the_default(payer):
    with pytest.raises(services.PaymentsError):
        services.payment_create(
            payer=payer, amount_fen=0, reference="r", subject="", idempotency_key="k", new=True
        )
    assert not Payment.objects.exists()


# --- handed_over: pending at once when the gateway prepares offline ---------------------------


@pytest.mark.parametrize("gateway", ["sandbox", "alipay"])
def test_offline_gateway_payment_handed_over_is_pending_and_prepay_writes_nothing(
    payer, gateways_on, gateway, django_assert_num_queries
):
    p = services.payment_create(
        payer=payer,
        amount_fen=990,
        reference="checkout:41",
        subject="西红柿",
        idempotency_key=f"checkout:41:{gateway}",
        gateway=gateway,
        new=True,
        handed_over=True,
    )
    assert Payment.objects.get(pk=p.pk).status == Payment.Status.PENDING
    with django_assert_num_queries(0):
        result = services.payment_prepay(payment=p, fresh=True)
    assert result.out_trade_no == p.out_trade_no and (result.pay_url or result.params)
    # the resident can still pay it: a notification captures it as before
    if gateway == "sandbox":
        from linli.payments.gateways.sandbox import sandbox_notification

        headers, body = sandbox_notification(
            "sandbox-test-secret", out_trade_no=p.out_trade_no, amount_fen=990
        )
        assert services.payment_notify(gateway="sandbox", headers=headers, body=body).status == (
            Payment.Status.CAPTURED
        )


def test_online_gateway_payment_is_created_until_prepay(payer, gateways_on):
    """WeChat's prepay is a call to WeChat: the payment stays created until it has answered."""
    p = services.payment_create(
        payer=payer,
        amount_fen=990,
        reference="checkout:42",
        subject="西红柿",
        idempotency_key="checkout:42",
        gateway="wechat",
        new=True,
        handed_over=True,
    )
    assert Payment.objects.get(pk=p.pk).status == Payment.Status.CREATED
