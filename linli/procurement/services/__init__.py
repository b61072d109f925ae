"""Writes for procurement: keyword-only, typed, atomic, permission checked inside."""

from linli.procurement.services.chains import (
    chain_assortment_set,
    chain_price_set,
    chain_transfer,
)
from linli.procurement.services.joint import (
    round_cancel,
    round_close,
    round_commit,
    round_open,
    rounds_close_due,
)
from linli.procurement.services.purchase_orders import (
    LineSpec,
    purchase_order_cancel,
    purchase_order_create_draft,
    purchase_order_line_add,
    purchase_order_line_remove,
    purchase_order_send,
)
from linli.procurement.services.recall import recall_create
from linli.procurement.services.receiving import ReceiveLine, purchase_order_receive
from linli.procurement.services.suppliers import (
    price_tiers_set,
    supplier_licence_add,
    supplier_member_add,
    supplier_product_upsert,
    supplier_register,
)

__all__ = [
    "LineSpec",
    "ReceiveLine",
    "chain_assortment_set",
    "chain_price_set",
    "chain_transfer",
    "price_tiers_set",
    "purchase_order_cancel",
    "purchase_order_create_draft",
    "purchase_order_line_add",
    "purchase_order_line_remove",
    "purchase_order_receive",
    "purchase_order_send",
    "recall_create",
    "round_cancel",
    "round_close",
    "round_commit",
    "round_open",
    "rounds_close_due",
    "supplier_licence_add",
    "supplier_member_add",
    "supplier_product_upsert",
    "supplier_register",
]
