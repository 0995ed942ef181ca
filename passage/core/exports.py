"""The audit log as CSV, written by a background job."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from passage.core import audit, queries
from passage.core.jobs import Progress
from passage.core.models import Job

COLUMNS = ["at", "actor", "action", "object_type", "object_id", "object", "changes", "ip"]


def export_audit(job: Job, progress: Progress) -> dict[str, Any]:
    params = dict(job.params)
    for key in ("since", "until"):
        if params.get(key):
            params[key] = datetime.fromisoformat(params[key])
    assert job.created_by is not None
    events = queries.audit_events(job.created_by, **params).order_by("at", "id")
    total = events.count()
    progress(0, total, f"{total} events to export")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    progress.every = 500
    for done, event in enumerate(events.iterator(chunk_size=1000), start=1):
        writer.writerow(
            [
                event.at.isoformat(),
                event.actor_repr,
                event.action,
                event.object_type,
                event.object_id,
                event.object_repr,
                json.dumps(event.changes, ensure_ascii=False),
                event.ip or "",
            ]
        )
        progress(done, total)
    name = f"audit-{timezone.now():%Y%m%d-%H%M%S}.csv"
    with transaction.atomic():
        job.result_file.save(name, ContentFile(buffer.getvalue().encode("utf-8")), save=False)
        audit.record(
            actor=job.created_by,
            action="audit.export",
            obj=job,
            extra={"rows": total, "filters": job.params},
        )
    progress(total, total, "done")
    return {"rows": total, "file": job.result_file.name}
