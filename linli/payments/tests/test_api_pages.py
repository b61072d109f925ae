"""The payments API (notify, status, prepay, refunds) and the sandbox cashier pages."""

from __future__ import annotations

import json

import pytest
from django.conf import settings

from linli.payments import services
from linli.payments.gateways.sandbox import sandbox_notification
from linli.payments.models import Payment, PaymentNotification, Refund

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment(payer):
    return services.payment_create(
        payer=payer,
        amount_fen=2550,
        reference="checkout:3",
        subject="西红柿 2 斤",
        idempotency_key="k",
    )


def post_sandbox(client, payment, *, amount=None, secret=None):
    headers, body = sandbox_notification(
        secret or settings.LINLI_PAYMENTS_SANDBOX_SECRET,
        out_trade_no=payment.out_trade_no,
        amount_fen=payment.amount_fen if amount is None else amount,
    )
    return client.post(
        "/api/v1/payments/notify/sandbox",
        data=body,
        content_type="application/json",
        HTTP_X_LINLI_SIGNATURE=headers["X-Linli-Signature"],
    )


def capture(payment):
    headers, body = sandbox_notification(
        settings.LINLI_PAYMENTS_SANDBOX_SECRET,
        out_trade_no=payment.out_trade_no,
        amount_fen=payment.amount_fen,
    )
    services.payment_notify(gateway="sandbox", headers=headers, body=body)


def test_sandbox_notify_endpoint(client, payment):
    r = post_sandbox(client, payment)
    assert r.status_code == 200 and r.json() == {"code": "SUCCESS"}
    payment.refresh_from_db()
    assert payment.status == "captured"


def test_sandbox_notify_bad_signature_answers_coded_error(client, payment):
    r = post_sandbox(client, payment, secret="wrong")
    assert r.status_code == 400 and r.json()["code"] == "signature_invalid"
    assert r.json()["detail"] == "支付通知验签失败"
    r = post_sandbox(client, payment, amount=1)
    assert r.status_code == 409 and r.json()["code"] == "amount_mismatch"
    payment.refresh_from_db()
    assert payment.status == "created"


def test_notify_unknown_gateway(client, db):
    r = client.post("/api/v1/payments/notify/paypal", data=b"x", content_type="text/plain")
    assert r.status_code == 400 and r.json()["code"] == "gateway_unknown"
    assert PaymentNotification.objects.get().outcome == "gateway_unknown"


