from linli.core.errors import ErrorCodes, ErrorSpec, LinliError


class DeliveryErrorCode(ErrorCodes):
    SLOT_FULL = ErrorSpec(
        "slot_full",
        409,
        "配送时段 {slot} 已约满，请换一个时段",
        "Slot {slot} is full; pick another",
    )
    SLOT_CLOSED = ErrorSpec(
        "slot_closed",
        409,
        "配送时段 {slot} 已截单，请换一个时段",
        "Slot {slot} is past its cut-off; pick another",
    )
    NO_SLOT = ErrorSpec(
        "no_slot", 409, "没有可预约的配送时段", "No delivery slot is open for booking"
    )
    NO_ADDRESS = ErrorSpec(
        "no_address",
        409,
        "请先在“我的”里登记住址（楼栋和房号）",
        "Add your home (building and room) under Me first",
    )
    NO_PICKUP_POINT = ErrorSpec(
        "no_pickup_point", 409, "本社区还没有团购自提点", "This community has no pickup point yet"
    )
    NOT_FOUND = ErrorSpec("delivery_not_found", 404, "找不到该配送单", "Delivery not found")
    PARCEL_UNKNOWN = ErrorSpec(
        "parcel_unknown",
        404,
        "包裹码 {code} 不属于你的路线",
        "Parcel code {code} is not on your route",
    )
    NOT_ALL_SCANNED = ErrorSpec(
        "parcel_not_scanned",
        409,
        "还有 {left} 件包裹没有扫码确认",
        "{left} parcel(s) of this order are not scanned yet",
    )
    CODE_WRONG = ErrorSpec(
        "delivery_code_wrong",
        409,
        "收货码不正确，还可以再试 {left} 次",
        "Wrong delivery code; {left} tries left",
    )
    CODE_LOCKED = ErrorSpec(
        "delivery_code_locked",
        409,
        "收货码错误次数过多，请拍照留证或联系收件人",
        "Too many wrong codes: take a photo or call the resident",
    )
    PROOF_MISSING = ErrorSpec(
        "proof_missing",
        400,
        "请输入收件人的收货码或拍照留证",
        "Enter the resident's code or take a photo as proof",
    )
    PHOTO_TYPE = ErrorSpec(
        "proof_photo_type", 400, "照片须为 JPEG、PNG 或 WebP", "The photo must be JPEG, PNG or WebP"
    )
    PHOTO_TOO_LARGE = ErrorSpec(
        "proof_photo_too_large",
        400,
        "照片不能超过 {limit_mb} MB",
        "The photo exceeds {limit_mb} MB",
    )
    NOT_LOCKER = ErrorSpec(
        "not_locker_order", 409, "该订单不是智能柜自提", "This order is not for a locker"
    )
    WRONG_STATE = ErrorSpec(
        "delivery_wrong_state",
        409,
        "配送单当前为“{status}”，不能这样操作",
        "This delivery is {status}; that is not possible now",
    )
    REASON_REQUIRED = ErrorSpec(
        "fail_reason_required", 400, "请选择未送达的原因", "Choose why it could not be delivered"
    )
    HUB_CLOSED = ErrorSpec(
        "hub_closed",
        409,
        "共同配送点 {hub} 现在不收货（营业时间 {hours}）",
        "Hub {hub} is closed now (open {hours})",
    )
    NOT_DELIVERY_ORDER = ErrorSpec(
        "not_delivery_order", 409, "该订单不走共同配送", "This order is not for common delivery"
    )
    FORBIDDEN = ErrorSpec("delivery_forbidden", 403, "没有权限", "Permission denied")


class DeliveryError(LinliError):
    pass
