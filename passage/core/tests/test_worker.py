import pytest
from django.core.management import call_command
from django.test import override_settings

from passage.core import jobs
from passage.core.models import Job

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_worker_runs_queued_jobs_from_the_database(personas):
    """A job waits in the database until `passage worker` picks it up."""
    with override_settings(TASKS=DATABASE_TASKS):
        job = jobs.start_job(actor=personas.admin, kind="core.audit_export", title="export")
        job.refresh_from_db()
        assert job.status == "queued"  # nothing ran in the web process
        call_command("worker", batch=True)
    job = Job.objects.get(pk=job.pk)
    assert job.status == "succeeded"
    assert job.result_file.name.endswith(".csv")
    assert job.finished_at is not None


@pytest.mark.django_db
def test_failed_job_keeps_its_error(personas, django_capture_on_commit_callbacks):
    def explode(job, progress):
        progress(1, 3, "first row done")
        raise ValueError("row 2 is broken")

    jobs.register("test.explode", explode)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_job(actor=personas.case_worker, kind="test.explode", title="boom")
    job.refresh_from_db()
    assert job.status == "failed"
    assert "row 2 is broken" in job.error
    assert job.done == 1 and job.total == 3
    assert "first row done" in job.log
