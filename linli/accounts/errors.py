from linli.core.errors import ErrorCodes, ErrorSpec, LinliError


class AccountsErrorCode(ErrorCodes):
    PHONE_INVALID = ErrorSpec(
        "phone_invalid",
        400,
        "手机号格式不正确",
        "The phone number is not a valid mainland mobile number",
    )
    PHONE_UNKNOWN = ErrorSpec(
        "phone_unknown", 404, "该手机号尚未注册", "No account is registered with this phone number"
    )
    PHONE_TAKEN = ErrorSpec(
        "phone_taken", 409, "该手机号已注册", "This phone number is already registered"
    )
    SMS_TOO_MANY = ErrorSpec(
        "sms_too_many",
        429,
        "验证码发送太频繁，一小时内最多 {limit} 次",
        "Too many codes sent: at most {limit} per hour",
    )
    SMS_CODE_WRONG = ErrorSpec(
        "sms_code_wrong", 400, "验证码错误，还可尝试 {left} 次", "Wrong code, {left} tries left"
    )
    SMS_CODE_EXPIRED = ErrorSpec(
        "sms_code_expired",
        400,
        "验证码已过期，请重新获取",
        "The code has expired; request a new one",
    )
    LOCKED_OUT = ErrorSpec(
        "locked_out",
        429,
        "错误次数过多，账户已锁定至 {until}",
        "Too many wrong tries; locked until {until}",
    )
    BAD_CREDENTIALS = ErrorSpec(
        "bad_credentials", 400, "手机号或密码错误", "Wrong phone number or password"
    )
    TOKEN_INVALID = ErrorSpec("token_invalid", 401, "令牌无效", "Invalid API token")


class AccountsError(LinliError):
    pass
