"""WeChat Pay v3: notifications built as the platform builds them (RSA-SHA256 signature with the
platform key over "timestamp\\nnonce\\nbody\\n", resource AES-256-GCM encrypted with the APIv3
key), with keys generated here. Nothing touches the network."""

from __future__ import annotations

import json
import time

import pytest

from linli.payments import services
from linli.payments.errors import PaymentsError
from linli.payments.gateways import gateway_get
from linli.payments.gateways.base import SignatureInvalid
from linli.payments.gateways.wechat import WeChatConfig, WeChatGateway
from linli.payments.models import Payment, PaymentNotification
from linli.payments.tests.helpers import APIV3_KEY, PUBLIC_KEY_ID, verify, wechat_notification

pytestmark = pytest.mark.usefixtures("no_network")


@pytest.fixture
def gw(keys) -> WeChatGateway:
    return WeChatGateway(
        WeChatConfig(
            appid="wx0000000000000001",
            mchid="1900000109",
            private_key=keys["wx_merchant_priv"],
            cert_serial_no="5157F09EFDC096DE15EBE81A47057A72",
            apiv3_key=APIV3_KEY,
            public_key=keys["wx_platform_pub"],
            public_key_id=PUBLIC_KEY_ID,
            notify_url="https://linli.example/api/v1/payments/notify/wechat",
        )
    )


def build(keys, **kw):
    args = {
        "platform_private_key": keys["wx_platform_priv"],
        "apiv3_key": APIV3_KEY,
        "public_key_id": PUBLIC_KEY_ID,
        "out_trade_no": "LL20260501ABCDEF0123456789",
        "amount_fen": 1280,
    }
    args.update(kw)
    return wechat_notification(**args)


def test_valid_notification_is_parsed(gw, keys):
    headers, body = build(keys)
    n = gw.parse_notification(headers, body.encode())
    assert (n.out_trade_no, n.amount_fen, n.paid) == ("LL20260501ABCDEF0123456789", 1280, True)
    assert n.transaction_id == "4200000000202605010000000001"
    assert n.raw["payer"]["openid"]


def test_django_meta_style_headers_work(gw, keys):
    headers, body = build(keys)
    meta = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}
    assert gw.parse_notification(meta, body).paid


def test_not_paid_state(gw, keys):
    headers, body = build(keys, trade_state="CLOSED", event_type="TRANSACTION.CLOSED")
    assert gw.parse_notification(headers, body).paid is False


def test_tampered_body_is_rejected(gw, keys):
    headers, body = build(keys)
    data = json.loads(body)
    data["summary"] = "支付成功!"
    with pytest.raises(SignatureInvalid):
        gw.parse_notification(headers, json.dumps(data, ensure_ascii=False))


def test_wrong_signature_is_rejected(gw, keys):
    headers, body = build(keys)
    headers["Wechatpay-Signature"] = headers["Wechatpay-Signature"][:-8] + "AAAAAAA="
    with pytest.raises(SignatureInvalid):
        gw.parse_notification(headers, body)
    headers["Wechatpay-Signature"] = "not base64 !!"
    with pytest.raises(SignatureInvalid):
        gw.parse_notification(headers, body)


def test_signed_with_another_key_is_rejected(gw, keys):
    headers, body = build(keys, platform_private_key=keys["other_priv"])
    with pytest.raises(SignatureInvalid):
        gw.parse_notification(headers, body)


def test_resource_encrypted_with_another_apiv3_key_is_rejected(gw, keys):
    headers, body = build(keys, apiv3_key="ffffffffffffffffffffffffffffffff")
    with pytest.raises(SignatureInvalid, match="decrypt"):
        gw.parse_notification(headers, body)


def test_unknown_serial_is_rejected_without_fetching_certificates(gw, keys):
    headers, body = build(keys, public_key_id="PUB_KEY_ID_SOMEONE_ELSE")
    with pytest.raises(SignatureInvalid, match="serial"):
        gw.parse_notification(headers, body)
    assert gw._client is None  # no HTTP client was ever built


def test_stale_timestamp_is_rejected(gw, keys):
    headers, body = build(keys, timestamp=int(time.time()) - 3600)
    with pytest.raises(SignatureInvalid, match="window"):
        gw.parse_notification(headers, body)


def test_missing_headers_and_other_signature_type(gw, keys):
    headers, body = build(keys)
    with pytest.raises(SignatureInvalid):
        gw.parse_notification({k: v for k, v in headers.items() if k != "Wechatpay-Nonce"}, body)
    with pytest.raises(SignatureInvalid):
        gw.parse_notification({**headers, "Wechatpay-Signature-Type": "SM2"}, body)


def test_another_merchants_notification_is_rejected(gw, keys):
    headers, body = build(keys, mchid="1999999999")
    with pytest.raises(SignatureInvalid, match="merchant"):
        gw.parse_notification(headers, body)


# --- through the service and the endpoint -------------------------------------------------------


@pytest.fixture
def wx_payment(db, payer, gateways_on):
    return services.payment_create(
        payer=payer,
        amount_fen=1280,
        reference="checkout:7",
        subject="邻里订单",
        idempotency_key="wx-1",
        gateway="wechat",
    )


def test_service_captures_a_valid_wechat_notification(wx_payment, keys):
    headers, body = build(keys, out_trade_no=wx_payment.out_trade_no)
    p = services.payment_notify(gateway="wechat", headers=headers, body=body.encode())
    assert p.status == Payment.Status.CAPTURED
    assert p.transaction_id == "4200000000202605010000000001"
    note = PaymentNotification.objects.get()
    assert note.verified and note.outcome == "captured"
    assert set(note.headers) >= {"wechatpay-serial", "wechatpay-signature", "wechatpay-timestamp"}


