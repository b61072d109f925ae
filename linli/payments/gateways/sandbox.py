"""The sandbox gateway: behaves like a real channel, with no money and no network.

`prepay` sends the payer to our own cashier page (/payments/sandbox/<out_trade_no>/). When the
payer confirms there, the "gateway" sends an asynchronous notification (a Celery task, see
`payments/tasks.py`) signed with HMAC-SHA256 over the exact body, header
`X-Linli-Signature: sha256=<hex>`, to the same notify service as WeChat and Alipay use.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from linli.payments.gateways.base import (
    Ack,
    Gateway,
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

SIGNATURE_HEADER = "X-Linli-Signature"


@dataclass(frozen=True)
class SandboxConfig:
    secret: str
    cashier_url: str = "/payments/sandbox/{out_trade_no}/"


def sandbox_sign(secret: str, body: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body.encode("utf-8"), hashlib.sha256).hexdigest()


def sandbox_transaction_id(secret: str, out_trade_no: str) -> str:
    """The sandbox's own number for a paid order: stable, so redeliveries carry the same one."""
    digest = hmac.new(secret.encode(), b"txn:" + out_trade_no.encode(), hashlib.sha256)
    return "SB" + digest.hexdigest()[:22].upper()


def sandbox_notification(
    secret: str,
    *,
    out_trade_no: str,
    amount_fen: int,
    paid: bool = True,
    transaction_id: str | None = None,
    at: datetime | None = None,
) -> tuple[dict[str, str], str]:
    """Build and sign a notification as the sandbox "platform" sends it: (headers, body)."""
    body = json.dumps(
        {
            "event": "payment.succeeded" if paid else "payment.closed",
            "out_trade_no": out_trade_no,
            "transaction_id": transaction_id or sandbox_transaction_id(secret, out_trade_no),
            "amount_fen": amount_fen,
            "at": (at or datetime.now(UTC)).isoformat(),
        },
        separators=(",", ":"),
        sort_keys=True,
    )
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sandbox_sign(secret, body),
    }
    return headers, body


class SandboxGateway(Gateway):
    slug = "sandbox"
    prepay_offline = True  # the cashier URL is built here
    logged_header_prefixes = ("x-linli-",)

    def __init__(self, config: SandboxConfig) -> None:
        if not config.secret:
            raise ValueError("the sandbox gateway needs a secret")
        self.config = config

    def prepay(
        self,
        payment: PaymentLike,
        *,
        return_url: str = "",
        options: Mapping[str, str] | None = None,
    ) -> PrepayResult:
        url = self.config.cashier_url.format(out_trade_no=payment.out_trade_no)
        if return_url:
            from urllib.parse import urlencode

            url += "?" + urlencode({"next": return_url})
        return PrepayResult(
            gateway=self.slug, out_trade_no=payment.out_trade_no, kind="redirect", pay_url=url
        )

    def sign(self, body: str) -> str:
        return sandbox_sign(self.config.secret, body)

    def parse_notification(self, headers: Mapping[str, str], body: bytes | str) -> Notification:
        text = body_text(body)
        given = lower_headers(headers).get(SIGNATURE_HEADER.lower(), "")
        if not given or not hmac.compare_digest(given, self.sign(text)):
            raise SignatureInvalid("sandbox signature does not match")
        try:
            data = json.loads(text)
            amount = data["amount_fen"]
            if not isinstance(amount, int) or isinstance(amount, bool):
                raise TypeError("amount_fen")
            return Notification(
                out_trade_no=str(data["out_trade_no"]),
                transaction_id=str(data["transaction_id"]),
                amount_fen=amount,
                paid=data.get("event") == "payment.succeeded",
                raw=data,
            )
        except (ValueError, KeyError, TypeError) as e:
            raise SignatureInvalid(f"sandbox notification malformed: {e}") from e

    def refund(self, payment: PaymentLike, refund: RefundLike) -> RefundResult:
        return RefundResult(
            status="succeeded",
            gateway_refund_id="SBR" + secrets.token_hex(8).upper(),
            raw={"out_refund_no": refund.out_refund_no, "amount_fen": refund.amount_fen},
        )

    def query(self, payment: PaymentLike) -> QueryResult:
        # The sandbox keeps no state of its own: what we recorded is what it knows.
        paid = bool(payment.transaction_id)
        return QueryResult(
            out_trade_no=payment.out_trade_no,
            state="SUCCESS" if paid else "NOTPAY",
            paid=paid,
            transaction_id=payment.transaction_id or "",
            amount_fen=payment.amount_fen,
        )

    def ack(self, ok: bool, message: str = "", status: int = 400) -> Ack:
        if ok:
            return Ack(200, "application/json", '{"code": "SUCCESS"}')
        return Ack(status, "application/json", json.dumps({"code": "FAIL", "message": message}))
