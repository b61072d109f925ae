from __future__ import annotations

from datetime import date, datetime

from ninja import Schema


class StockOut(Schema):
    id: int
    product_id: int
    product: str
    storage: str
    on_hand: int
    claimed: int
    available: int
    expired: int
    next_expiry: date | None
    days_left: int | None


class LotOut(Schema):
    id: int
    stock_level_id: int
    product_id: int
    batch_no: str
    expiry_date: date | None
    production_date: date | None
    origin: str
    received_at: datetime
    quantity_received: int
    quantity_remaining: int
    days_left: int | None


class MovementOut(Schema):
    id: int
    reason: str
    quantity: int
    lot_id: int | None
    batch_no: str | None
    ref: str
    actor: str | None
    created_at: datetime


class ReceiveIn(Schema):
    product_id: int
    quantity: int
    batch_no: str = ""
    expiry_date: date | None = None
    production_date: date | None = None
    origin: str = ""


class WriteOffIn(Schema):
    quantity: int
    reason: str = "write_off_damaged"
    ref: str = ""


class CountIn(Schema):
    counted: int
