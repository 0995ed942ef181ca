"""Pages of trainers and case workers: courses, sessions, enrolment and attendance."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from passage.core import policy
from passage.core.errors import ActionError
from passage.core.utils import authed_user
from passage.orientation import actions, enrolment, queries
from passage.orientation.choices import COURSE_TRANSITIONS, CourseStatus, EnrolmentStatus
from passage.orientation.forms import CourseForm, EnrolForm, SessionForm, WithdrawForm
from passage.orientation.models import Course, Enrolment, Session, plain_hours

MOVE_LABELS: dict[str, Any] = {
    CourseStatus.COMPLETED: gettext_lazy("Mark the course as held"),
    CourseStatus.CANCELLED: gettext_lazy("Cancel the course"),
    CourseStatus.PLANNED: gettext_lazy("Reopen the course"),
}


def form_error(form: forms.BaseForm, exc: ActionError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "orientation.view")
    return render(
        request,
        "orientation/home.html",
        {
            "sessions": queries.my_sessions(user),
            "courses": list(queries.courses_for(user)[:100]),
            "can_plan": policy.has_permission(user, "orientation.plan"),
            "can_calendar": policy.has_permission(user, "orientation.calendar"),
        },
    )


@login_required
def course_new(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "orientation.plan")
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = actions.plan_course(actor=user, **form.cleaned_data)
        except ActionError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Course planned. Add its sessions."))
            return redirect("orientation:course", course.pk)
    return render(request, "orientation/course_form.html", {"form": form})


def _course_context(user: Any, course: Course, **extra: Any) -> dict[str, Any]:
    sessions = queries.course_sessions(course)
    initial = {"trainers": [user.pk], "venue": course.venue}
    return {
        "course": course,
        "sessions": sessions,
        "rows": queries.roster(course, sessions),
        "enrolled": sum(1 for e in course.enrolments.all() if e.status == EnrolmentStatus.ENROLLED),
        "session_form": extra.pop("session_form", None) or SessionForm(initial=initial),
        "enrol_form": extra.pop("enrol_form", None) or EnrolForm(),
        "moves": [(m, MOVE_LABELS[m]) for m in sorted(COURSE_TRANSITIONS.get(course.status, ()))],
        "can_plan": policy.has_permission(user, "orientation.plan"),
        "can_enrol": policy.has_permission(user, "orientation.enrol"),
        "can_attend": policy.has_permission(user, "orientation.attendance"),
        "can_print": policy.has_permission(user, "orientation.certificates"),
        "is_planned": course.status == CourseStatus.PLANNED,
        **extra,
    }


def _course(user: Any, course_id: int, permission: str | None = None) -> Course:
    queryset = Course.objects.select_related("curriculum")
    return policy.get_object_for(user, queryset, course_id, permission)


@login_required
def course_detail(request: HttpRequest, course_id: int) -> HttpResponse:
    user = authed_user(request)
    course = _course(user, course_id)
    return render(request, "orientation/course.html", _course_context(user, course))


@login_required
@require_POST
def session_add(request: HttpRequest, course_id: int) -> HttpResponse:
    user = authed_user(request)
    course = _course(user, course_id, "orientation.plan")
    form = SessionForm(request.POST)
    if form.is_valid():
        starts, ends = form.times()
        try:
            actions.add_session(
                actor=user, course=course, starts_at=starts, ends_at=ends,
                trainers=list(form.cleaned_data["trainers"]), venue=form.cleaned_data["venue"],
                topic=form.cleaned_data["topic"],
            )  # fmt: skip
        except ActionError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Session added."))
            return redirect("orientation:course", course.pk)
    context = _course_context(user, course, session_form=form)
    return render(request, "orientation/course.html", context, status=400)


def _enrol_messages(request: HttpRequest, result: enrolment.EnrolResult) -> None:
    if result.enrolled:
        names = ", ".join(e.person.display_name for e in result.enrolled)
        messages.success(request, _("Enrolled: %(names)s.") % {"names": names})
    if result.waitlisted:
        names = ", ".join(e.person.display_name for e in result.waitlisted)
        messages.warning(
            request, _("The course is full; on the waiting list: %(names)s.") % {"names": names}
        )
    for _skipped, reason in result.skipped:
        messages.info(request, reason)
    if result.clashes:
        messages.warning(request, _("Clashes found: see the list of participants."))


@login_required
@require_POST
def withdraw(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    user = authed_user(request)
    record = policy.get_object_for(user, Enrolment, enrolment_id, "orientation.enrol")
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        promoted = enrolment.withdraw(actor=user, enrolment=record, reason=reason)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Withdrawn."))
        if promoted is not None:
            messages.info(
                request,
                _("%(name)s moved from the waiting list onto the course.")
                % {"name": promoted.person.display_name},
            )
    return redirect("orientation:course", record.course_id)


@login_required
@require_POST
def course_status(request: HttpRequest, course_id: int) -> HttpResponse:
    user = authed_user(request)
    course = _course(user, course_id, "orientation.plan")
    try:
        actions.change_course_status(
            actor=user, course=course, to=request.POST.get("to", ""),
            reason=request.POST.get("reason", ""),
        )  # fmt: skip
    except ActionError as exc:
        messages.error(request, exc.message)
    return redirect("orientation:course", course.pk)


@login_required
def attendance(request: HttpRequest, session_id: int) -> HttpResponse:
    """Take attendance on a phone: one row per enrolled person, hours present."""
    user = authed_user(request)
    session = policy.get_object_for(
        user, Session.objects.select_related("course__curriculum"), session_id
    )
    rows = [
        r
        for r in queries.roster(session.course, [session])
        if r.enrolment.status == EnrolmentStatus.ENROLLED
    ]
    error = ""
    status = 200
    values: dict[int, object] = {r.enrolment.pk: r.attended.get(session.pk) for r in rows}
    if request.method == "POST":
        policy.require(user, "orientation.attendance")
        raw = {r.enrolment.pk: request.POST.get(f"hours_{r.enrolment.pk}", "") for r in rows}
        try:
            hours = {
                pk: enrolment.parse_hours(value, f"hours_{pk}")
                for pk, value in raw.items()
                if str(value).strip() != ""
            }
            enrolment.record_attendance(actor=user, session=session, hours=hours)
        except ActionError as exc:
            error, status = exc.message, 400
            values = {pk: raw[pk] for pk in raw}
        else:
            messages.success(request, _("Attendance saved."))
            return redirect("orientation:attendance", session.pk)
    return render(
        request,
        "orientation/attendance.html",
        {
            "session": session,
            "rows": [(r, values.get(r.enrolment.pk)) for r in rows],
            "error": error,
            "can_attend": policy.has_permission(user, "orientation.attendance"),
            "today": timezone.localdate(),
            "full": plain_hours(session.hours),
        },
        status=status,
    )
