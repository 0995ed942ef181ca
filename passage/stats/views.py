"""Statistics pages: departures with charts and tables, the records behind a figure,
exports and the pipeline."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core import audit, policy
from passage.core.errors import ActionError
from passage.core.utils import authed_user
from passage.registry.choices import CaseStatus
from passage.stats import exports, links, panels, presentation
from passage.stats.departures import departure_figures, departure_records
from passage.stats.forms import DepartureFilterForm
from passage.stats.queries import Params, pipeline_cases, read_params

FILTER_KEYS = ("start", "end", "year_kind", "destination", "programme", "stream")
GROUP_PARAMS = ("year", "destination", "programme", "stream", "sex", "age_band")


def _params(request: HttpRequest, **extra: Any) -> Params:
    data = request.GET
    return read_params(
        start=data.get("start"), end=data.get("end"), year_kind=data.get("year_kind"),
        destination=data.get("destination"), programme=data.get("programme"),
        stream=data.get("stream"), today=timezone.localdate(), **extra,
    )  # fmt: skip


def _error_page(request: HttpRequest, exc: ActionError) -> HttpResponse:
    form = DepartureFilterForm(request.GET)
    return render(request, "stats/departures.html", {"form": form, "error": exc}, status=400)


@login_required
def departures(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "stats.view")
    try:
        params = _params(request)
    except ActionError as exc:
        return _error_page(request, exc)
    base = QueryDict(mutable=True)
    for key in FILTER_KEYS:
        if request.GET.get(key):
            base[key] = request.GET[key]
    context = presentation.departures_context(user, params, base)
    context["form"] = DepartureFilterForm(request.GET or None)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "stats/departures.html#results", context)
    return render(request, "stats/departures.html", context)


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """Aggregate figures as a file: no personal data, so not audited."""
    user = authed_user(request)
    policy.require(user, "stats.view")
    fmt = request.GET.get("format", "csv")
    try:
        if fmt not in exports.FORMATS:
            raise ActionError(_("Unknown format."), field="format")
        params = _params(request, by=request.GET.get("by") or "year")
    except ActionError as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    rows = departure_figures(params.filters, params.by, user)
    data = exports.render(rows, params.by, fmt, params.filters.year_kind)
    response = HttpResponse(data, content_type=exports.CONTENT_TYPES[fmt])
    name = f"departures-{'-'.join(params.by)}.{exports.EXTENSIONS[fmt]}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _record_params(request: HttpRequest) -> Params:
    group = {k: request.GET.get(k) for k in ("year", "sex", "age_band")}
    return _params(request, **group)


@login_required
def records(request: HttpRequest) -> HttpResponse:
    """The people behind a figure. Names only for users who may see people; then audited."""
    user = authed_user(request)
    policy.require(user, "stats.view")
    try:
        params = _record_params(request)
    except ActionError as exc:
        return _error_page(request, exc)
    rows = departure_records(params.filters, user)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    show_names = policy.has_permission(user, "registry.view_person")
    items = presentation.record_rows(list(page.object_list), user, show_names)
    if show_names and items:
        audit.record(
            actor=user, action="stats.view_records", object_type="registry.person",
            extra={"filters": request.GET.dict(), "people": [r["person_id"] for r in items]},
        )  # fmt: skip
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page, "items": items, "show_names": show_names, "query": query.urlencode(),
        "total": page.paginator.count,
        "description": presentation.describe(params), "back": presentation.back_query(request),
    }  # fmt: skip
    return render(request, "stats/records.html", context)


@login_required
def records_export(request: HttpRequest) -> HttpResponse:
    """The people behind a figure as CSV: personal data, so the export is audited."""
    user = authed_user(request)
    policy.require(user, "stats.view")
    try:
        params = _record_params(request)
    except ActionError as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    show_names = policy.has_permission(user, "registry.view_person")
    items = presentation.record_rows(
        list(departure_records(params.filters, user)), user, show_names
    )
    audit.record(
        actor=user, action="stats.export_records", object_type="registry.person",
        extra={"filters": request.GET.dict(), "rows": len(items), "names": show_names},
    )  # fmt: skip
    response = HttpResponse(exports.records_csv(items), content_type=exports.CONTENT_TYPES["csv"])
    response["Content-Disposition"] = 'attachment; filename="departures-records.csv"'
    return response


@login_required
def pipeline_case_list(request: HttpRequest) -> HttpResponse:
    """The cases behind a pipeline figure, scoped like the figure."""
    user = authed_user(request)
    policy.require(user, "stats.view")
    status = request.GET.get("status", "")
    if status and status not in CaseStatus.values:
        status = ""
    cases = pipeline_cases(user, status, request.GET.get("destination", "")[:2])
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    page.object_list = list(page.object_list)
    linked = links.visible_case_ids(user, [c.pk for c in page.object_list])
    context = {"page": page, "query": query.urlencode(), "linked": linked,
               "status": CaseStatus(status).label if status else ""}  # fmt: skip
    return render(request, "stats/pipeline_cases.html", context)


@login_required
def pipeline(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "stats.view")
    return render(request, "stats/pipeline.html", panels.context(user))