@pytest.mark.parametrize(
    "tamper",
    ["body", "signature", "platform_key", "apiv3_key"],
)
def test_service_rejects_bad_wechat_notifications(wx_payment, keys, tamper):
    kw = {"out_trade_no": wx_payment.out_trade_no}
    if tamper == "platform_key":
        kw["platform_private_key"] = keys["other_priv"]
    if tamper == "apiv3_key":
        kw["apiv3_key"] = "ffffffffffffffffffffffffffffffff"
    headers, body = build(keys, **kw)
    if tamper == "body":
        body = body.replace("支付成功", "支付成功了")
    if tamper == "signature":
        headers["Wechatpay-Signature"] = build(keys, **kw)[0]["Wechatpay-Signature"]
    with pytest.raises(PaymentsError) as e:
        services.payment_notify(gateway="wechat", headers=headers, body=body.encode())
    assert e.value.spec.code == "signature_invalid"
    wx_payment.refresh_from_db()
    assert wx_payment.status == Payment.Status.CREATED
    note = PaymentNotification.objects.get()
    assert (note.verified, note.outcome) == (False, "signature_invalid")


def test_wechat_endpoint_acks_in_wechat_format(client, wx_payment, keys):
    headers, body = build(keys, out_trade_no=wx_payment.out_trade_no)
    extra = {
        "HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items() if k != "Content-Type"
    }
    url = "/api/v1/payments/notify/wechat"
    r = client.post(url, data=body.encode(), content_type="application/json", **extra)
    assert r.status_code == 200 and r.json()["code"] == "SUCCESS"
    r = client.post(url, data=body.encode(), content_type="application/json", **extra)
    assert r.status_code == 200  # replay: acknowledged, nothing new
    bad = client.post(
        url, data=body.replace("支付成功", "x").encode(), content_type="application/json", **extra
    )
    assert bad.status_code == 400 and bad.json()["code"] == "FAIL"
    assert bad.json()["message"] == "signature_invalid"
    assert Payment.objects.get().status == "captured"
    assert PaymentNotification.objects.count() == 3


# --- prepay / refund / query with a stand-in HTTP client ----------------------------------------


class FakeClient:
    def __init__(self):
        self.calls: list[tuple[str, dict]] = []

    def pay(self, **kw):
        self.calls.append(("pay", kw))
        if kw["pay_type"].name == "NATIVE":
            return 200, json.dumps({"code_url": "weixin://wxpay/bizpayurl?pr=abc"})
        if kw["pay_type"].name == "H5":
            return 200, json.dumps(
                {"h5_url": "https://wx.tenpay.com/cgi-bin/mmpayweb?prepay_id=wx1"}
            )
        return 200, json.dumps({"prepay_id": "wx201410272009395522657a690389285100"})

    def refund(self, **kw):
        self.calls.append(("refund", kw))
        return 200, json.dumps(
            {"status": "PROCESSING", "refund_id": "50000000382019052709732678859"}
        )

    def query(self, **kw):
        self.calls.append(("query", kw))
        return 200, json.dumps(
            {"trade_state": "SUCCESS", "transaction_id": "42000001", "amount": {"total": 1280}}
        )

    def close(self, **kw):
        self.calls.append(("close", kw))
        return 204, ""


class P:
    out_trade_no = "LL20260501ABCDEF0123456789"
    amount_fen = 1280
    subject = "邻里订单"
    currency = "CNY"
    transaction_id = None


class R:
    out_refund_no = "LR20260501ABCDEF0123456789"
    amount_fen = 500
    reason = "缺货"


def test_prepay_native_jsapi_app(gw, keys):
    gw._client = client = FakeClient()
    native = gw.prepay(P())
    assert (native.kind, native.pay_url) == ("qrcode", "weixin://wxpay/bizpayurl?pr=abc")
    assert client.calls[0][1]["amount"] == {"total": 1280, "currency": "CNY"}
    js = gw.prepay(P(), options={"mode": "jsapi", "openid": "oUpF8u"})
    assert js.kind == "jsapi" and js.prepay_id.startswith("wx")
    p = js.params
    message = f"{p['appId']}\n{p['timeStamp']}\n{p['nonceStr']}\n{p['package']}\n".encode()
    assert verify(keys["wx_merchant_pub"], message, p["paySign"])  # WeChat checks it so
    app = gw.prepay(P(), options={"mode": "app"})
    a = app.params
    message = f"{a['appid']}\n{a['timestamp']}\n{a['noncestr']}\n{a['prepayid']}\n".encode()
    assert verify(keys["wx_merchant_pub"], message, a["sign"]) and a["partnerid"] == "1900000109"
    h5 = gw.prepay(P(), return_url="https://linli.example/orders/1/", options={"mode": "h5"})
    assert h5.kind == "redirect" and "redirect_url=https%3A%2F%2Flinli.example" in h5.pay_url


def test_refund_query_close(gw):
    gw._client = client = FakeClient()
    result = gw.refund(P(), R())
    assert result.status == "pending" and result.gateway_refund_id
    assert client.calls[-1][1]["amount"] == {"refund": 500, "total": 1280, "currency": "CNY"}
    q = gw.query(P())
    assert q.paid and q.amount_fen == 1280
    gw.close(P())
    assert client.calls[-1][0] == "close"


def test_registry_builds_wechat_from_settings_offline(gateways_on):
    gw = gateway_get("wechat")
    assert isinstance(gw, WeChatGateway) and gw._client is None
