from __future__ import annotations

from datetime import datetime

from ninja import Schema


class RefundOut(Schema):
    id: int
    out_refund_no: str
    amount_fen: int
    reason: str
    status: str
    created_at: datetime
    completed_at: datetime | None


class PaymentOut(Schema):
    id: int
    out_trade_no: str
    status: str
    gateway: str
    amount_fen: int
    amount: str
    currency: str
    reference: str
    subject: str
    refunded_fen: int
    created_at: datetime
    captured_at: datetime | None
    refunds: list[RefundOut]


class PrepayIn(Schema):
    return_url: str = ""


class PrepayOut(Schema):
    gateway: str
    out_trade_no: str
    kind: str
    pay_url: str
    prepay_id: str
    params: dict[str, str]


class RefundIn(Schema):
    amount_fen: int
    reason: str = ""
    idempotency_key: str
