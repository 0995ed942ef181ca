"""Background jobs: a Job row that people watch, run by a django-tasks worker.

An app registers a handler for a job kind. ``start_job`` creates the row and
queues the task after the transaction commits. The handler gets the job and a
``Progress`` to report ``done`` of ``total``; what it returns is kept as the
job's result. A handler that raises marks the job failed with the message.

Progress is written to the job row when no transaction is open, and always to
the shared cache, so the page sees it even while a handler holds a long
all-or-nothing transaction.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import caches
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from passage.core import audit
from passage.core.choices import JobStatus
from passage.core.errors import ActionError
from passage.core.models import Job, User

log = logging.getLogger(__name__)

Handler = Callable[[Job, "Progress"], dict[str, Any]]
_handlers: dict[str, Handler] = {}


def register(kind: str, handler: Handler) -> None:
    _handlers[kind] = handler


def _cache_key(job_id: int) -> str:
    return f"passage:job:{job_id}:progress"


@dataclass
class Progress:
    job: Job
    every: int = 1

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        total = self.job.total if total is None else total
        if done != total and self.every > 1 and done % self.every:
            return
        self.job.done, self.job.total = done, total
        caches["shared"].set(_cache_key(self.job.pk), (done, total), 24 * 3600)
        if message:
            self.job.log += f"{timezone.now():%H:%M:%S} {message}\n"
        if not connection.in_atomic_block:
            Job.objects.filter(pk=self.job.pk).update(done=done, total=total, log=self.job.log)

    def message(self, text: str) -> None:
        self(self.job.done, self.job.total, text)


def live_progress(job: Job) -> tuple[int, int]:
    """Done and total, from the cache when a running handler has written there."""
    if job.status == JobStatus.RUNNING:
        cached = caches["shared"].get(_cache_key(job.pk))
        if cached:
            return int(cached[0]), int(cached[1])
    return job.done, job.total


def percent(job: Job) -> int:
    done, total = live_progress(job)
    if job.status == JobStatus.SUCCEEDED:
        return 100
    return int(100 * done / total) if total else 0


@transaction.atomic
def start_job(
    *, actor: User | None, kind: str, title: str, params: dict[str, Any] | None = None
) -> Job:
    """Create a job and queue it to run once this transaction commits."""
    if kind not in _handlers:
        raise ActionError(f"unknown job kind {kind!r}", code="unknown_job")
    job = Job.objects.create(kind=kind, title=title, params=params or {}, created_by=actor)
    audit.record(actor=actor, action="job.start", obj=job, extra={"kind": kind})
    transaction.on_commit(lambda: run_job.enqueue(job.pk))
    return job


def execute(job_id: int) -> Job:
    """Run a job's handler now, in this process. The worker calls this."""
    job = Job.objects.get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return job
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    job.status = JobStatus.RUNNING
    progress = Progress(job)
    try:
        result = _handlers[job.kind](job, progress)
    except ActionError as exc:
        _finish(job, JobStatus.FAILED, error=exc.message, result=exc.as_dict())
    except Exception as exc:
        log.exception("job %s failed", job.pk)
        _finish(
            job,
            JobStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}",
            result={"trace": traceback.format_exc(limit=5)},
        )
    else:
        _finish(job, JobStatus.SUCCEEDED, result=result or {})
    job.refresh_from_db()
    return job


def _finish(job: Job, status: str, *, error: str = "", result: dict[str, Any]) -> None:
    done = job.total if status == JobStatus.SUCCEEDED else job.done
    Job.objects.filter(pk=job.pk).update(
        status=status,
        error=error,
        result=result,
        done=done,
        total=job.total,
        log=job.log,
        finished_at=timezone.now(),
        result_file=job.result_file.name if job.result_file else "",
    )
    caches["shared"].delete(_cache_key(job.pk))


@task()
def run_job(job_id: int) -> None:
    execute(job_id)
