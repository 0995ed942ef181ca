"""Home, jobs and the audit log."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from passage.core import audit, jobs, policy, queries
from passage.core.forms import AuditFilterForm
from passage.core.models import Job
from passage.core.utils import authed_user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "core.home")
    recent_jobs = policy.visible_to(Job.objects.all(), user)[:5]
    return render(request, "core/home.html", {"recent_jobs": recent_jobs})


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "core.view_jobs")
    rows = policy.visible_to(Job.objects.select_related("created_by"), user)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "core/jobs.html", {"page": page})


@login_required
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    user = authed_user(request)
    job = policy.get_object_for(user, Job, job_id)
    done, total = jobs.live_progress(job)
    context = {"job": job, "done": done, "total": total, "percent": jobs.percent(job)}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "core/job_detail.html#progress", context)
    return render(request, "core/job_detail.html", context)


@login_required
def job_download(request: HttpRequest, job_id: int) -> FileResponse:
    user = authed_user(request)
    job = policy.get_object_for(user, Job, job_id)
    if not job.result_file:
        from django.http import Http404

        raise Http404("no file")
    audit.record(actor=user, action="job.download", obj=job, extra={"file": job.result_file.name})
    return FileResponse(
        job.result_file.open("rb"),
        as_attachment=True,
        filename=job.result_file.name.rsplit("/", 1)[-1],
    )


def _filters(form: AuditFilterForm) -> dict[str, Any]:
    """The form's filters, with dates widened to whole days in the current zone."""
    if not form.is_valid():
        return {}
    data: dict[str, Any] = {k: v for k, v in form.cleaned_data.items() if v}
    tz = timezone.get_current_timezone()
    if "since" in data:
        data["since"] = datetime.combine(data["since"], time.min, tzinfo=tz)
    if "until" in data:
        data["until"] = datetime.combine(data["until"], time.max, tzinfo=tz)
    return data


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "core.view_audit")
    form = AuditFilterForm(request.GET or None)
    events = queries.audit_events(user, **_filters(form)).select_related("actor")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": request.GET.urlencode()}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "core/audit.html#results", context)
    return render(request, "core/audit.html", context)


@login_required
@require_POST
def audit_export(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "core.export_audit")
    form = AuditFilterForm(request.POST)
    params = {
        k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in _filters(form).items()
    }
    job = jobs.start_job(
        actor=user, kind="core.audit_export", title=_("Audit log export"), params=params
    )
    messages.success(request, _("The export is running in the background."))
    return redirect("core:job", job_id=job.pk)
