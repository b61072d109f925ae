from linli.core.errors import ErrorCodes, ErrorSpec, LinliError


class ProcurementErrorCode(ErrorCodes):
    USCC_INVALID = ErrorSpec(
        "uscc_invalid",
        400,
        "统一社会信用代码无效：{code}",
        "Invalid unified social credit code: {code}",
    )
    USCC_LEGACY_NOT_CONFIRMED = ErrorSpec(
        "uscc_legacy_not_confirmed",
        400,
        "统一社会信用代码校验位不符（{code}），如为早期旧码请勾选“按旧码登记”",
        "The check character of {code} fails; tick 'register as legacy code' if it is an early code",
    )
    SUPPLIER_DUPLICATE = ErrorSpec(
        "supplier_duplicate",
        409,
        "该供应商已登记：{code}",
        "This supplier is already registered: {code}",
    )
    SUPPLIER_NOT_FOUND = ErrorSpec(
        "supplier_not_found", 404, "找不到该供应商", "Supplier not found"
    )
    SUPPLIER_INVALID = ErrorSpec(
        "supplier_invalid", 400, "供应商信息有误：{reason}", "Invalid supplier details: {reason}"
    )
    NOT_SUPPLIER_EDITOR = ErrorSpec(
        "not_supplier_editor",
        403,
        "您无权维护该供应商的资料",
        "You may not maintain this supplier's details",
    )
    LICENCE_FORMAT = ErrorSpec(
        "licence_format",
        400,
        "许可证编号格式不正确：{number}",
        "The licence number has the wrong format: {number}",
    )
    LICENCE_EXPIRED = ErrorSpec(
        "licence_expired", 400, "许可证已于 {date} 过期", "The licence expired on {date}"
    )
    LICENCE_DUPLICATE = ErrorSpec(
        "licence_duplicate", 409, "该许可证编号已登记", "This licence number is already registered"
    )
    PRODUCT_NOT_FOUND = ErrorSpec("product_not_found", 404, "找不到该商品", "Product not found")
    INVALID_QUANTITY = ErrorSpec(
        "invalid_quantity",
        400,
        "数量须在 {low} 到 {high} 之间：{quantity}",
        "The quantity must be between {low} and {high}: {quantity}",
    )
    INVALID_PRICE = ErrorSpec(
        "invalid_price",
        400,
        "价格须为正数（分）：{price}",
        "The price must be a positive amount in fen: {price}",
    )
    TIERS_INVALID = ErrorSpec(
        "tiers_invalid",
        400,
        "阶梯价有误：{reason}",
        "Invalid price tiers: {reason}",
    )
    PO_NOT_FOUND = ErrorSpec("po_not_found", 404, "找不到该采购单", "Purchase order not found")
    PO_WRONG_STATUS = ErrorSpec(
        "po_wrong_status",
        409,
        "采购单当前状态为“{status}”，不能{action}",
        "The purchase order is {status}; it cannot be {action}",
    )
    PO_EMPTY = ErrorSpec("po_empty", 400, "采购单没有商品", "The purchase order has no lines")
    PO_LINE_NOT_FOUND = ErrorSpec(
        "po_line_not_found", 404, "找不到该采购单行", "Purchase order line not found"
    )
    OVER_RECEIPT = ErrorSpec(
        "over_receipt",
        409,
        "{product}订购 {ordered}，已收 {received}，本次 {quantity} 超出订购数；如确认多收请勾选“接受多收”，将记为差异",
        "{product}: {ordered} ordered, {received} received, {quantity} more exceeds the order; "
        "tick 'accept over-delivery' to receive it as a recorded discrepancy",
    )
    RECEIPT_EMPTY = ErrorSpec(
        "receipt_empty", 400, "本次收货没有数量", "Nothing to receive: every quantity is zero"
    )
    NOT_YOUR_OUTLET = ErrorSpec(
        "not_your_outlet", 403, "您无权管理该门店", "You may not manage this outlet"
    )
    ROUND_NOT_FOUND = ErrorSpec("round_not_found", 404, "找不到该联合采购", "Joint round not found")
    ROUND_CLOSED = ErrorSpec(
        "round_closed",
        409,
        "联合采购已于 {deadline} 截止",
        "The joint round closed at {deadline}",
    )
    ROUND_NOT_DUE = ErrorSpec(
        "round_not_due",
        409,
        "联合采购 {deadline} 才截止",
        "The joint round only closes at {deadline}",
    )
    ROUND_OVER_CAPACITY = ErrorSpec(
        "round_over_capacity",
        409,
        "{product}供应商仅剩 {left} {unit} 可认购",
        "The supplier has only {left} {unit} of {product} left to commit",
    )
    ROUND_DEADLINE_INVALID = ErrorSpec(
        "round_deadline_invalid", 400, "截止时间须在将来", "The deadline must be in the future"
    )
    NOT_COORDINATOR = ErrorSpec(
        "not_coordinator",
        403,
        "只有平台或商户负责人可发起、关闭联合采购",
        "Only the platform or a shop's owner or manager may open or close joint rounds",
    )
    LOT_NOT_FOUND = ErrorSpec("lot_not_found", 404, "找不到该批次", "Lot not found")
    RECALL_NOTHING = ErrorSpec(
        "recall_nothing",
        404,
        "您管理的库存中没有批次 {batch}",
        "No lot with batch {batch} among the stock you manage",
    )
    RECALL_REASON = ErrorSpec(
        "recall_reason", 400, "请填写召回原因", "Give the reason for the recall"
    )
    NOT_HEAD_OFFICE = ErrorSpec(
        "not_head_office",
        403,
        "只有总部（负责人或经理）可管理全部门店",
        "Only the head office (owner or manager) manages every outlet",
    )


class ProcurementError(LinliError):
    pass
