"""The readiness board and the readiness of one case (page or htmx partial)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from passage.core import jobs, policy
from passage.core.errors import ActionError
from passage.core.utils import authed_user
from passage.documents import queries, status
from passage.documents.exports import KIND
from passage.documents.forms import BoardFilterForm
from passage.documents.readiness import collector_paused, readiness_for_case
from passage.registry.choices import CaseStatus
from passage.registry.models import Case

EXPIRING_DAYS = 30
BOARD_PAGE = 100  # cases on one page of the board


def _filters(form: BoardFilterForm) -> queries.BoardFilters:
    if not form.is_valid():
        return queries.BoardFilters()
    data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    return queries.BoardFilters(**data)


@login_required
def board(request: HttpRequest) -> HttpResponse:
    # The results of every case are freed when the page is rendered, before the garbage
    # collector resumes (see readiness.collector_paused).
    with collector_paused():
        return _board(request)


def _board(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "documents.board")
    form = BoardFilterForm(request.GET or None, destinations=queries.destinations(user))
    filters = _filters(form)
    rows = queries.board(user, filters)
    # Readiness is computed for every case (counts, filters, sorting); the blocker texts
    # of one page are built, when the page shows them.
    page = Paginator(rows, BOARD_PAGE).get_page(request.GET.get("page"))
    others = request.GET.copy()
    others.pop("page", None)
    context: dict[str, Any] = {
        "form": form,
        "rows": page.object_list,
        "page": page,
        "total": len(rows),
        "filters": filters,
        "query": request.GET.urlencode(),
        "page_query": others.urlencode(),
        "ready_count": sum(1 for r in rows if r.result.ready),
        "can_export": policy.has_permission(user, "documents.export_board"),
        "can_sync": policy.has_permission(user, "documents.set_travel_ready"),
        "can_book": policy.has_permission(user, "movements.book"),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "documents/board.html#results", context)
    context["expiring"] = list(queries.expiring_soon(user, EXPIRING_DAYS)[:200])
    context["overdue"] = list(queries.overdue_applications(user)[:200])
    context["expiring_days"] = EXPIRING_DAYS
    return render(request, "documents/board.html", context)


@login_required
@require_POST
def board_export(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "documents.export_board")
    form = BoardFilterForm(request.POST, destinations=queries.destinations(user))
    filters = _filters(form)
    params = {
        k: (v.isoformat() if isinstance(v, dt.date) else v)
        for k, v in filters.__dict__.items()
        if v not in (None, "", False)
    }
    job = jobs.start_job(actor=user, kind=KIND, title=_("Readiness board export"), params=params)
    messages.success(request, _("The export is running in the background."))
    return redirect("core:job", job_id=job.pk)


@login_required
@require_POST
def board_sync(request: HttpRequest) -> HttpResponse:
    """Move every case whose readiness changed to travel-ready or back (a job)."""
    user = authed_user(request)
    policy.require(user, "documents.set_travel_ready")
    job = jobs.start_job(actor=user, kind=status.SYNC_KIND, title=_("Readiness status update"))
    messages.success(request, _("Case statuses are being updated in the background."))
    return redirect("core:job", job_id=job.pk)


def _departure(request: HttpRequest) -> dt.date | None:
    value = request.GET.get("departure") or request.POST.get("departure")
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def case_readiness(request: HttpRequest, case_id: int) -> HttpResponse:
    """Why the case is or is not ready, and when it could go. A partial for the case page."""
    user = authed_user(request)
    case = policy.get_object_for(user, Case, case_id, "documents.view_readiness")
    departure = _departure(request)
    result = readiness_for_case(case, departure)
    context = {
        "case": case,
        "result": result,
        "asked": departure,
        "ranges": result.ranges(horizon_days=120) if result.has_date_checks else [],
        "can_set": policy.can(user, "documents.set_travel_ready", case),
        "can_mark": case.status == CaseStatus.DOCUMENTS_IN_PROCESS and result.ready,
        "can_revert": case.status == CaseStatus.TRAVEL_READY and not result.ready,
        "today": timezone.localdate(),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "documents/case_readiness.html#readiness", context)
    return render(request, "documents/case_readiness.html", context)


@login_required
@require_POST
def case_status(request: HttpRequest, case_id: int) -> HttpResponse:
    """Move the case to travel-ready, or back, as readiness says."""
    user = authed_user(request)
    case = policy.get_object_for(user, Case, case_id, "documents.set_travel_ready")
    try:
        if request.POST.get("to") == CaseStatus.TRAVEL_READY:
            status.mark_travel_ready(actor=user, case=case, departure=_departure(request))
            messages.success(request, _("The case is travel-ready."))
        else:
            status.revert_travel_ready(actor=user, case=case)
            messages.success(request, _("The case is back to documents in process."))
    except ActionError as exc:
        messages.error(request, exc.message)
    return redirect("documents:case_readiness", case_id=case.pk)
