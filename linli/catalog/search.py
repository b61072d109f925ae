"""Chinese product search, pure (no Django): jieba tokens, pinyin in full and initials, ranking.

A product's `search_text` holds, space-separated and lower-cased: the jieba tokens of its name,
aliases, brand, category and description, and for the name, aliases and brand their full pinyin
("xihongshi") and initials ("xhs"). The database narrows candidates with a substring match on that
text (works the same on SQLite and PostgreSQL); `score` below ranks them in Python:

    exact name or alias  >  name prefix  >  name contains  >  token  >  pinyin  >  initials  >  text
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import jieba
from pypinyin import Style, lazy_pinyin

jieba.setLogLevel(logging.WARNING)

_SPLIT = re.compile(r"[\s,，、/;；|·()（）\[\]【】]+")

EXACT = 100
PREFIX = 80
CONTAINS = 70
TOKEN = 60
PINYIN = 50
INITIALS = 40
TEXT = 10


def normalise(text: str) -> str:
    """NFKC (full-width → half-width), lower case, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text or "").lower().split())


def tokens(text: str) -> list[str]:
    """jieba search-mode tokens (overlapping words), without punctuation or blanks."""
    out: list[str] = []
    for part in _SPLIT.split(normalise(text)):
        if not part:
            continue
        out.extend(t for t in jieba.cut_for_search(part) if t.strip() and not _SPLIT.fullmatch(t))
    return out


def _compact(text: str) -> str:
    return "".join(_SPLIT.split(normalise(text)))


def pinyin_full(text: str) -> str:
    """'西红柿' → 'xihongshi'; latin letters and digits are kept as they are."""
    return "".join(lazy_pinyin(_compact(text))).lower()


def pinyin_initials(text: str) -> str:
    """'西红柿' → 'xhs'; a latin run keeps only its first letter, as people type initials."""
    return "".join(p[:1] for p in lazy_pinyin(_compact(text), style=Style.FIRST_LETTER)).lower()


def aliases_list(aliases: str) -> list[str]:
    return [a for a in (normalise(x) for x in _SPLIT.split(aliases or "")) if a]


def build_search_text(
    *,
    name: str,
    aliases: str = "",
    brand: str = "",
    category: str = "",
    description: str = "",
    barcode: str = "",
) -> str:
    """The normalised text a product is found by (see the module docstring)."""
    names = [normalise(name), *aliases_list(aliases)]
    if brand:
        names.append(normalise(brand))
    parts: list[str] = []
    for n in names:
        parts.append(_compact(n))
        parts.extend(tokens(n))
        parts.append(pinyin_full(n))
        parts.append(pinyin_initials(n))
    parts.extend(tokens(category))
    parts.extend(tokens(description))
    if barcode:
        parts.append(barcode.strip())
    seen: dict[str, None] = {}
    for p in parts:
        if p:
            seen.setdefault(p, None)
    return " ".join(seen)


def query_terms(q: str) -> list[str]:
    """What the database filter looks for: each blank-separated term must occur in search_text."""
    return [t for t in normalise(q).split(" ") if t][:5]


@dataclass(frozen=True)
class Match:
    score: int
    how: str  # exact | prefix | contains | token | pinyin | initials | text


def score(
    q: str,
    *,
    name: str,
    aliases: str = "",
    brand: str = "",
    search_text: str = "",
) -> Match | None:
    """How well `q` matches a product; None if it does not match at all."""
    nq = _compact(q)
    if not nq:
        return None
    own = [_compact(n) for n in (name, *aliases_list(aliases)) if n]
    names = [*own, _compact(brand)] if brand else own
    if nq in own:
        return Match(EXACT, "exact")
    if any(n.startswith(nq) for n in names):
        return Match(PREFIX, "prefix")
    if any(nq in n for n in names):
        return Match(CONTAINS, "contains")
    name_tokens: set[str] = set()
    for n in names:
        name_tokens.update(tokens(n))
    q_tokens = tokens(q) or [nq]
    if all(t in name_tokens for t in q_tokens):
        return Match(TOKEN, "token")
    if nq.isascii():
        if any(pinyin_full(n).startswith(nq) for n in names):
            return Match(PINYIN, "pinyin")
        if any(pinyin_initials(n).startswith(nq) for n in names):
            return Match(INITIALS, "initials")
        if any(nq in pinyin_full(n) for n in names):
            return Match(PINYIN - 5, "pinyin")
    terms = query_terms(q)
    if terms and all(t in search_text for t in terms):
        return Match(TEXT, "text")
    return None


def rank_key(match: Match, minutes: float | None, tie: Iterable[int] = ()) -> tuple[object, ...]:
    """Sort key: better match first, then the nearer shop (unknown distance last), then `tie`."""
    return (-match.score, minutes if minutes is not None else float("inf"), *tie)
