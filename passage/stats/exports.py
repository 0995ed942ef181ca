"""Departures figures as CSV, XLSX and HXL-tagged CSV.

These exports hold aggregate figures only (counts by group): no personal data, so
they are not audited. The people behind a figure are exported by
:func:`records_csv`, which is audited by its caller.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

FORMATS = ("csv", "xlsx", "hxl")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "hxl": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {"csv": "csv", "hxl": "hxl.csv", "xlsx": "xlsx"}

# The HXL hashtag of each column (https://hxlstandard.org/standard/dictionary/).
HXL_TAGS = {
    "year": "#date+year",
    "destination": "#country+code",
    "programme": "#activity+code+programme",
    "stream": "#activity+code+stream",
    "sex": "#group+sex",
    "age_band": "#group+age",
    "persons": "#reached+ind",
}
FISCAL_YEAR_TAG = "#date+year+fiscal"


def columns(by: Sequence[str]) -> list[str]:
    return [*by, "persons"]


def hxl_tags(by: Sequence[str], year_kind: str = "calendar") -> list[str]:
    tags = [HXL_TAGS[c] for c in columns(by)]
    if year_kind == "fiscal":
        tags = [FISCAL_YEAR_TAG if t == HXL_TAGS["year"] else t for t in tags]
    return tags


def _table(rows: Sequence[dict[str, Any]], by: Sequence[str]) -> list[list[Any]]:
    cols = columns(by)
    return [[row[c] for c in cols] for row in rows]


def to_csv(
    rows: Sequence[dict[str, Any]], by: Sequence[str], *, hxl_row: list[str] | None = None
) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns(by))
    if hxl_row is not None:
        writer.writerow(hxl_row)
    writer.writerows(_table(rows, by))
    return out.getvalue()


def to_xlsx(rows: Sequence[dict[str, Any]], by: Sequence[str], title: str = "Departures") -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(columns(by))
    for line in _table(rows, by):
        sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render(rows: Sequence[dict[str, Any]], by: Sequence[str], fmt: str,
           year_kind: str = "calendar") -> bytes:  # fmt: skip
    """The figures in one of :data:`FORMATS`, as bytes."""
    if fmt == "xlsx":
        return to_xlsx(rows, by)
    if fmt == "hxl":
        return to_csv(rows, by, hxl_row=hxl_tags(by, year_kind)).encode("utf-8")
    if fmt == "csv":
        return to_csv(rows, by).encode("utf-8")
    raise ValueError(fmt)


RECORD_COLUMNS = ["departed", "file_number", "programme", "destination", "stream", "person_id",
                  "name", "sex", "age_band"]  # fmt: skip


def records_csv(records: Sequence[dict[str, Any]]) -> bytes:
    """The people behind a figure (personal data: the caller audits the export)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RECORD_COLUMNS)
    for r in records:
        writer.writerow([
            r["at"].date().isoformat(), r["case__file_number"], r["case__programme"],
            r["case__destination_country"], r["stream"], r["person_id"], r.get("name", ""),
            r["sex"], r["age_band"],
        ])  # fmt: skip
    return out.getvalue().encode("utf-8")
