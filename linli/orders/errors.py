from linli.core.errors import ErrorCodes, ErrorSpec, LinliError


class OrdersErrorCode(ErrorCodes):
    CART_EMPTY = ErrorSpec("cart_empty", 400, "购物车是空的", "Your cart is empty")
    CART_CHANGED = ErrorSpec(
        "cart_changed",
        409,
        "购物车在结算时发生了变化（可能已在别处下单），请刷新后再试",
        "Your cart changed while checking out (perhaps ordered elsewhere); please refresh",
    )
    INVALID_QUANTITY = ErrorSpec(
        "invalid_quantity", 400, "数量须在 1 到 {max} 之间", "Quantity must be between 1 and {max}"
    )
    LISTING_UNAVAILABLE = ErrorSpec(
        "listing_unavailable", 409, "“{name}”已下架", "“{name}” is no longer sold"
    )
    SHOP_CLOSED = ErrorSpec(
        "shop_closed", 409, "“{shop}”已停业或不在营业时间", "“{shop}” is closed"
    )
    OUT_OF_RANGE = ErrorSpec(
        "outlet_out_of_range",
        409,
        "“{shop}”不在您家步行 {minutes} 分钟范围内",
        "“{shop}” is not within a {minutes}-minute walk of your home",
    )
    PRICE_CHANGED = ErrorSpec(
        "price_changed",
        409,
        "价格已变动：应付 {actual}，页面显示 {expected}，请刷新后再下单",
        "The price changed: {actual} to pay, the page showed {expected}; please review",
    )
    FULFILMENT_UNKNOWN = ErrorSpec(
        "fulfilment_unknown", 400, "未知的取货方式：{method}", "Unknown fulfilment method: {method}"
    )
    ORDER_NOT_FOUND = ErrorSpec("order_not_found", 404, "找不到该订单", "Order not found")
    TRANSITION = ErrorSpec(
        "order_transition",
        409,
        "订单当前状态为“{source}”，不能变为“{target}”",
        "The order is {source} and cannot become {target}",
    )
    PICKUP_CODE_WRONG = ErrorSpec(
        "pickup_code_wrong",
        400,
        "取货码不正确，还可尝试 {left} 次",
        "Wrong pickup code, {left} tries left",
    )
    PICKUP_LOCKED = ErrorSpec(
        "pickup_locked",
        429,
        "取货码错误次数过多，请顾客在订单页刷新取货码",
        "Too many wrong codes: the resident must refresh the pickup code",
    )
    NO_HOME = ErrorSpec(
        "no_household", 409, "请先绑定您的住址", "Please register your home address first"
    )
    REFUND_TOO_MUCH = ErrorSpec(
        "refund_exceeds",
        409,
        "退款金额超过可退金额 {left}",
        "The refund exceeds what is left: {left}",
    )


class OrdersError(LinliError):
    pass
