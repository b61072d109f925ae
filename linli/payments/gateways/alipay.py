"""Alipay adapter on `python-alipay-sdk` (RSA2: SHA256withRSA).

Asynchronous notifications (异步通知) are form-encoded POSTs; the signature covers every parameter
except `sign` and `sign_type`, sorted by name and joined as k=v with '&' (the library's `verify`).
We also require `app_id` to be ours. The library's constructor only loads keys (no network);
`prepay` builds a signed wap/page pay URL offline; `refund` and `query` call the gateway.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from linli.core.money import parse_yuan
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
    fen_to_yuan,
)

GATEWAY_URL = "https://openapi.alipay.com/gateway.do"
SANDBOX_GATEWAY_URL = "https://openapi-sandbox.dl.alipaydev.com/gateway.do"
PAID_STATES = ("TRADE_SUCCESS", "TRADE_FINISHED")


@dataclass(frozen=True)
class AlipayConfig:
    appid: str
    app_private_key: str  # PEM (or bare base64, wrapped here)
    alipay_public_key: str  # Alipay's public key, PEM (or bare base64)
    notify_url: str = ""
    return_url: str = ""
    sandbox: bool = False
    mode: str = "wap"  # wap (mobile web) | page (desktop) | app


def _pem(key: str, kind: str) -> str:
    key = key.strip()
    if key.startswith("-----BEGIN"):
        return key
    body = "\n".join(key[i : i + 64] for i in range(0, len(key), 64))
    return f"-----BEGIN {kind}-----\n{body}\n-----END {kind}-----"


class AlipayGateway(Gateway):
    slug = "alipay"
    prepay_offline = True  # order strings are signed here, Alipay is not called
    logged_header_prefixes = ()

    def __init__(self, config: AlipayConfig, *, client: Any = None) -> None:
        from alipay import AliPay

        self.config = config
        self.client = client or AliPay(
            appid=config.appid,
            app_notify_url=config.notify_url or None,
            app_private_key_string=_pem(config.app_private_key, "RSA PRIVATE KEY"),
            alipay_public_key_string=_pem(config.alipay_public_key, "PUBLIC KEY"),
            sign_type="RSA2",
            debug=config.sandbox,
        )

    @property
    def gateway_url(self) -> str:
        return SANDBOX_GATEWAY_URL if self.config.sandbox else GATEWAY_URL

    def prepay(
        self,
        payment: PaymentLike,
        *,
        return_url: str = "",
        options: Mapping[str, str] | None = None,
    ) -> PrepayResult:
        mode = (options or {}).get("mode", self.config.mode)
        common = {
            "subject": payment.subject[:256],
            "out_trade_no": payment.out_trade_no,
            "total_amount": fen_to_yuan(payment.amount_fen),
        }
        if mode == "app":
            order_string = self.client.api_alipay_trade_app_pay(**common)
            return PrepayResult(
                self.slug, payment.out_trade_no, "app", params={"order_string": order_string}
            )
        build = (
            self.client.api_alipay_trade_page_pay
            if mode == "page"
            else self.client.api_alipay_trade_wap_pay
        )
        order_string = build(**common, return_url=return_url or self.config.return_url or None)
        return PrepayResult(
            self.slug,
            payment.out_trade_no,
            "redirect",
            pay_url=f"{self.gateway_url}?{order_string}",
        )

    def parse_notification(self, headers: Mapping[str, str], body: bytes | str) -> Notification:
        text = body_text(body)
        data = dict(parse_qsl(text, keep_blank_values=True))
        signature = data.pop("sign", "")
        if not signature:
            raise SignatureInvalid("no sign parameter")
        if data.get("app_id") != self.config.appid:
            raise SignatureInvalid("notification for another app_id")
        if data.get("sign_type", "RSA2") != "RSA2":
            raise SignatureInvalid("unsupported sign_type")
        try:
            ok = self.client.verify(dict(data), signature)
        except Exception as e:  # bad base64, unknown sign type
            raise SignatureInvalid(f"verification failed: {e}") from e
        if not ok:
            raise SignatureInvalid("RSA2 signature does not verify")
        try:
            amount = parse_yuan(data["total_amount"])
            return Notification(
                out_trade_no=data["out_trade_no"],
                transaction_id=data.get("trade_no", ""),
                amount_fen=amount,
                paid=data.get("trade_status") in PAID_STATES,
                raw=data,
            )
        except (KeyError, ValueError) as e:
            raise SignatureInvalid(f"notification malformed: {e}") from e

    def refund(self, payment: PaymentLike, refund: RefundLike) -> RefundResult:
        try:
            data = self.client.api_alipay_trade_refund(
                refund_amount=fen_to_yuan(refund.amount_fen),
                out_trade_no=payment.out_trade_no,
                out_request_no=refund.out_refund_no,
                refund_reason=refund.reason[:256] or None,
            )
        except Exception as e:
            raise GatewayUnavailable(f"alipay: {e}") from e
        ok = data.get("code") == "10000"
        return RefundResult(
            status="succeeded" if ok else "failed",
            gateway_refund_id=data.get("trade_no", "") if ok else "",
            raw=dict(data),
        )

    def close(self, payment: PaymentLike) -> None:
        try:
            data = self.client.api_alipay_trade_close(out_trade_no=payment.out_trade_no)
        except Exception as e:
            raise GatewayUnavailable(f"alipay: {e}") from e
        # ACQ.TRADE_NOT_EXIST: the payer never opened the cashier, nothing to close.
        if data.get("code") != "10000" and data.get("sub_code") != "ACQ.TRADE_NOT_EXIST":
            raise GatewayUnavailable(f"alipay close: {data.get('sub_code', data.get('code'))}")

    def query(self, payment: PaymentLike) -> QueryResult:
        try:
            data = self.client.api_alipay_trade_query(out_trade_no=payment.out_trade_no)
        except Exception as e:
            raise GatewayUnavailable(f"alipay: {e}") from e
        state = data.get("trade_status", data.get("sub_code", ""))
        amount = data.get("total_amount")
        return QueryResult(
            out_trade_no=payment.out_trade_no,
            state=state,
            paid=state in PAID_STATES,
            transaction_id=data.get("trade_no", ""),
            amount_fen=parse_yuan(amount) if amount else None,
            raw=dict(data),
        )

    def ack(self, ok: bool, message: str = "", status: int = 400) -> Ack:
        # Alipay retries until it reads exactly "success" (plain text).
        return Ack(200, "text/plain", "success") if ok else Ack(status, "text/plain", "failure")
