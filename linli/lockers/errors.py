from linli.core.errors import ErrorCodes, ErrorSpec, LinliError
from linli.core.money import format_fen


class LockersErrorCode(ErrorCodes):
    NO_COMPARTMENT = ErrorSpec(
        "locker_full",
        409,
        "附近智能柜没有空闲的{zone}格口放得下这单，请选择到店自取",
        "No free {zone} compartment nearby fits this order; please pick it up in store",
    )
    SITE_NOT_FOUND = ErrorSpec(
        "locker_site_not_found", 404, "找不到该柜点", "Locker site not found"
    )
    BOOKING_NOT_FOUND = ErrorSpec(
        "locker_booking_not_found", 404, "找不到该格口预约", "Locker booking not found"
    )
    COMPARTMENT_NOT_FOUND = ErrorSpec(
        "compartment_not_found",
        404,
        "该柜机没有格口 {label}",
        "This cabinet has no compartment {label}",
    )
    WRONG_ZONE = ErrorSpec(
        "compartment_wrong_zone",
        409,
        "{storage}商品不能放入{zone}格口",
        "{storage} goods cannot go into a {zone} compartment",
    )
    TOO_SMALL = ErrorSpec(
        "compartment_too_small",
        409,
        "格口 {label}（{size}）放不下这件包裹",
        "Compartment {label} ({size}) is too small for this parcel",
    )
    COMPARTMENT_BUSY = ErrorSpec(
        "compartment_busy", 409, "格口 {label} 已被占用", "Compartment {label} is in use"
    )
    NO_CONSENT = ErrorSpec(
        "locker_no_consent",
        409,
        "收件人未同意使用智能柜，请联系收件人或送货上门",
        "The recipient has not agreed to locker delivery; call them or deliver to the door",
    )
    FRESH_NEEDS_COLD = ErrorSpec(
        "locker_fresh_needs_cold",
        409,
        "生鲜包裹只能放入冷藏或冷冻格口",
        "Fresh parcels can only go into a chilled or frozen compartment",
    )
    NOT_DEPOSITABLE = ErrorSpec(
        "locker_not_depositable",
        409,
        "该预约当前为“{status}”，不能投柜",
        "This booking is {status} and cannot be deposited",
    )
    NOT_DEPOSITED = ErrorSpec(
        "locker_not_deposited",
        409,
        "请先把商品放入格口 {label}，再标记备货完成",
        "Put the goods into compartment {label} first; depositing marks the order ready",
    )
    CODE_WRONG = ErrorSpec("locker_code_wrong", 400, "取件码不正确", "Wrong pickup code")
    CODE_USED = ErrorSpec(
        "locker_code_used", 409, "该取件码已使用过", "This pickup code has already been used"
    )
    KEYPAD_LOCKED = ErrorSpec(
        "locker_keypad_locked",
        429,
        "错误次数过多，本柜机暂停取件 {minutes} 分钟",
        "Too many wrong codes: this cabinet pauses pickups for {minutes} minutes",
    )
    FEE_DUE = ErrorSpec(
        "locker_fee_due",
        402,
        "请先支付超时保管费 {amount}（扫码或打开短信链接），付款后再次输入取件码开门",
        "Please pay the overtime fee of {amount} first (scan the QR code or open the link we "
        "sent), then enter your code again",
    )
    FEE_NOT_DUE = ErrorSpec(
        "locker_fee_not_due", 409, "当前没有需要支付的费用", "There is no fee to pay"
    )
    DEVICE_KEY_INVALID = ErrorSpec(
        "device_key_invalid", 401, "柜机密钥无效", "The cabinet key is not valid"
    )
    CABINET_UNKNOWN = ErrorSpec(
        "cabinet_unknown", 404, "未登记的柜机：{serial}", "Unknown cabinet: {serial}"
    )
    ZONE_UNKNOWN = ErrorSpec(
        "cabinet_zone_unknown",
        400,
        "柜机 {serial} 没有{zone}温区",
        "Cabinet {serial} has no {zone} zone",
    )
    READING_INVALID = ErrorSpec(
        "reading_invalid", 400, "温度读数无效：{value}", "Invalid temperature reading: {value}"
    )
    PARCEL_NOT_FOUND = ErrorSpec("parcel_not_found", 404, "找不到该包裹", "Parcel not found")
    PARCEL_DUPLICATE = ErrorSpec(
        "parcel_duplicate",
        409,
        "{carrier} 运单 {tracking} 已登记",
        "{carrier} waybill {tracking} is already registered",
    )
    PARCEL_CODE_WRONG = ErrorSpec(
        "parcel_code_wrong", 400, "取件码不正确", "Wrong pickup code for this parcel"
    )
    PARCEL_NOT_WAITING = ErrorSpec(
        "parcel_not_waiting", 409, "该包裹已{status}", "This parcel is already {status}"
    )
    HOUSEHOLD_NOT_FOUND = ErrorSpec(
        "household_not_found", 404, "本小区找不到该住户", "No such household in this community"
    )


class LockersError(LinliError):
    pass


class FeeDue(LockersError):
    """The door stays shut until the overtime fee is paid: carries what the kiosk, the device
    and the resident need to pay it."""

    def __init__(self, *, charge_id: int, amount_fen: int, pay_url: str, kind: str) -> None:
        super().__init__(LockersErrorCode.FEE_DUE, amount=format_fen(amount_fen))
        self.charge_id = charge_id
        self.amount_fen = amount_fen
        self.pay_url = pay_url
        self.kind = kind

    def as_dict(self, language: str | None = None) -> dict[str, object]:  # type: ignore[override]
        return {
            **super().as_dict(language),
            "amount_fen": self.amount_fen,
            "pay_url": self.pay_url,
            "pay_kind": self.kind,
        }
