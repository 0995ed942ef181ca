"""The API's one pagination: limit and offset, both bounded."""

from __future__ import annotations

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_OFFSET = 1_000_000_000  # past any real list; keeps the number inside a database integer


class Pagination(LimitOffsetPagination):
    """``?limit=&offset=`` with an upper bound on the offset as well as the limit."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
