from linli.core.errors import ErrorCodes, ErrorSpec, LinliError


class InventoryErrorCode(ErrorCodes):
    OUT_OF_STOCK = ErrorSpec(
        "out_of_stock",
        409,
        "{product}库存不足：想要 {wanted}，仅剩 {left}",
        "Not enough {product} in stock: {wanted} wanted, {left} left",
    )
    INVALID_QUANTITY = ErrorSpec(
        "invalid_quantity",
        400,
        "数量须在 {low} 到 {high} 之间：{quantity}",
        "The quantity must be between {low} and {high}: {quantity}",
    )
    NOT_YOUR_OUTLET = ErrorSpec(
        "not_your_outlet", 403, "您无权管理该门店的库存", "You may not manage this outlet's stock"
    )
    PRODUCT_NOT_FOUND = ErrorSpec("product_not_found", 404, "找不到该商品", "Product not found")
    STOCK_NOT_FOUND = ErrorSpec("stock_not_found", 404, "找不到该库存", "Stock not found")
    LOT_NOT_FOUND = ErrorSpec("lot_not_found", 404, "找不到该批次", "Lot not found")
    LOT_EXPIRED = ErrorSpec(
        "lot_expired",
        409,
        "{product}仅剩过期批次，不能出售",
        "Only expired lots of {product} are left; they cannot be sold",
    )
    LOT_RECALLED = ErrorSpec(
        "lot_recalled",
        409,
        "{product}的批次已召回，不能出售",
        "The lots of {product} left are recalled; they cannot be sold",
    )
    TRANSFER_SAME_OUTLET = ErrorSpec(
        "transfer_same_outlet",
        400,
        "调出和调入门店不能相同",
        "The sending and receiving outlets must differ",
    )
    EXPIRY_PAST = ErrorSpec(
        "expiry_past",
        400,
        "到期日 {date} 已过，不能入库",
        "The expiry date {date} has passed; it cannot be received",
    )
    STOCK_CLAIMED = ErrorSpec(
        "stock_claimed",
        409,
        "有 {claimed} 件已被订单占用，库存不能低于此数",
        "{claimed} units are held for orders; stock cannot go below that",
    )
    CLAIM_DUPLICATE = ErrorSpec(
        "claim_duplicate",
        409,
        "该订单行已占用库存：{ref}",
        "Stock is already held for {ref}",
    )
    REASON_INVALID = ErrorSpec(
        "reason_invalid", 400, "无效的出库原因：{reason}", "Invalid reason: {reason}"
    )


class InventoryError(LinliError):
    pass
