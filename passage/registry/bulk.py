"""Bulk inserts without model instances, for the big tables of an import.

PostgreSQL gets ``COPY … FROM STDIN`` fed by psycopg's ``write_row`` (its C
adapters format the values), with primary keys taken from the table's sequence
beforehand when they are needed. Other databases (SQLite) get multi-row
``INSERT … VALUES (…), (…) [RETURNING id]``, as many rows per statement as the
parameter limit allows. Values are converted to the database's form one column
at a time, each distinct value once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from django.db import connection

T = TypeVar("T")
Row = tuple[Any, ...]
_CONVERTED = {"DateTimeField", "DateField", "JSONField"}


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _json_column() -> Callable[[Any], Any]:
    """JSON text as Django writes it; lists of codes repeat, so each is encoded once."""
    cache: dict[tuple[Any, ...], str] = {}

    def convert(value: Any) -> Any:
        if value is None:
            return None
        if type(value) is list and all(type(v) is str for v in value):
            key = tuple(value)
            if key not in cache:
                cache[key] = json.dumps(value)
            return cache[key]
        return json.dumps(value)

    return convert


def _converter(column: Any) -> Callable[[Any], Any] | None:
    """How one column's values reach the database, or None when they go as they are."""
    kind = column.get_internal_type()
    if kind not in _CONVERTED:
        return None
    if kind == "JSONField":
        return _json_column()
    if connection.vendor == "postgresql":
        return None  # psycopg adapts dates and aware datetimes itself
    cache: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        if value not in cache:
            cache[value] = column.get_db_prep_save(value, connection)
        return cache[value]

    return convert


def _converted(columns: list[Any], rows: Sequence[Row]) -> list[Row]:
    converters = [_converter(c) for c in columns]
    if not any(converters) or not rows:
        return list(rows)
    values = list(zip(*rows, strict=True))
    for i, convert in enumerate(converters):
        if convert is not None:
            values[i] = tuple(map(convert, values[i]))
    return list(zip(*values, strict=True))


def insert(
    model: type[Any], fields: list[str], rows: Sequence[Row], *, returning: bool = False
) -> list[int]:
    """Insert ``rows`` (values in the order of ``fields``) into ``model``'s table.

    With ``returning`` the new primary keys come back in the order of ``rows``.
    Nothing is validated here: callers pass checked values.
    """
    meta = model._meta
    columns = [meta.get_field(f) for f in fields]
    prepared = _converted(columns, rows)
    if connection.vendor == "postgresql":
        return _copy(meta, columns, prepared, returning)
    quote = connection.ops.quote_name
    names = ", ".join(quote(c.column) for c in columns)
    # Table and column names come from the model, quoted; values are parameters.
    head = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES "  # noqa: S608
    tail = f" RETURNING {quote(meta.pk.column)}" if returning else ""
    sqlite = connection.vendor == "sqlite"
    one = "(" + ", ".join(["?" if sqlite else "%s"] * len(columns)) + ")"
    per = max(1, min(1000, 990 // len(columns)))
    ids: list[int] = []
    with connection.cursor() as cursor:
        # On SQLite the driver's own connection runs the statements, in the same
        # transaction: it takes the "?" as written, where Django's cursor would
        # rewrite "%s" in every (long) statement first.
        raw = connection.connection if sqlite else cursor
        for chunk in chunks(prepared, per):
            sql = head + ", ".join([one] * len(chunk)) + tail
            result = raw.execute(sql, [v for row in chunk for v in row])
            if returning:
                ids.extend(r[0] for r in (result if sqlite else cursor).fetchall())
    return ids


def _copy(meta: Any, columns: list[Any], rows: list[Row], returning: bool) -> list[int]:
    quote = connection.ops.quote_name
    names = [quote(c.column) for c in columns]
    ids: list[int] = []
    with connection.cursor() as cursor:
        if returning:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(rows)],
            )
            ids = [r[0] for r in cursor.fetchall()]
            rows = [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
            names = [quote(meta.pk.column), *names]
        sql = f"COPY {quote(meta.db_table)} ({', '.join(names)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            write = copy.write_row
            for row in rows:
                write(row)
    return ids