def test_notify_endpoint_in_english(client, payment):
    headers, body = sandbox_notification("wrong", out_trade_no=payment.out_trade_no, amount_fen=1)
    r = client.post(
        "/api/v1/payments/notify/sandbox",
        data=body,
        content_type="application/json",
        HTTP_X_LINLI_SIGNATURE=headers["X-Linli-Signature"],
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.json()["detail"] == "The payment notification's signature is invalid"


def test_payer_sees_the_status_others_do_not(client, payer, other, payment):
    client.force_login(payer)
    r = client.get(f"/api/v1/payments/{payment.out_trade_no}")
    assert r.status_code == 200
    data = r.json()
    assert (data["status"], data["amount_fen"], data["amount"], data["refunds"]) == (
        "created",
        2550,
        "¥25.50",
        [],
    )
    client.force_login(other)
    r = client.get(f"/api/v1/payments/{payment.out_trade_no}")
    assert r.status_code == 404 and r.json()["code"] == "payment_not_found"
    client.logout()
    assert client.get(f"/api/v1/payments/{payment.out_trade_no}").status_code == 401


def test_prepay_endpoint(client, payer, other, payment):
    client.force_login(payer)
    r = client.post(
        f"/api/v1/payments/{payment.out_trade_no}/prepay",
        data={"return_url": "/resident/"},
        content_type="application/json",
    )
    assert r.status_code == 200
    assert r.json()["pay_url"].startswith(f"/payments/sandbox/{payment.out_trade_no}/?next=")
    assert r.json()["kind"] == "redirect"
    client.force_login(other)
    r = client.post(
        f"/api/v1/payments/{payment.out_trade_no}/prepay", data={}, content_type="application/json"
    )
    assert r.status_code == 404


def test_refunds_are_for_admins(client, payer, admin_user, payment):
    capture(payment)
    url = f"/api/v1/payments/{payment.out_trade_no}/refunds"
    body = {"amount_fen": 550, "reason": "少称了", "idempotency_key": "refund-1"}
    client.force_login(payer)
    r = client.post(url, data=body, content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"
    client.force_login(admin_user)
    r = client.post(url, data=body, content_type="application/json")
    assert r.status_code == 201 and r.json()["status"] == "succeeded"
    again = client.post(url, data=body, content_type="application/json")
    assert again.json()["id"] == r.json()["id"]
    too_much = client.post(
        url,
        data={"amount_fen": 2001, "idempotency_key": "refund-2"},
        content_type="application/json",
    )
    assert too_much.status_code == 409 and too_much.json()["code"] == "refund_exceeds"
    detail = client.get(f"/api/v1/payments/{payment.out_trade_no}").json()
    assert detail["refunded_fen"] == 550 and len(detail["refunds"]) == 1
    assert Refund.objects.count() == 1


def test_openapi_lists_the_payment_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/payments/notify/{gateway}" in paths
    assert "/api/v1/payments/{out_trade_no}/refunds" in paths


# --- sandbox cashier ----------------------------------------------------------------------------


def test_cashier_page_shows_amount_and_buttons(client, payer, payment):
    client.force_login(payer)
    r = client.get(f"/payments/sandbox/{payment.out_trade_no}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert (
        "25.50" in html
        and "¥25.50" not in html
        and "西红柿 2 斤" in html
        and payment.out_trade_no in html
    )
    assert 'value="pay"' in html and 'value="cancel"' in html
    assert "layout-mobile" in html


def test_cashier_in_english(client, payer, payment):
    client.force_login(payer)
    r = client.get(f"/payments/sandbox/{payment.out_trade_no}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Confirm payment" in r.content.decode()


def test_confirm_sends_a_signed_notification_that_captures(
    client, payer, payment, django_capture_on_commit_callbacks, captured_events
):
    client.force_login(payer)
    services.payment_prepay(payment=payment, return_url="/resident/")
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            f"/payments/sandbox/{payment.out_trade_no}/", {"action": "pay", "next": "/resident/"}
        )
    assert r.status_code == 302 and r["Location"] == "/resident/"
    payment.refresh_from_db()
    assert payment.status == "captured"
    note = PaymentNotification.objects.get()
    assert note.verified and note.outcome == "captured" and note.headers["x-linli-signature"]
    assert len(captured_events) == 1
    done = client.get(f"/payments/sandbox/{payment.out_trade_no}/done/")
    assert 'data-status="captured"' in done.content.decode()
    page = client.get(f"/payments/sandbox/{payment.out_trade_no}/")
    assert 'value="pay"' not in page.content.decode()


def test_cancel_pays_nothing_and_unsafe_next_is_ignored(
    client, payer, payment, django_capture_on_commit_callbacks
):
    client.force_login(payer)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            f"/payments/sandbox/{payment.out_trade_no}/",
            {"action": "cancel", "next": "https://evil.example/"},
        )
    assert r["Location"] == f"/payments/sandbox/{payment.out_trade_no}/done/?cancelled=1"
    payment.refresh_from_db()
    assert payment.status == "created"
    assert PaymentNotification.objects.count() == 0


def test_cashier_is_the_payers_only(client, other, payment):
    assert client.get(f"/payments/sandbox/{payment.out_trade_no}/").status_code == 302  # login
    client.force_login(other)
    assert client.get(f"/payments/sandbox/{payment.out_trade_no}/").status_code == 404


def test_closed_payment_cannot_be_paid_at_the_cashier(
    client, payer, payment, django_capture_on_commit_callbacks
):
    services.payment_close(payment=payment)
    client.force_login(payer)
    page = client.get(f"/payments/sandbox/{payment.out_trade_no}/").content.decode()
    assert 'value="pay"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/payments/sandbox/{payment.out_trade_no}/", {"action": "pay"})
    payment.refresh_from_db()
    assert payment.status == "closed"


def test_sandbox_can_post_to_a_configured_notify_url(settings, payment, monkeypatch):
    """With LINLI_PAYMENTS_SANDBOX_NOTIFY_URL the task POSTs over HTTP like a real gateway."""
    from linli.payments import tasks
    from linli.payments.gateways.sandbox import sandbox_sign

    sent = []

    class Response:
        status = 200

        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

    def fake_urlopen(request, timeout):
        sent.append(request)
        return Response()

    settings.LINLI_PAYMENTS_SANDBOX_NOTIFY_URL = (
        "http://127.0.0.1:8000/api/v1/payments/notify/sandbox"
    )
    monkeypatch.setattr(tasks.urllib.request, "urlopen", fake_urlopen)
    assert (
        tasks.sandbox_deliver_notification.delay(out_trade_no=payment.out_trade_no).get() == "200"
    )
    (request,) = sent
    assert (
        request.full_url == settings.LINLI_PAYMENTS_SANDBOX_NOTIFY_URL and request.method == "POST"
    )
    body = request.data.decode()
    assert json.loads(body)["amount_fen"] == 2550
    assert request.get_header("X-linli-signature") == sandbox_sign(
        settings.LINLI_PAYMENTS_SANDBOX_SECRET, body
    )
    payment.refresh_from_db()
    assert payment.status == "created"  # captured only when that endpoint processes it


def test_cashier_404_when_sandbox_disabled(client, settings, payer, payment):
    settings.LINLI_PAYMENTS_GATEWAYS = ["wechat"]
    client.force_login(payer)
    assert client.get(f"/payments/sandbox/{payment.out_trade_no}/").status_code == 404


def test_redelivery_carries_the_same_transaction_id(payment):
    from linli.payments.tasks import sandbox_deliver_notification

    assert sandbox_deliver_notification.delay(out_trade_no=payment.out_trade_no).get() == "ok"
    assert sandbox_deliver_notification.delay(out_trade_no=payment.out_trade_no).get() == "ok"
    outcomes = list(PaymentNotification.objects.order_by("pk").values_list("outcome", flat=True))
    assert outcomes == ["captured", "duplicate"]
    assert Payment.objects.get().transaction_id.startswith("SB")


def test_cashier_speaks_chinese_by_default(client, payer, payment):
    client.force_login(payer)
    html = client.get(f"/payments/sandbox/{payment.out_trade_no}/").content.decode()
    assert "确认支付" in html and "沙箱收银台" in html and "取消" in html
