"""Deterministic, valid-looking identity codes for generated demo merchants.

USCC (GB 32100-2015): registration authority + type ("91" enterprise, "92" individual
business), a 6-digit division code, a 9-character organisation code and the check character,
computed by `stdnum.cn.uscc.calc_check_digit` (weights 3^(i−1) mod 31, DOMAIN.md).
JY (食品经营许可证): "JY" + type digit (1 sales, 2 catering) + 6-digit region + 6-digit
sequence + 1 check digit. The check algorithm is not published, so it is just a digit here.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from stdnum.cn import uscc as _uscc

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
CHAOYANG = "110105"  # 北京市朝阳区


def uscc_generate(rng: random.Random, *, division: str = CHAOYANG, individual: bool = False) -> str:
    """A USCC that passes the GB 32100 check; "MA…" organisation codes like recent ones."""
    head = ("92" if individual else "91") + division
    org = "MA" + "".join(rng.choice(USCC_ALPHABET) for _ in range(7))
    body = head + org
    return body + _uscc.calc_check_digit(body + "0")


def jy_generate(rng: random.Random, *, catering: bool, region: str = CHAOYANG) -> str:
    seq = f"{rng.randrange(1, 10**6):06d}"
    return f"JY{2 if catering else 1}{region}{seq}{rng.randrange(10)}"


def five_year_validity(rng: random.Random, today: date) -> tuple[date, date]:
    """Issued up to ~2.5 years ago, valid 5 years (the legal maximum) less a day."""
    start = today - timedelta(days=rng.randrange(30, 900))
    try:
        end = start.replace(year=start.year + 5)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + 5, day=28)
    return start, end - timedelta(days=1)
