"""One error shape for every app: a stable code and a message in Chinese and English.

Each app defines `<App>ErrorCode(ErrorCodes)` whose members are `ErrorSpec`s and raises
`<App>Error(code, **params)`. The API maps it to `{"code", "detail"}` with the spec's HTTP status;
pages show the same message. Messages are kept as zh/en pairs beside the code so a pure module,
a management command and the API all say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any


@dataclass(frozen=True)
class ErrorSpec:
    code: str
    status: int
    zh: str
    en: str


class ErrorCodes(Enum):
    """Base for per-app code enums; member values are ErrorSpec."""

    @property
    def spec(self) -> ErrorSpec:
        value: ErrorSpec = self.value
        return value


class CoreErrorCode(ErrorCodes):
    INVALID_INPUT = ErrorSpec("invalid_input", 400, "输入有误：{reason}", "Invalid input: {reason}")
    MALFORMED_JSON = ErrorSpec(
        "malformed_json", 400, "请求内容不是有效的 JSON", "The request body is not valid JSON"
    )
    NOT_FOUND = ErrorSpec("not_found", 404, "找不到该对象", "Not found")
    NOT_AUTHENTICATED = ErrorSpec("not_authenticated", 401, "请先登录", "Please log in first")
    PERMISSION_DENIED = ErrorSpec("permission_denied", 403, "没有权限", "Permission denied")
    RATE_LIMITED = ErrorSpec("rate_limited", 429, "操作太频繁，请稍后再试", "Too many requests")
    SERVER_ERROR = ErrorSpec(
        "server_error", 500, "服务器出错，请稍后再试", "Server error, please try again later"
    )


class LinliError(Exception):
    """Raised by services; carries a code and formats its message in either language."""

    def __init__(self, code: ErrorCodes, /, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(self.message("en"))

    @property
    def spec(self) -> ErrorSpec:
        return self.code.spec

    @property
    def status(self) -> int:
        return self.spec.status

    def message(self, language: str | None = None) -> str:
        lang = (language or _active_language()).lower()
        template = self.spec.en if lang.startswith("en") else self.spec.zh
        try:
            return template.format(**self.params)
        except (KeyError, IndexError):
            return template

    def as_dict(self, language: str | None = None) -> dict[str, str]:
        return {"code": self.spec.code, "detail": self.message(language)}


class CoreError(LinliError):
    pass


def _active_language() -> str:
    try:
        from django.utils import translation
    except ImportError:  # pure use outside Django
        return "zh-hans"
    return translation.get_language() or "zh-hans"
