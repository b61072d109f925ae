"""Alipay: asynchronous notifications signed RSA2 by "Alipay" (a key generated here)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from linli.payments import services
from linli.payments.errors import PaymentsError
from linli.payments.gateways.alipay import AlipayConfig, AlipayGateway
from linli.payments.gateways.base import SignatureInvalid
from linli.payments.models import Payment, PaymentNotification
from linli.payments.tests.helpers import alipay_notification, verify

pytestmark = pytest.mark.usefixtures("no_network")
APPID = "2021000000000001"


@pytest.fixture
def gw(keys) -> AlipayGateway:
    return AlipayGateway(
        AlipayConfig(
            appid=APPID,
            app_private_key=keys["app_priv"],
            alipay_public_key=keys["ali_pub"],
            notify_url="https://linli.example/api/v1/payments/notify/alipay",
        )
    )


def build(keys, **kw):
    args = {
        "alipay_private_key": keys["ali_priv"],
        "app_id": APPID,
        "out_trade_no": "LL20260501ABCDEF0123456789",
        "total_amount": "12.80",
    }
    args.update(kw)
    return alipay_notification(**args)


def test_valid_notification_is_parsed(gw, keys):
    n = gw.parse_notification({}, build(keys).encode())
    assert (n.out_trade_no, n.amount_fen, n.paid) == ("LL20260501ABCDEF0123456789", 1280, True)
    assert n.transaction_id.startswith("2026")


def test_wait_buyer_pay_is_not_paid(gw, keys):
    assert gw.parse_notification({}, build(keys, trade_status="WAIT_BUYER_PAY")).paid is False


def test_tampered_amount_is_rejected(gw, keys):
    body = build(keys).replace("total_amount=12.80", "total_amount=0.01")
    with pytest.raises(SignatureInvalid):
        gw.parse_notification({}, body)


def test_signed_with_another_key_is_rejected(gw, keys):
    with pytest.raises(SignatureInvalid):
        gw.parse_notification({}, build(keys, alipay_private_key=keys["other_priv"]))


def test_other_app_and_missing_sign_are_rejected(gw, keys):
    with pytest.raises(SignatureInvalid, match="app_id"):
        gw.parse_notification({}, build(keys, app_id="2021999999999999"))
    body = "&".join(p for p in build(keys).split("&") if not p.startswith("sign="))
    with pytest.raises(SignatureInvalid):
        gw.parse_notification({}, body)
    with pytest.raises(SignatureInvalid):
        gw.parse_notification({}, build(keys).replace("&sign=", "&sign=AAAA", 1))


def test_wap_prepay_url_is_signed_with_the_app_key(gw, keys):
    class P:
        out_trade_no = "LL20260501ABCDEF0123456789"
        amount_fen = 1280
        subject = "邻里订单"
        currency = "CNY"
        transaction_id = None

    r = gw.prepay(P(), return_url="https://linli.example/orders/1/")
    assert r.kind == "redirect" and r.pay_url.startswith("https://openapi.alipay.com/gateway.do?")
    params = dict(parse_qsl(urlsplit(r.pay_url).query))
    assert (
        params["method"] == "alipay.trade.wap.pay"
        and '"total_amount":"12.80"' in params["biz_content"]
    )
    sign = params.pop("sign")
    message = "&".join(f"{k}={v}" for k, v in sorted(params.items()))
    assert verify(keys["app_pub"], message.encode(), sign)


@pytest.fixture
def ali_payment(db, payer, gateways_on):
    return services.payment_create(
        payer=payer,
        amount_fen=1280,
        reference="checkout:8",
        subject="邻里订单",
        idempotency_key="ali-1",
        gateway="alipay",
    )


def test_endpoint_answers_success_and_captures_once(client, ali_payment, keys):
    body = build(keys, out_trade_no=ali_payment.out_trade_no)
    url = "/api/v1/payments/notify/alipay"
    for _ in range(2):
        r = client.post(url, data=body, content_type="application/x-www-form-urlencoded")
        assert r.status_code == 200 and r.content == b"success"
    ali_payment.refresh_from_db()
    assert ali_payment.status == Payment.Status.CAPTURED
    assert list(PaymentNotification.objects.order_by("pk").values_list("outcome", flat=True)) == [
        "captured",
        "duplicate",
    ]


def test_endpoint_refuses_tampered_and_wrong_amount(client, ali_payment, keys):
    url = "/api/v1/payments/notify/alipay"
    tampered = build(keys, out_trade_no=ali_payment.out_trade_no).replace("12.80", "0.01")
    r = client.post(url, data=tampered, content_type="application/x-www-form-urlencoded")
    assert r.status_code == 400 and r.content == b"failure"
    wrong = build(keys, out_trade_no=ali_payment.out_trade_no, total_amount="0.01")
    r = client.post(url, data=wrong, content_type="application/x-www-form-urlencoded")
    assert r.status_code == 409 and r.content == b"failure"
    ali_payment.refresh_from_db()
    assert ali_payment.status == Payment.Status.CREATED
    assert list(PaymentNotification.objects.order_by("pk").values_list("outcome", "verified")) == [
        ("signature_invalid", False),
        ("amount_mismatch", True),
    ]


def test_service_rejects_bad_signature(ali_payment, keys):
    with pytest.raises(PaymentsError) as e:
        services.payment_notify(
            gateway="alipay",
            headers={},
            body=build(
                keys, out_trade_no=ali_payment.out_trade_no, alipay_private_key=keys["other_priv"]
            ),
        )
    assert e.value.spec.code == "signature_invalid"
