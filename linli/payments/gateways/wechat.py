"""WeChat Pay API v3 adapter on `wechatpayv3`.

Notifications (微信支付回调通知) are verified here with the library's primitives
(`wechatpayv3.utils.rsa_verify`: RSA-SHA256 over "timestamp\\nnonce\\nbody\\n" with the WeChat Pay
platform public key; `aes_decrypt`: AES-256-GCM of `resource` with the APIv3 key). We use the
platform *public key* mode (微信支付公钥, `public_key` + `public_key_id`) and refuse any other
`Wechatpay-Serial`, so nothing here downloads platform certificates: the library's `Core` would
fetch /v3/certificates over the network when it meets an unknown serial, which a forged
notification could trigger. The HTTP client (`wechatpayv3.WeChatPay`) is only built when
`prepay`, `refund` or `query` need it, and in public-key mode its constructor is offline.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from wechatpayv3.utils import aes_decrypt, load_private_key, load_public_key, rsa_sign, rsa_verify

from linli.payments.gateways.base import (
    Ack,
    Gateway,
    GatewayUnavailable,
    Notification,
    PaymentLike,
    PrepayResult,
    QueryResult,
    RefundLike,
    RefundResult,
    SignatureInvalid,
    body_text,
    lower_headers,
)

SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048"


@dataclass(frozen=True)
class WeChatConfig:
    appid: str
    mchid: str
    private_key: str  # merchant API private key, PEM
    cert_serial_no: str  # merchant API certificate serial
    apiv3_key: str  # 32 bytes
    public_key: str  # WeChat Pay platform public key, PEM
    public_key_id: str  # e.g. PUB_KEY_ID_0112…
    notify_url: str = ""
    mode: str = "native"  # native | jsapi | app | h5
    max_skew_seconds: int = 300  # 0 disables the timestamp window


def jsapi_params(appid: str, prepay_id: str, private_key: Any, *, nonce: str, ts: str) -> dict:
    """What wx.requestPayment / WeixinJSBridge needs (paySign over appId, timeStamp, nonce, package)."""
    package = f"prepay_id={prepay_id}"
    sign = rsa_sign(private_key, f"{appid}\n{ts}\n{nonce}\n{package}\n")
    return {
        "appId": appid,
        "timeStamp": ts,
        "nonceStr": nonce,
        "package": package,
        "signType": "RSA",
        "paySign": sign,
    }


def app_params(
    appid: str, mchid: str, prepay_id: str, private_key: Any, *, nonce: str, ts: str
) -> dict:
    """What the WeChat app SDK (PayReq) needs."""
    sign = rsa_sign(private_key, f"{appid}\n{ts}\n{nonce}\n{prepay_id}\n")
    return {
        "appid": appid,
        "partnerid": mchid,
        "prepayid": prepay_id,
        "package": "Sign=WXPay",
        "noncestr": nonce,
        "timestamp": ts,
        "sign": sign,
    }


class WeChatGateway(Gateway):
    slug = "wechat"
    logged_header_prefixes = ("wechatpay-",)

    def __init__(
        self,
        config: WeChatConfig,
        *,
        client: Any = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self._public_key = load_public_key(config.public_key)
        self._private_key = load_private_key(config.private_key)
        self._client = client
        self._clock = clock

    # -- network side (lazy client) ----------------------------------------------------------
    @property
    def client(self) -> Any:
        if self._client is None:
            from wechatpayv3 import WeChatPay, WeChatPayType

            self._client = WeChatPay(
                wechatpay_type=getattr(WeChatPayType, self.config.mode.upper()),
                mchid=self.config.mchid,
                private_key=self.config.private_key,
                cert_serial_no=self.config.cert_serial_no,
                appid=self.config.appid,
                apiv3_key=self.config.apiv3_key,
                notify_url=self.config.notify_url,
                public_key=self.config.public_key,
                public_key_id=self.config.public_key_id,
                timeout=(5, 15),
            )
        return self._client

    def _call(self, fn: Callable[..., tuple[int, str]], **kwargs: Any) -> dict[str, Any]:
        try:
            code, message = fn(**kwargs)
        except Exception as e:  # requests errors, library validation
            raise GatewayUnavailable(f"wechat: {e}") from e
        try:
            data = json.loads(message) if message else {}
        except ValueError:
            data = {"message": message}
        if not 200 <= int(code) < 300:
            raise GatewayUnavailable(f"wechat answered {code}: {data.get('message', '')}")
        return data

    def prepay(
        self,
        payment: PaymentLike,
        *,
        return_url: str = "",
        options: Mapping[str, str] | None = None,
    ) -> PrepayResult:
        from wechatpayv3 import WeChatPayType

        options = options or {}
        mode = options.get("mode", self.config.mode)
        kwargs: dict[str, Any] = {
            "description": payment.subject[:127],
            "out_trade_no": payment.out_trade_no,
            "amount": {"total": payment.amount_fen, "currency": "CNY"},
            "pay_type": getattr(WeChatPayType, mode.upper()),
        }
        if mode == "jsapi":
            if not options.get("openid"):
                raise GatewayUnavailable("wechat jsapi needs the payer's openid")
            kwargs["payer"] = {"openid": options["openid"]}
        if mode == "h5":
            kwargs["scene_info"] = {
                "payer_client_ip": options.get("client_ip", "127.0.0.1"),
                "h5_info": {"type": "Wap"},
            }
        data = self._call(self.client.pay, **kwargs)
        nonce, ts = secrets.token_hex(16), str(int(self._clock()))
        if mode == "native":
            return PrepayResult(self.slug, payment.out_trade_no, "qrcode", pay_url=data["code_url"])
        if mode == "h5":
            url = data["h5_url"]
            if return_url:
                from urllib.parse import quote

                url += "&redirect_url=" + quote(return_url, safe="")
            return PrepayResult(self.slug, payment.out_trade_no, "redirect", pay_url=url)
        prepay_id = data["prepay_id"]
        if mode == "app":
            params = app_params(
                self.config.appid,
                self.config.mchid,
                prepay_id,
                self._private_key,
                nonce=nonce,
                ts=ts,
            )
            return PrepayResult(
                self.slug, payment.out_trade_no, "app", prepay_id=prepay_id, params=params
            )
        params = jsapi_params(self.config.appid, prepay_id, self._private_key, nonce=nonce, ts=ts)
        return PrepayResult(
            self.slug, payment.out_trade_no, "jsapi", prepay_id=prepay_id, params=params
        )

    def refund(self, payment: PaymentLike, refund: RefundLike) -> RefundResult:
        data = self._call(
            self.client.refund,
            out_refund_no=refund.out_refund_no,
            amount={"refund": refund.amount_fen, "total": payment.amount_fen, "currency": "CNY"},
            out_trade_no=payment.out_trade_no,
            reason=refund.reason[:80] or None,
        )
        state = data.get("status", "")
        status = {"SUCCESS": "succeeded", "PROCESSING": "pending"}.get(state, "failed")
        return RefundResult(status=status, gateway_refund_id=data.get("refund_id", ""), raw=data)  # type: ignore[arg-type]

    def close(self, payment: PaymentLike) -> None:
        self._call(self.client.close, out_trade_no=payment.out_trade_no)

    def query(self, payment: PaymentLike) -> QueryResult:
        data = self._call(self.client.query, out_trade_no=payment.out_trade_no)
        state = data.get("trade_state", "")
        return QueryResult(
            out_trade_no=payment.out_trade_no,
            state=state,
            paid=state == "SUCCESS",
            transaction_id=data.get("transaction_id", ""),
            amount_fen=(data.get("amount") or {}).get("total"),
            raw=data,
        )

    # -- notifications (offline) -------------------------------------------------------------
    def parse_notification(self, headers: Mapping[str, str], body: bytes | str) -> Notification:
        text = body_text(body)
        h = lower_headers(headers)
        if h.get("wechatpay-signature-type", SIGNATURE_TYPE) != SIGNATURE_TYPE:
            raise SignatureInvalid("unsupported signature type")
        if h.get("wechatpay-serial", "") != self.config.public_key_id:
            raise SignatureInvalid("unknown WeChat Pay key serial")
        ts, nonce, signature = (
            h.get("wechatpay-timestamp", ""),
            h.get("wechatpay-nonce", ""),
            h.get("wechatpay-signature", ""),
        )
        if not (ts.isdigit() and nonce and signature):
            raise SignatureInvalid("signature headers missing")
        if (
            self.config.max_skew_seconds
            and abs(self._clock() - int(ts)) > self.config.max_skew_seconds
        ):
            raise SignatureInvalid("timestamp outside the accepted window")
        try:
            ok = rsa_verify(ts, nonce, text, signature, self._public_key)
        except Exception as e:
            raise SignatureInvalid(f"verification failed: {e}") from e
        if not ok:
            raise SignatureInvalid("RSA signature does not verify")
        try:
            envelope = json.loads(text)
            resource = envelope["resource"]
            if resource.get("algorithm") != "AEAD_AES_256_GCM":
                raise SignatureInvalid("unsupported resource algorithm")
            plain = aes_decrypt(
                nonce=resource["nonce"],
                ciphertext=resource["ciphertext"],
                associated_data=resource.get("associated_data", ""),
                apiv3_key=self.config.apiv3_key,
            )
        except SignatureInvalid:
            raise
        except Exception as e:  # malformed JSON, missing fields, bad key length
            raise SignatureInvalid(f"resource cannot be decrypted: {e}") from e
        if plain is None:
            raise SignatureInvalid("resource cannot be decrypted with the APIv3 key")
        try:
            tx = json.loads(plain)
            if tx.get("mchid") and tx["mchid"] != self.config.mchid:
                raise SignatureInvalid("notification for another merchant")
            amount = int(tx["amount"]["total"])
            paid = (
                envelope.get("event_type") == "TRANSACTION.SUCCESS"
                and tx.get("trade_state") == "SUCCESS"
            )
            return Notification(
                out_trade_no=str(tx["out_trade_no"]),
                transaction_id=str(tx.get("transaction_id", "")),
                amount_fen=amount,
                paid=paid,
                raw=tx,
            )
        except SignatureInvalid:
            raise
        except (ValueError, KeyError, TypeError) as e:
            raise SignatureInvalid(f"resource malformed: {e}") from e

    def ack(self, ok: bool, message: str = "", status: int = 400) -> Ack:
        # WeChat Pay: 200/204 means received; any 4xx/5xx with {"code": "FAIL"} makes it retry.
        if ok:
            return Ack(200, "application/json", '{"code": "SUCCESS", "message": "成功"}')
        return Ack(
            status,
            "application/json",
            json.dumps({"code": "FAIL", "message": message or "失败"}, ensure_ascii=False),
        )
