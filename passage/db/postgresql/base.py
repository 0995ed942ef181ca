"""PostgreSQL, with every datetime sent in UTC.

Django hands aware datetimes to psycopg with whatever offset they carry. An ISO 8601
offset may be up to ±23:59 and PostgreSQL accepts only ±15:59, so a valid API value such
as ``…+21:49`` made the database raise. Passage stores UTC anyway: converting here, once,
keeps every app's filters and writes safe.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def adapt_datetimefield_value(self, value: Any) -> Any:
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return super().adapt_datetimefield_value(value)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
