"""Pages that change a planned course: its details, sessions, enrolment of chosen
family members and the order of its waiting list. Actions decide; these only ask."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from passage.core import policy
from passage.core.errors import ActionError
from passage.core.utils import authed_user
from passage.orientation import actions, enrolment
from passage.orientation.actions import EDITABLE_COURSE_FIELDS
from passage.orientation.forms import CourseEditForm, EnrolForm, MembersForm
from passage.orientation.models import Course, Enrolment, Session
from passage.orientation.views import _enrol_messages, form_error
from passage.registry.models import Case


def _course(user: Any, course_id: int, permission: str) -> Course:
    queryset = Course.objects.select_related("curriculum")
    return policy.get_object_for(user, queryset, course_id, permission)


@login_required
def course_edit(request: HttpRequest, course_id: int) -> HttpResponse:
    user = authed_user(request)
    course = _course(user, course_id, "orientation.plan")
    sessions = list(course.sessions.prefetch_related("trainers"))
    initial: dict[str, Any] = {name: getattr(course, name) for name in EDITABLE_COURSE_FIELDS}
    initial["trainers"] = sorted({t.pk for s in sessions for t in s.trainers.all()})
    form = CourseEditForm(request.POST or None, initial=initial, has_sessions=bool(sessions))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            trainers = list(data.pop("trainers")) if "trainers" in data else None
            try:
                actions.edit_course(actor=user, course=course, trainers=trainers, **data)
            except ActionError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Course saved."))
                return redirect("orientation:course", course.pk)
    context = {"course": course, "form": form, "sessions": sessions}
    return render(request, "orientation/course_edit.html", context, status=status)


@login_required
@require_POST
def session_remove(request: HttpRequest, session_id: int) -> HttpResponse:
    user = authed_user(request)
    session = policy.get_object_for(user, Session, session_id, "orientation.plan")
    try:
        actions.remove_session(actor=user, session=session)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Session removed."))
    return redirect("orientation:course", session.course_id)


@login_required
@require_POST
def waitlist_move(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    user = authed_user(request)
    record = policy.get_object_for(user, Enrolment, enrolment_id, "orientation.plan")
    try:
        enrolment.move_waiting(
            actor=user, enrolment=record, direction=request.POST.get("direction", "")
        )
    except ActionError as exc:
        messages.error(request, exc.message)
    return redirect("orientation:course", record.course_id)


def _find_case(user: Any, form: EnrolForm) -> Case | None:
    if not form.is_valid():
        return None
    number = form.cleaned_data["file_number"].strip()
    case = policy.visible_to(Case.objects.all(), user).filter(file_number=number).first()
    if case is None:
        form.add_error("file_number", _("No case %(number)s.") % {"number": number})
    return case


@login_required
def enrol(request: HttpRequest, course_id: int) -> HttpResponse:
    """Find a case by file number, then tick the members to enrol (eligible ones ticked)."""
    user = authed_user(request)
    course = _course(user, course_id, "orientation.enrol")
    data = request.POST if request.method == "POST" else request.GET
    find = EnrolForm(data or None)
    case = _find_case(user, find) if data else None
    rows = enrolment.candidates(course, case) if case else []
    choices = [(p.pk, p.display_name) for p, reason in rows if reason is None]
    members = MembersForm(
        request.POST if request.method == "POST" else None,
        choices=choices,
        initial={"people": [pk for pk, _name in choices]},
    )
    status = 200 if request.method == "GET" else 400
    if request.method == "POST" and case is not None and members.is_valid():
        chosen = {int(pk) for pk in members.cleaned_data["people"]}
        people = [p for p, _reason in rows if p.pk in chosen]
        try:
            result = enrolment.enrol_case(actor=user, course=course, case=case, people=people)
        except ActionError as exc:
            form_error(members, exc)
        else:
            _enrol_messages(request, result)
            return redirect("orientation:course", course.pk)
    context = {"course": course, "find": find, "case": case, "rows": rows, "members": members}
    return render(request, "orientation/course_enrol.html", context, status=status)
