"""Procurement models: suppliers, purchase orders and receipts, joint rounds, recalls."""

from linli.procurement.models.joint import Commitment, JointRound, RoundTier
from linli.procurement.models.purchasing import (
    Discrepancy,
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    ReceiptLine,
)
from linli.procurement.models.recall import Recall
from linli.procurement.models.suppliers import (
    PriceTier,
    Supplier,
    SupplierLicence,
    SupplierMember,
    SupplierProduct,
)

__all__ = [
    "Commitment",
    "Discrepancy",
    "JointRound",
    "PriceTier",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "Recall",
    "Receipt",
    "ReceiptLine",
    "RoundTier",
    "Supplier",
    "SupplierLicence",
    "SupplierMember",
    "SupplierProduct",
]
