"""The import page: upload, preview of what will change, confirm; templates to download."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from passage.core import jobs, policy
from passage.core.choices import JobStatus
from passage.core.errors import ActionError
from passage.core.models import Job, User
from passage.core.utils import authed_user
from passage.registry import imports
from passage.registry.forms import ImportForm
from passage.registry.importing import COLUMNS, template_csv, template_xlsx

INLINE_BYTES = 256 * 1024


def store_upload(user: User, name: str, content: bytes) -> str:
    suffix = PurePosixPath(name).suffix.lower()[:8]
    return default_storage.save(
        f"imports/{user.pk}/{uuid.uuid4().hex}{suffix}", ContentFile(content)
    )


def _own_path(user: User, token: str) -> str:
    path = PurePosixPath(token)
    if path.parts[:2] != ("imports", str(user.pk)) or ".." in path.parts:
        raise Http404("no such upload")
    if not default_storage.exists(token):
        raise Http404("no such upload")
    return token


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "registry.import")
    form = ImportForm(request.POST or None, request.FILES or None)
    jobs_of_user = policy.visible_to(Job.objects.filter(kind=imports.JOB_KIND), user)
    context: dict[str, object] = {"form": form, "columns": COLUMNS, "recent": jobs_of_user[:5]}
    if request.GET.get("job"):
        # A large file checked in the background: its preview, and the button to confirm.
        job = policy.get_object_for(user, jobs_of_user, request.GET["job"])
        if job.status == JobStatus.SUCCEEDED and job.result.get("preview"):
            context.update(
                {
                    "summary": job.result,
                    "token": job.params.get("path", ""),
                    "name": job.params.get("name", ""),
                    "changes": _changes_anything(job.result),
                }
            )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        path = store_upload(user, upload.name, content)
        if len(content) > INLINE_BYTES:
            job = jobs.start_job(
                actor=user,
                kind=imports.JOB_KIND,
                title=_("Import check: %(name)s") % {"name": upload.name},
                params={"path": path, "name": upload.name, "apply": False},
            )
            return redirect("core:job", job_id=job.pk)
        try:
            plan = imports.plan_import(upload.name, content)
        except ActionError as exc:
            context["error"] = exc.as_dict()
        else:
            context.update(
                {
                    "summary": plan.summary(),
                    "token": path,
                    "name": upload.name,
                    "changes": plan.changes_anything,
                }
            )
    return render(request, "registry/import.html", context)


def _changes_anything(summary: dict[str, object]) -> bool:
    keys = ("new_cases", "updated_cases", "new_people", "updated_people", "joined_people")
    return any(summary.get(k) for k in keys)


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "registry.import")
    path = _own_path(user, request.POST.get("token", ""))
    name = request.POST.get("name", path)
    with default_storage.open(path, "rb") as handle:
        content = handle.read()
    if len(content) > INLINE_BYTES:
        job = jobs.start_job(
            actor=user,
            kind=imports.JOB_KIND,
            title=_("Import: %(name)s") % {"name": name},
            params={"path": path, "name": name, "apply": True, "confirm_updates": True},
        )
        return redirect("core:job", job_id=job.pk)
    try:
        plan = imports.plan_import(name, content, check_duplicates=False)
        summary = imports.apply_import(actor=user, plan=plan)
    except ActionError as exc:
        return render(
            request,
            "registry/import.html",
            {"form": ImportForm(), "columns": COLUMNS, "error": exc.as_dict()},
        )
    messages.success(
        request,
        _("Imported: %(cases)s new cases, %(people)s new people, %(updated)s updated.")
        % {
            "cases": summary["new_cases"],
            "people": summary["new_people"],
            "updated": summary["updated_people"],
        },
    )
    return redirect("registry:cases")


@login_required
def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    policy.require(authed_user(request), "registry.import")
    if fmt == "xlsx":
        response = HttpResponse(
            template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif fmt == "csv":
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    else:
        raise Http404("unknown format")
    response["Content-Disposition"] = f'attachment; filename="passage-import-template.{fmt}"'
    return response
