from linli.core.errors import ErrorCodes, ErrorSpec, LinliError


class ShopsErrorCode(ErrorCodes):
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
    LICENCE_FORMAT = ErrorSpec(
        "licence_format",
        400,
        "许可证编号格式不正确：{number}",
        "The licence number has the wrong format: {number}",
    )
    LICENCE_EXPIRED = ErrorSpec(
        "licence_expired",
        400,
        "许可证已于 {date} 过期",
        "The licence expired on {date}",
    )
    LICENCE_TOO_LONG = ErrorSpec(
        "licence_too_long",
        400,
        "食品经营许可证有效期不超过 5 年",
        "A food business licence is valid for at most 5 years",
    )
    LICENCE_DUPLICATE = ErrorSpec(
        "licence_duplicate", 409, "该许可证编号已登记", "This licence number is already registered"
    )
    OUTLET_NOT_FOUND = ErrorSpec("outlet_not_found", 404, "找不到该门店", "Outlet not found")
    MERCHANT_NOT_FOUND = ErrorSpec("merchant_not_found", 404, "找不到该商户", "Merchant not found")
    NOT_A_MEMBER = ErrorSpec(
        "not_a_member", 403, "您不是该商户的成员", "You are not a member of this merchant"
    )
    FORMAT_UNKNOWN = ErrorSpec(
        "format_unknown", 400, "未知业态：{slug}", "Unknown business format: {slug}"
    )


class ShopsError(LinliError):
    pass
