"""Licence number checks (pure): 统一社会信用代码 by GB 32100-2015, 食品经营/生产许可证 by format.

stdnum.cn.uscc implements the GB 32100 check; we only add the "legacy" distinction: a code whose
characters and layout are right but whose check character fails (some early real codes do) may be
accepted with a visible flag, never silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from stdnum.cn import uscc as _uscc
from stdnum.exceptions import InvalidChecksum, ValidationError


class UsccVerdict(Enum):
    VALID = "valid"
    LEGACY = "legacy"  # right format, check character fails
    INVALID = "invalid"


@dataclass(frozen=True)
class UsccResult:
    code: str
    verdict: UsccVerdict


def uscc_check(raw: str) -> UsccResult:
    code = _uscc.compact(raw or "")
    try:
        _uscc.validate(code)
    except InvalidChecksum:
        return UsccResult(code, UsccVerdict.LEGACY)
    except ValidationError:
        return UsccResult(code, UsccVerdict.INVALID)
    return UsccResult(code, UsccVerdict.VALID)


_JY = re.compile(r"^JY[1-3]\d{13}$")
_SC = re.compile(r"^SC\d{14}$")


def food_licence_format_ok(kind: str, number: str) -> bool:
    """JY + 14 digits (first digit the type 1–3) or SC + 14 digits. The check digit's algorithm
    is not published, so only the layout is checked."""
    number = (number or "").strip().upper()
    if kind == "food_business":
        return bool(_JY.match(number))
    if kind == "food_production":
        return bool(_SC.match(number))
    return False
