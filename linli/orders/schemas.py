from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema


class CartLineIn(Schema):
    listing_id: int
    quantity: int = Field(..., description="0 removes the line")


class CartLineOut(Schema):
    listing_id: int
    outlet_id: int
    outlet: str
    product: str
    spec: str
    storage: str
    unit_price_fen: int
    quantity: int
    line_total_fen: int


class CartOut(Schema):
    lines: list[CartLineOut]
    total_fen: int


class ChoiceIn(Schema):
    outlet_id: int
    method: str = "store_pickup"
    data: dict[str, Any] = {}


class CheckoutIn(Schema):
    idempotency_key: str = Field(..., min_length=8, max_length=64)
    choices: list[ChoiceIn] = []
    expected_total_fen: int | None = None


class OrderLineOut(Schema):
    name: str
    spec: str
    storage: str
    unit_price_fen: int
    quantity: int
    line_total_fen: int
    lots: list[dict[str, Any]]


class OrderOut(Schema):
    id: int
    number: str | None
    outlet_id: int
    outlet: str
    status: str
    fulfilment_method: str
    total_fen: int
    refunded_fen: int
    placed_at: datetime
    pickup_code: str | None
    lines: list[OrderLineOut]


class CheckoutOut(Schema):
    checkout_id: int
    total_fen: int
    expires_at: datetime
    pay_url: str
    out_trade_no: str
    orders: list[OrderOut]


class CodeIn(Schema):
    code: str


class ReasonIn(Schema):
    reason: str = Field("", max_length=200)


class RefundIn(Schema):
    amount_fen: int
    reason: str = Field(..., min_length=1, max_length=200)


class BoardOut(Schema):
    paid: list[OrderOut]
    accepted: list[OrderOut]
    ready: list[OrderOut]
