from __future__ import annotations

from datetime import date, datetime

from ninja import Schema


class SupplierIn(Schema):
    name: str
    kind: str
    uscc: str
    merchant_id: int | None = None
    accept_legacy: bool = False
    legal_representative: str = ""
    phone: str = ""
    address: str = ""
    region: str = ""
    lead_time_days: int = 2


class TierOut(Schema):
    min_quantity: int
    price_fen: int


class SupplierProductIn(Schema):
    name: str
    price_fen: int
    unit: str = "kg"
    spec: str = ""
    origin: str = ""
    available_quantity: int = 0
    min_order_quantity: int = 1
    shelf_life_days: int | None = None
    storage: str = "ambient"


class SupplierProductOut(Schema):
    id: int
    name: str
    spec: str
    unit: str
    origin: str
    price_fen: int
    available_quantity: int
    committed_quantity: int
    tiers: list[TierOut]


class SupplierOut(Schema):
    id: int
    name: str
    kind: str
    uscc: str
    uscc_legacy: bool
    region: str
    lead_time_days: int


class TiersIn(Schema):
    tiers: list[TierOut]


class LineIn(Schema):
    product_id: int
    quantity: int
    unit_price_fen: int | None = None
    supplier_product_id: int | None = None


class PurchaseOrderIn(Schema):
    outlet_id: int
    supplier_id: int
    lines: list[LineIn] = []
    expected_date: date | None = None
    note: str = ""


class LineOut(Schema):
    id: int
    product_id: int
    product: str
    quantity_ordered: int
    quantity_received: int
    quantity_rejected: int
    unit_price_fen: int
    solo_price_fen: int | None


class DiscrepancyOut(Schema):
    po_line_id: int
    kind: str
    quantity: int
    note: str


class PurchaseOrderOut(Schema):
    id: int
    number: str | None
    status: str
    outlet_id: int
    supplier_id: int
    supplier: str
    joint_round_id: int | None
    expected_date: date | None
    total_fen: int
    lines: list[LineOut] = []
    discrepancies: list[DiscrepancyOut] = []


class ReceiveLineIn(Schema):
    po_line_id: int
    quantity: int
    batch_no: str = ""
    expiry_date: date | None = None
    production_date: date | None = None
    origin: str = ""
    rejected: int = 0
    note: str = ""


class ReceiveIn(Schema):
    lines: list[ReceiveLineIn]
    close: bool = False
    accept_over: bool = False
    note: str = ""


class RoundIn(Schema):
    supplier_product_id: int
    title: str
    deadline: datetime
    tiers: list[TierOut] | None = None


class CommitIn(Schema):
    outlet_id: int
    quantity: int
    product_id: int | None = None


class CommitmentOut(Schema):
    outlet_id: int
    quantity: int
    unit_price_fen: int | None
    saved_fen: int | None
    purchase_order_id: int | None


class RoundOut(Schema):
    id: int
    title: str
    status: str
    supplier_product_id: int
    deadline: datetime
    solo_price_fen: int
    total_committed: int
    tier_price_fen: int | None
    tiers: list[TierOut]
    mine: list[CommitmentOut]


class SaleOut(Schema):
    ref: str
    quantity: int
    sold_at: datetime
    order_number: str | None


class TraceOut(Schema):
    lot_id: int
    product: str
    outlet: str
    batch_no: str
    origin: str
    production_date: date | None
    expiry_date: date | None
    recalled: bool
    supplier: str | None
    supplier_uscc: str | None
    purchase_order: str | None
    sales: list[SaleOut]


class RecallIn(Schema):
    batch_no: str
    reason: str
    product_id: int | None = None
    supplier_id: int | None = None


class RecallOut(Schema):
    id: int
    batch_no: str
    product_name: str
    units_written_off: int
    units_held: int
    units_sold: int
    residents_notified: int


class PriceIn(Schema):
    product_id: int
    price_fen: int
    outlet_ids: list[int] | None = None


class TransferIn(Schema):
    from_outlet_id: int
    to_outlet_id: int
    product_id: int
    quantity: int


class PublicLotOut(Schema):
    batch_no: str
    origin: str
    production_date: date | None
    expiry_date: date | None
    supplier_name: str
    supplier_kind: str
