"""Limit/offset pagination with bounds: a page of at most 200 rows, an offset a database can
hold. Without them a huge number reaches the database as an overflow: a 500, not a clear 400."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 200
MAX_OFFSET = 10**9


class BoundedLimitOffset(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)  # type: ignore[arg-type]
