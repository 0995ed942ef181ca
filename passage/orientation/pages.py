"""Pages beside the course pages: certificates, calendars, a case's CO status,
statistics and the curricula."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core import audit, policy
from passage.core.errors import ActionError
from passage.core.utils import authed_user
from passage.orientation import actions, certificates, completion, enrolment, ical, queries
from passage.orientation.forms import CurriculumVersionForm, ScoresForm
from passage.orientation.models import CalendarFeed, Course, Curriculum, Enrolment, Session
from passage.orientation.views import form_error
from passage.registry.models import Case


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def certificate(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    user = authed_user(request)
    queryset = Enrolment.objects.select_related("person", "course__curriculum")
    record = policy.get_object_for(user, queryset, enrolment_id, "orientation.certificates")
    try:
        pdf = certificates.render(record.course, [record])
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("orientation:course", record.course_id)
    audit.record(actor=user, action="orientation.certificate", obj=record)
    return _pdf(pdf, f"{certificates.certificate_number(record)}.pdf")


@login_required
def course_certificates(request: HttpRequest, course_id: int) -> HttpResponse:
    user = authed_user(request)
    course = policy.get_object_for(
        user, Course.objects.select_related("curriculum"), course_id, "orientation.certificates"
    )
    done = list(
        course.enrolments.filter(completed_on__isnull=False)
        .select_related("person")
        .order_by("person__latin_surname", "person__latin_given_names")
    )
    try:
        pdf = certificates.render(course, done)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("orientation:course", course.pk)
    audit.record(
        actor=user, action="orientation.certificates", obj=course,
        extra={"enrolments": [e.pk for e in done]},
    )  # fmt: skip
    return _pdf(pdf, f"certificates-course-{course.pk}.pdf")


@login_required
def enrolment_detail(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    user = authed_user(request)
    queryset = Enrolment.objects.select_related("person", "case", "course__curriculum")
    record = policy.get_object_for(user, queryset, enrolment_id)
    form = ScoresForm(
        request.POST or None,
        initial={
            "pre_test_score": record.pre_test_score,
            "post_test_score": record.post_test_score,
            "trainer_notes": record.trainer_notes,
        },
    )
    if request.method == "POST":
        policy.require(user, "orientation.attendance")
        if form.is_valid():
            try:
                enrolment.record_scores(actor=user, enrolment=record, **form.cleaned_data)
            except ActionError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("orientation:enrolment", record.pk)
    attended = record.attendance.select_related("session").order_by("session__starts_at")
    return render(
        request,
        "orientation/enrolment.html",
        {"enrolment": record, "form": form, "attended": attended,
         "can_edit": policy.has_permission(user, "orientation.attendance")},
    )  # fmt: skip


def _ics(data: bytes, name: str, download: bool) -> HttpResponse:
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    if download:
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def session_ics(request: HttpRequest, session_id: int) -> HttpResponse:
    user = authed_user(request)
    queryset = Session.objects.select_related("course__curriculum").prefetch_related("trainers")
    session = policy.get_object_for(user, queryset, session_id)
    data = ical.to_ics([session], session.course.title, request.get_host())
    return _ics(data, f"co-session-{session.pk}.ics", download=True)


def feed(request: HttpRequest, secret: str) -> HttpResponse:
    """A trainer's live calendar; the secret in the address is the only credential."""
    user = ical.feed_user(secret)
    if user is None or not policy.has_permission(user, "orientation.calendar"):
        raise Http404
    sessions = ical.trainer_sessions(user)
    name = _("CO sessions of %(name)s") % {"name": user.get_full_name() or user.username}
    return _ics(ical.to_ics(sessions, name, request.get_host()), "sessions.ics", False)


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "orientation.calendar")
    address = ""
    if request.method == "POST":
        try:
            _feed, secret = actions.create_calendar_feed(actor=user)
        except ActionError as exc:
            messages.error(request, exc.message)
        else:
            address = request.build_absolute_uri(f"/orientation/feed/{secret}.ics")
    feeds = policy.visible_to(CalendarFeed.objects.all(), user).filter(
        user=user, revoked_at__isnull=True
    )
    return render(
        request,
        "orientation/calendar.html",
        {"address": address, "active": feeds.first(), "sessions": queries.my_sessions(user)},
    )


@login_required
def case_status(request: HttpRequest, case_id: int) -> HttpResponse:
    """A case's CO status: a page, or the partial alone for htmx (or ``?partial=1``)."""
    user = authed_user(request)
    case = policy.get_object_for(user, Case, case_id)
    status = completion.case_statuses([case])[case.pk]
    full = not getattr(request, "htmx", False) and request.GET.get("partial") != "1"
    return render(
        request,
        "orientation/case_status.html" if full else "orientation/_case_status.html",
        {"co": status, "co_labels": completion.state_labels()},
    )


def _date(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "orientation.stats")
    today = timezone.localdate()
    start = _date(request.GET.get("from"), today.replace(month=1, day=1))
    end = _date(request.GET.get("to"), today)
    period = "year" if request.GET.get("period") == "year" else "month"
    return render(
        request,
        "orientation/stats.html",
        {
            "start": start,
            "end": end,
            "period": period,
            "trained": queries.trained_by_destination(start, end, period),
            "rates": queries.attendance_rate(start, end),
        },
    )


@login_required
def curricula(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "orientation.view")
    in_force = {c.pk for c in completion.curricula_in_force(timezone.localdate())}
    return render(
        request,
        "orientation/curricula.html",
        {
            "rows": list(queries.curricula_for(user)),
            "in_force": in_force,
            "can_manage": policy.has_permission(user, "orientation.manage_curricula"),
        },
    )


@login_required
def curriculum_new_version(request: HttpRequest, curriculum_id: int) -> HttpResponse:
    user = authed_user(request)
    base = policy.get_object_for(user, Curriculum, curriculum_id, "orientation.manage_curricula")
    form = CurriculumVersionForm(
        request.POST or None, initial=CurriculumVersionForm.initial_from(base)
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_curriculum_version(
                actor=user, code=base.code, base=base,
                effective_from=form.cleaned_data["effective_from"],
                change_note=form.cleaned_data["change_note"], **form.changes(),
            )  # fmt: skip
        except ActionError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("New version saved."))
            return redirect("orientation:curricula")
    return render(request, "orientation/curriculum_form.html", {"form": form, "base": base})
