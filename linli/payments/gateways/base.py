"""The gateway interface: what every payment channel (sandbox, WeChat Pay, Alipay) provides.

Pure: no Django. A gateway is built from its own config (see `gateways/__init__.py` for the
registry that reads settings) and never touches the network in its constructor or in
`parse_notification`; only `prepay` (for WeChat), `refund` and `query` of the real channels call out.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol


class SignatureInvalid(Exception):
    """The notification could not be verified (bad signature, wrong key, tampered or undecryptable)."""


class GatewayUnavailable(Exception):
    """The gateway could not be reached or answered with an error."""


class PaymentLike(Protocol):
    out_trade_no: str
    amount_fen: int
    subject: str
    currency: str
    transaction_id: str | None


class RefundLike(Protocol):
    out_refund_no: str
    amount_fen: int
    reason: str


@dataclass(frozen=True)
class PrepayResult:
    """What the client needs to let the payer pay.

    kind: "redirect" (open `pay_url`: the sandbox cashier, Alipay's page), "qrcode" (`pay_url` is a
    weixin:// code URL to render as a QR code), "jsapi" / "app" (`params` for WeChat's JS bridge or
    SDK, `prepay_id` set).
    """

    gateway: str
    out_trade_no: str
    kind: Literal["redirect", "qrcode", "jsapi", "app"]
    pay_url: str = ""
    prepay_id: str = ""
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Notification:
    """A verified notification, reduced to what capture needs; `raw` keeps the decoded payload."""

    out_trade_no: str
    transaction_id: str
    amount_fen: int
    paid: bool
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RefundResult:
    status: Literal["succeeded", "pending", "failed"]
    gateway_refund_id: str = ""
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class QueryResult:
    out_trade_no: str
    state: str  # the gateway's own word: SUCCESS, NOTPAY, CLOSED, TRADE_SUCCESS, …
    paid: bool
    transaction_id: str = ""
    amount_fen: int | None = None
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Ack:
    """The HTTP answer a gateway expects to a notification."""

    status: int
    content_type: str
    body: str


def lower_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Header names lower-cased with '-' (accepts Django's META-style HTTP_X_Y too)."""
    out: dict[str, str] = {}
    for k, v in headers.items():
        name = k.lower()
        if name.startswith("http_"):
            name = name[5:].replace("_", "-")
        out[name] = str(v)
    return out


def body_text(body: bytes | str) -> str:
    if isinstance(body, bytes):
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError as e:
            raise SignatureInvalid("body is not UTF-8") from e
    return body


def fen_to_yuan(fen: int) -> str:
    """12345 → '123.45' (no separators, no symbol): what gateways take as an amount in yuan."""
    yuan, cents = divmod(int(fen), 100)
    return f"{yuan}.{cents:02d}"


class Gateway(abc.ABC):
    slug: str = ""
    # True when `prepay` only signs locally (no network call): a payment handed to the client in
    # the same answer that creates it can then be stored pending at once (no second write).
    prepay_offline: bool = False
    # Header names (lower case) worth keeping in the notification log.
    logged_header_prefixes: tuple[str, ...] = ()

    @abc.abstractmethod
    def prepay(
        self,
        payment: PaymentLike,
        *,
        return_url: str = "",
        options: Mapping[str, str] | None = None,
    ) -> PrepayResult: ...

    @abc.abstractmethod
    def parse_notification(self, headers: Mapping[str, str], body: bytes | str) -> Notification:
        """Verify and decode; raise SignatureInvalid on anything that does not verify."""

    @abc.abstractmethod
    def refund(self, payment: PaymentLike, refund: RefundLike) -> RefundResult: ...

    @abc.abstractmethod
    def query(self, payment: PaymentLike) -> QueryResult: ...

    def close(self, payment: PaymentLike) -> None:
        """Close an unpaid order at the gateway so it can no longer be paid (default: nothing)."""
        return None

    def ack(self, ok: bool, message: str = "", status: int = 400) -> Ack:
        """The answer to a notification: success stops the gateway's retries, failure keeps them."""
        if ok:
            return Ack(200, "application/json", '{"code": "SUCCESS"}')
        return Ack(status, "application/json", '{"code": "FAIL"}')
