"""Payments services on SQLite: idempotent create, prepay, capture-once by notification, close,
refunds within the captured amount, events only on transitions."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from linli.core.errors import CoreError
from linli.payments import services
from linli.payments.errors import PaymentsError
from linli.payments.events import PaymentCaptured, RefundSucceeded
from linli.payments.gateways import gateway_register
from linli.payments.gateways.base import GatewayUnavailable, RefundResult
from linli.payments.gateways.sandbox import SandboxConfig, SandboxGateway, sandbox_notification
from linli.payments.models import Payment, PaymentNotification, Refund

pytestmark = pytest.mark.django_db


def make_payment(payer, amount=1280, key="k1", reference="checkout:1") -> Payment:
    return services.payment_create(
        payer=payer, amount_fen=amount, reference=reference, subject="邻里订单", idempotency_key=key
    )


def notify(payment: Payment, *, amount=None, paid=True, secret=None):
    headers, body = sandbox_notification(
        secret or settings.LINLI_PAYMENTS_SANDBOX_SECRET,
        out_trade_no=payment.out_trade_no,
        amount_fen=payment.amount_fen if amount is None else amount,
        paid=paid,
    )
    return services.payment_notify(gateway="sandbox", headers=headers, body=body.encode())


def captured(payer, amount=1000, key="k1", reference="checkout:1", run=None) -> Payment:
    p = make_payment(payer, amount=amount, key=key, reference=reference)
    notify(p)
    p.refresh_from_db()
    assert p.status == Payment.Status.CAPTURED
    return p


def code_of(excinfo) -> str:
    return excinfo.value.spec.code


# --- create -----------------------------------------------------------------------------------


def test_create_gives_an_out_trade_no_and_starts_created(payer):
    p = make_payment(payer)
    assert re.fullmatch(r"LL\d{8}[0-9A-F]{14}", p.out_trade_no)
    assert p.status == Payment.Status.CREATED
    assert (p.currency, p.gateway, p.refunded_fen, p.transaction_id) == ("CNY", "sandbox", 0, None)


def test_same_key_returns_the_same_payment(payer, other):
    a = make_payment(payer, key="checkout:1:try1")
    b = make_payment(payer, key="checkout:1:try1")
    assert a.pk == b.pk and Payment.objects.count() == 1
    # the key is per payer
    c = make_payment(other, key="checkout:1:try1")
    assert c.pk != a.pk


def test_same_key_different_amount_is_refused(payer):
    make_payment(payer, amount=100)
    with pytest.raises(PaymentsError) as e:
        make_payment(payer, amount=200)
    assert code_of(e) == "idempotency_mismatch"


@pytest.mark.parametrize("amount", [0, -5, True, 1.5])
def test_amount_must_be_positive_fen(payer, amount):
    with pytest.raises(PaymentsError) as e:
        make_payment(payer, amount=amount)
    assert code_of(e) == "amount_invalid"


def test_unknown_or_disabled_gateway(payer):
    with pytest.raises(PaymentsError) as e:
        services.payment_create(
            payer=payer,
            amount_fen=1,
            reference="r",
            subject="s",
            idempotency_key="k",
            gateway="paypal",
        )
    assert code_of(e) == "gateway_unknown"
    with pytest.raises(PaymentsError):  # wechat is known but not enabled by default
        services.payment_create(
            payer=payer,
            amount_fen=1,
            reference="r",
            subject="s",
            idempotency_key="k",
            gateway="wechat",
        )


def test_bad_key_and_reference(payer):
    with pytest.raises(CoreError):
        make_payment(payer, key="")
    with pytest.raises(CoreError):
        make_payment(payer, reference="")


# --- prepay -----------------------------------------------------------------------------------


def test_prepay_points_at_the_sandbox_cashier_and_marks_pending(payer):
    p = make_payment(payer)
    result = services.payment_prepay(payment=p, return_url="/orders/1/")
    assert result.kind == "redirect"
    assert result.pay_url == f"/payments/sandbox/{p.out_trade_no}/?next=%2Forders%2F1%2F"
    p.refresh_from_db()
    assert p.status == Payment.Status.PENDING
    services.payment_prepay(payment=p)  # again: still pending, fine


def test_prepay_refused_when_closed_or_paid(payer):
    p = make_payment(payer)
    services.payment_close(payment=p)
    with pytest.raises(PaymentsError) as e:
        services.payment_prepay(payment=p)
    assert code_of(e) == "already_closed"
    q = captured(payer, key="k2", reference="checkout:2")
    with pytest.raises(PaymentsError) as e:
        services.payment_prepay(payment=q)
    assert code_of(e) == "already_paid"


# --- notify / capture -------------------------------------------------------------------------


def test_valid_notification_captures_and_publishes_once(
    payer, captured_events, django_capture_on_commit_callbacks
):
    p = make_payment(payer)
    services.payment_prepay(payment=p)
    with django_capture_on_commit_callbacks(execute=True):
        result = notify(p)
    assert result.pk == p.pk
    p.refresh_from_db()
    assert p.status == Payment.Status.CAPTURED
    assert p.transaction_id and p.transaction_id.startswith("SB")
    assert p.captured_at is not None
    assert captured_events == [
        PaymentCaptured(payment_id=p.pk, reference="checkout:1", amount_fen=1280)
    ]
    note = PaymentNotification.objects.get()
    assert (note.verified, note.outcome, note.payment_id) == (True, "captured", p.pk)
    assert "x-linli-signature" in note.headers
    assert p.out_trade_no in note.body


def test_replay_returns_the_same_payment_and_publishes_nothing(
    payer, captured_events, django_capture_on_commit_callbacks
):
    p = make_payment(payer)
    with django_capture_on_commit_callbacks(execute=True):
        notify(p)
    first = Payment.objects.get(pk=p.pk)
    with django_capture_on_commit_callbacks(execute=True):
        again = notify(p)
        notify(p)
    assert again.pk == p.pk and again.status == Payment.Status.CAPTURED
    assert again.captured_at == first.captured_at
    assert len(captured_events) == 1
    outcomes = list(PaymentNotification.objects.order_by("pk").values_list("outcome", flat=True))
    assert outcomes == ["captured", "duplicate", "duplicate"]


def test_tampered_body_is_rejected_logged_and_captures_nothing(payer, captured_events):
    p = make_payment(payer)
    headers, body = sandbox_notification(
        settings.LINLI_PAYMENTS_SANDBOX_SECRET, out_trade_no=p.out_trade_no, amount_fen=p.amount_fen
    )
    tampered = body.replace('"amount_fen":1280', '"amount_fen":1')
    assert tampered != body
    with pytest.raises(PaymentsError) as e:
        services.payment_notify(gateway="sandbox", headers=headers, body=tampered)
    assert code_of(e) == "signature_invalid"
    p.refresh_from_db()
    assert p.status == Payment.Status.CREATED
    note = PaymentNotification.objects.get()
    assert (note.verified, note.outcome, note.payment_id) == (False, "signature_invalid", None)
    assert note.body == tampered


def test_wrong_secret_and_missing_signature_are_rejected(payer):
    p = make_payment(payer)
    with pytest.raises(PaymentsError) as e:
        notify(p, secret="not-the-secret")
    assert code_of(e) == "signature_invalid"
    with pytest.raises(PaymentsError):
        services.payment_notify(gateway="sandbox", headers={}, body=b'{"out_trade_no": "x"}')
    assert PaymentNotification.objects.filter(outcome="signature_invalid").count() == 2
    p.refresh_from_db()
    assert p.status == Payment.Status.CREATED


def test_amount_mismatch_is_logged_and_not_captured(payer, captured_events):
    p = make_payment(payer)
    with pytest.raises(PaymentsError) as e:
        notify(p, amount=1)
    assert code_of(e) == "amount_mismatch"
    assert "1280" in e.value.message("en")
    p.refresh_from_db()
    assert p.status == Payment.Status.CREATED and p.transaction_id is None
    note = PaymentNotification.objects.get()
    assert (note.verified, note.outcome, note.payment_id) == (True, "amount_mismatch", p.pk)
    assert captured_events == []


def test_unknown_trade_number(payer):
    headers, body = sandbox_notification(
        settings.LINLI_PAYMENTS_SANDBOX_SECRET, out_trade_no="LL20260101NOPE", amount_fen=5
    )
    with pytest.raises(PaymentsError) as e:
        services.payment_notify(gateway="sandbox", headers=headers, body=body)
    assert code_of(e) == "payment_not_found"
    assert PaymentNotification.objects.get().outcome == "payment_not_found"


def test_unknown_gateway_is_logged_too(db):
    with pytest.raises(PaymentsError) as e:
        services.payment_notify(gateway="paypal", headers={"Content-Type": "x"}, body=b"hello")
    assert code_of(e) == "gateway_unknown"
    note = PaymentNotification.objects.get()
    assert (note.gateway, note.outcome, note.verified, note.body) == (
        "paypal",
        "gateway_unknown",
        False,
        "hello",
    )


def test_a_not_paid_notification_does_not_capture(payer):
    p = make_payment(payer)
    notify(p, paid=False)
    p.refresh_from_db()
    assert p.status == Payment.Status.CREATED
    assert PaymentNotification.objects.get().outcome == "not_paid"


def test_paid_after_close_stays_closed_and_is_flagged(payer, captured_events):
    p = make_payment(payer)
    services.payment_close(payment=p)
    notify(p)
    p.refresh_from_db()
    assert p.status == Payment.Status.CLOSED
    assert PaymentNotification.objects.get().outcome == "late"
    assert captured_events == []


# --- close ------------------------------------------------------------------------------------


def test_close_is_idempotent_and_refuses_paid(payer):
    p = make_payment(payer)
    services.payment_prepay(payment=p)
    assert services.payment_close(payment=p).status == Payment.Status.CLOSED
    assert services.payment_close(payment=p).status == Payment.Status.CLOSED
    q = captured(payer, key="k2", reference="checkout:2")
    with pytest.raises(PaymentsError) as e:
        services.payment_close(payment=q)
    assert code_of(e) == "already_paid"


def test_close_expired_closes_only_old_unpaid(payer):
    old = make_payment(payer, key="old", reference="r:old")
    new = make_payment(payer, key="new", reference="r:new")
    paid = captured(payer, key="paid", reference="r:paid")
    Payment.objects.filter(pk__in=[old.pk, paid.pk]).update(
        created_at=timezone.now() - timedelta(hours=2)
    )
    assert services.payments_close_expired(older_than_minutes=30) == 1
    statuses = dict(Payment.objects.values_list("pk", "status"))
    assert statuses == {old.pk: "closed", new.pk: "created", paid.pk: "captured"}


# --- refunds ----------------------------------------------------------------------------------


def test_full_refund(payer, captured_events, django_capture_on_commit_callbacks):
    p = captured(payer)
    with django_capture_on_commit_callbacks(execute=True):
        r = services.refund_create(payment=p, amount_fen=1000, reason="缺货", idempotency_key="r1")
    assert r.status == Refund.Status.SUCCEEDED and r.gateway_refund_id.startswith("SBR")
    assert re.fullmatch(r"LR\d{8}[0-9A-F]{14}", r.out_refund_no)
    p.refresh_from_db()
    assert p.refunded_fen == 1000 and p.refundable_fen == 0
    assert captured_events == [
        RefundSucceeded(payment_id=p.pk, refund_id=r.pk, reference="checkout:1", amount_fen=1000)
    ]


def test_partial_refunds_up_to_the_amount_then_refused(payer):
    p = captured(payer, amount=1000)
    services.refund_create(payment=p, amount_fen=300, reason="a", idempotency_key="r1")
    services.refund_create(payment=p, amount_fen=700, reason="b", idempotency_key="r2")
    with pytest.raises(PaymentsError) as e:
        services.refund_create(payment=p, amount_fen=1, reason="c", idempotency_key="r3")
    assert code_of(e) == "refund_exceeds"
    assert Refund.objects.count() == 2  # the refused one left no row
    p.refresh_from_db()
    assert p.refunded_fen == 1000


def test_refund_exceeding_says_what_is_left(payer):
    p = captured(payer, amount=1000)
    services.refund_create(payment=p, amount_fen=400, reason="", idempotency_key="r1")
    with pytest.raises(PaymentsError) as e:
        services.refund_create(payment=p, amount_fen=601, reason="", idempotency_key="r2")
    assert e.value.params == {"available": 600}
    assert "600" in e.value.message("zh-hans")


def test_same_refund_key_returns_the_same_refund(
    payer, captured_events, django_capture_on_commit_callbacks
):
    p = captured(payer, amount=1000)
    with django_capture_on_commit_callbacks(execute=True):
        a = services.refund_create(payment=p, amount_fen=300, reason="", idempotency_key="same")
        b = services.refund_create(payment=p, amount_fen=300, reason="", idempotency_key="same")
    assert a.pk == b.pk
    p.refresh_from_db()
    assert p.refunded_fen == 300
    assert len([e for e in captured_events if isinstance(e, RefundSucceeded)]) == 1


def test_refund_of_an_unpaid_payment(payer):
    p = make_payment(payer)
    with pytest.raises(PaymentsError) as e:
        services.refund_create(payment=p, amount_fen=1, reason="", idempotency_key="r1")
    assert code_of(e) == "not_captured"


def test_refund_permission(payer, admin_user):
    p = captured(payer)
    with pytest.raises(CoreError) as e:
        services.refund_create(
            payment=p, amount_fen=1, reason="", idempotency_key="r1", actor=payer
        )
    assert e.value.spec.code == "permission_denied"
    r = services.refund_create(
        payment=p, amount_fen=1, reason="", idempotency_key="r1", actor=admin_user
    )
    assert r.requested_by == admin_user


@pytest.mark.parametrize("amount", [0, -1])
def test_refund_amount_must_be_positive(payer, amount):
    p = captured(payer)
    with pytest.raises(PaymentsError) as e:
        services.refund_create(payment=p, amount_fen=amount, reason="", idempotency_key="r1")
    assert code_of(e) == "amount_invalid"


class FlakyGateway(SandboxGateway):
    """A sandbox whose refunds fail, or whose network is down, on demand."""

    mode = "fail"

    def refund(self, payment, refund):
        if FlakyGateway.mode == "down":
            raise GatewayUnavailable("timeout")
        if FlakyGateway.mode == "fail":
            return RefundResult(status="failed")
        return super().refund(payment, refund)


@pytest.fixture
def flaky(settings):
    gateway_register(
        "sandbox",
        lambda: FlakyGateway(SandboxConfig(secret=settings.LINLI_PAYMENTS_SANDBOX_SECRET)),
    )
    yield FlakyGateway
    gateway_register("sandbox", None)


def test_a_failed_refund_gives_its_claim_back(payer, flaky, captured_events):
    p = captured(payer, amount=1000)
    flaky.mode = "fail"
    r = services.refund_create(payment=p, amount_fen=1000, reason="", idempotency_key="r1")
    assert r.status == Refund.Status.FAILED
    p.refresh_from_db()
    assert p.refunded_fen == 0
    flaky.mode = "ok"
    r2 = services.refund_create(payment=p, amount_fen=1000, reason="", idempotency_key="r2")
    assert r2.status == Refund.Status.SUCCEEDED


def test_gateway_down_keeps_the_claim_and_a_retry_finishes(payer, flaky):
    p = captured(payer, amount=1000)
    flaky.mode = "down"
    with pytest.raises(PaymentsError) as e:
        services.refund_create(payment=p, amount_fen=600, reason="", idempotency_key="r1")
    assert code_of(e) == "gateway_error"
    r = Refund.objects.get()
    assert r.status == Refund.Status.REQUESTED
    p.refresh_from_db()
    assert p.refunded_fen == 600  # still claimed: another refund cannot take it
    with pytest.raises(PaymentsError):
        services.refund_create(payment=p, amount_fen=500, reason="", idempotency_key="r2")
    flaky.mode = "ok"
    again = services.refund_create(payment=p, amount_fen=600, reason="", idempotency_key="r1")
    assert again.pk == r.pk and again.status == Refund.Status.SUCCEEDED


def test_check_constraint_backs_up_the_refund_sum(payer):
    from django.db import IntegrityError, transaction

    p = captured(payer, amount=1000)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=p.pk).update(refunded_fen=1001)
    q = make_payment(payer, key="k9", reference="r9")
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=q.pk).update(refunded_fen=1)  # not captured: nothing refundable
