"""The readiness board as an XLSX workbook, written by a background job."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from passage.core import audit
from passage.core.jobs import Progress
from passage.core.models import Job
from passage.documents import queries
from passage.documents.readiness import collector_paused
from passage.documents.status import window_text

KIND = "documents.board_export"


def filters_from_params(params: dict[str, Any]) -> queries.BoardFilters:
    values = {k: v for k, v in params.items() if k in queries.BoardFilters.__dataclass_fields__}
    if values.get("departure"):
        values["departure"] = dt.date.fromisoformat(values["departure"])
    return queries.BoardFilters(**values)


def _board_sheet(sheet: Worksheet, rows: list[queries.BoardRow], progress: Progress) -> None:
    sheet.title = str(_("Readiness"))[:31]
    sheet.append(
        [
            str(h)
            for h in (
                _("Case"),
                _("Destination"),
                _("Programme"),
                _("Status"),
                _("People"),
                _("Ready"),
                _("Departure"),
                _("Window"),
                _("Blockers"),
                _("Warnings"),
            )
        ]
    )
    progress(0, len(rows))
    progress.every = 500
    for done, row in enumerate(rows, start=1):
        result = row.result
        sheet.append(
            [
                row.case.file_number,
                row.case.destination_country,
                str(row.case.get_programme_display()),
                str(row.case.get_status_display()),
                len(getattr(row.case, "active_members", [])),
                str(_("yes")) if result.ready else str(_("no")),
                result.departure,
                window_text(result),
                "\n".join(f"{b.reason} → {b.resolve}" for b in result.blockers),
                "\n".join(w.reason for w in result.warnings),
            ]
        )
        progress(done, len(rows))


def export_board(job: Job, progress: Progress) -> dict[str, Any]:
    assert job.created_by is not None
    user = job.created_by
    progress.message(_("Computing readiness"))
    book = Workbook()
    with collector_paused():  # the results are freed once their sheet is written
        rows = queries.board(user, filters_from_params(job.params))
        count = len(rows)
        _board_sheet(book.active, rows, progress)
        del rows
    expiring = book.create_sheet(str(_("Expiring soon"))[:31])
    expiring.append(
        [str(h) for h in (_("Person"), _("Document"), _("Number"), _("Expires on"), _("Case"))]
    )
    for doc in queries.expiring_soon(user, int(job.params.get("within_days", 30))):
        cases = ", ".join(m.case.file_number for m in doc.person.current)  # type: ignore[attr-defined]
        expiring.append([str(doc.person), doc.doc_type.name, doc.number, doc.expires_on, cases])
    buffer = io.BytesIO()
    book.save(buffer)
    name = f"readiness-{timezone.now():%Y%m%d-%H%M%S}.xlsx"
    with transaction.atomic():
        job.result_file.save(name, ContentFile(buffer.getvalue()), save=False)
        audit.record(
            actor=user,
            action="documents.export_board",
            obj=job,
            extra={"rows": count, "filters": job.params},
        )
    progress(count, count, _("done"))
    return {"rows": count, "file": job.result_file.name}
