"""Coded payment errors, zh + en (see `linli.core.errors`)."""

from linli.core.errors import ErrorCodes, ErrorSpec, LinliError


class PaymentsErrorCode(ErrorCodes):
    SIGNATURE_INVALID = ErrorSpec(
        "signature_invalid",
        400,
        "支付通知验签失败",
        "The payment notification's signature is invalid",
    )
    AMOUNT_MISMATCH = ErrorSpec(
        "amount_mismatch",
        409,
        "支付金额不符：应付 {expected} 分，通知 {got} 分",
        "Amount mismatch: expected {expected} fen, notified {got} fen",
    )
    PAYMENT_NOT_FOUND = ErrorSpec("payment_not_found", 404, "找不到该支付单", "Payment not found")
    REFUND_EXCEEDS = ErrorSpec(
        "refund_exceeds",
        409,
        "退款金额超过可退金额（可退 {available} 分）",
        "The refund exceeds the refundable amount ({available} fen left)",
    )
    GATEWAY_UNKNOWN = ErrorSpec(
        "gateway_unknown",
        400,
        "未知或未启用的支付渠道：{gateway}",
        "Unknown or disabled gateway: {gateway}",
    )
    ALREADY_CLOSED = ErrorSpec(
        "already_closed", 409, "该支付单已关闭", "This payment is already closed"
    )
    ALREADY_PAID = ErrorSpec("already_paid", 409, "该支付单已支付", "This payment is already paid")
    NOT_CAPTURED = ErrorSpec(
        "not_captured",
        409,
        "该支付单尚未支付，无法退款",
        "This payment is not paid, so it cannot be refunded",
    )
    AMOUNT_INVALID = ErrorSpec(
        "amount_invalid",
        400,
        "金额必须是正整数（分）",
        "The amount must be a positive number of fen",
    )
    IDEMPOTENCY_MISMATCH = ErrorSpec(
        "idempotency_mismatch",
        409,
        "同一幂等键已用于不同的支付内容",
        "This idempotency key was already used for a different payment",
    )
    GATEWAY_ERROR = ErrorSpec(
        "gateway_error",
        502,
        "支付渠道暂时不可用，请稍后再试",
        "The payment gateway failed, please try again",
    )


class PaymentsError(LinliError):
    pass
