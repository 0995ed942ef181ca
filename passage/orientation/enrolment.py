"""Enrolment (with waiting lists), attendance, completion and test scores.

Enrolling a case needs an embassy request for CO that is valid on the course's
first day (:func:`passage.registry.services.require_service`). Completion is
computed against the curriculum's required hours each time attendance is
recorded; when every member who must complete CO has completed, the case moves
from "CO scheduled" to "CO attended" through the registry's transition table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core import audit
from passage.core.errors import ActionError, ConflictError
from passage.core.models import User
from passage.core.workflow import allowed_moves, check_transition
from passage.orientation.choices import ENROLMENT_TRANSITIONS, CourseStatus, EnrolmentStatus
from passage.orientation.clashes import Clash, course_clashes
from passage.orientation.completion import age_on, applicable, case_statuses
from passage.orientation.models import (
    Attendance,
    Course,
    Enrolment,
    EnrolmentStatusChange,
    Session,
)
from passage.registry.actions import transition_case
from passage.registry.choices import CASE_TRANSITIONS, CaseStatus, Service
from passage.registry.models import Case, Person
from passage.registry.services import require_service


@dataclass
class EnrolResult:
    enrolled: list[Enrolment] = field(default_factory=list)
    waitlisted: list[Enrolment] = field(default_factory=list)
    skipped: list[tuple[Person, str]] = field(default_factory=list)
    clashes: list[Clash] = field(default_factory=list)


def course_start(course: Course) -> dt.date:
    first = course.sessions.order_by("starts_at").first()
    return timezone.localdate(first.starts_at) if first else timezone.localdate()


def ineligibility(course: Course, case: Case, person: Person, on_date: dt.date) -> str | None:
    """Why ``person`` of ``case`` may not take ``course``, or None."""
    curriculum = course.curriculum
    if not applicable([curriculum], case.destination_country, case.programme):
        return _("%(curriculum)s is not a curriculum for %(country)s (%(programme)s).") % {
            "curriculum": curriculum.name,
            "country": case.destination_country,
            "programme": case.get_programme_display(),
        }
    if person.date_of_birth is None:
        return _("%(name)s has no date of birth; the age band cannot be checked.") % {
            "name": person.display_name
        }
    age = age_on(person.date_of_birth, on_date)
    if not curriculum.covers_age(age):
        return _("%(name)s is %(age)s on %(date)s; the course is for ages %(band)s.") % {
            "name": person.display_name,
            "age": age,
            "date": on_date.isoformat(),
            "band": curriculum.age_band,
        }
    return None


def candidates(course: Course, case: Case) -> list[tuple[Person, str | None]]:
    """The current members of ``case`` with the reason each cannot join ``course`` (or None)."""
    start = course_start(course)
    taken = set(
        course.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN).values_list(
            "person_id", flat=True
        )
    )
    rows: list[tuple[Person, str | None]] = []
    memberships = case.memberships.filter(ended_at__isnull=True).select_related("person")
    for membership in memberships.order_by("id"):
        person = membership.person
        if person.pk in taken:
            rows.append(
                (person, _("%(name)s is already on this course.") % {"name": person.display_name})
            )
        else:
            rows.append((person, ineligibility(course, case, person, start)))
    return rows


def _history(enrolment: Enrolment, actor: User | None, before: str, reason: str) -> None:
    EnrolmentStatusChange.objects.create(
        enrolment=enrolment, from_status=before, to_status=enrolment.status, actor=actor,
        reason=reason[:300],
    )  # fmt: skip


def _schedule_case(actor: User, case: Case, course: Course) -> None:
    if CaseStatus.CO_SCHEDULED in allowed_moves(CASE_TRANSITIONS, case.status):
        transition_case(
            actor=actor,
            case=case,
            to=CaseStatus.CO_SCHEDULED,
            reason=_("Enrolled on the CO course %(course)s") % {"course": course.title},
        )


@transaction.atomic
def enrol_case(
    *, actor: User, course: Course, case: Case, people: Sequence[Person] | None = None
) -> EnrolResult:
    """Enrol the eligible members of ``case`` (or only ``people``); over capacity they wait.

    Members named in ``people`` who are not eligible are refused (nothing is written);
    when the whole case is enrolled, ineligible members are skipped with the reason.
    """
    course = Course.objects.select_for_update().select_related("curriculum").get(pk=course.pk)
    if course.status != CourseStatus.PLANNED:
        raise ConflictError(_("The course is no longer open for enrolment."), field="course")
    start = course_start(course)
    require_service(case, Service.CO, start)
    members = [
        m.person for m in case.memberships.filter(ended_at__isnull=True).select_related("person")
    ]
    member_ids = {p.pk for p in members}
    if people is not None:
        for person in people:
            if person.pk not in member_ids:
                raise ActionError(
                    _("%(name)s is not a member of case %(case)s.")
                    % {"name": person.display_name, "case": case.file_number},
                    field="people",
                )
            reason = ineligibility(course, case, person, start)
            if reason:
                raise ActionError(reason, field="people", code="not_eligible")
    chosen = list(people) if people is not None else members
    taken = set(
        course.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN).values_list(
            "person_id", flat=True
        )
    )
    seats = course.capacity - course.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()
    result = EnrolResult()
    queue = waiting_list(course)
    last_place = max([e.queue_position for e in queue] + [len(queue)])
    for person in chosen:
        reason = ineligibility(course, case, person, start)
        if person.pk in taken:
            reason = _("%(name)s is already on this course.") % {"name": person.display_name}
        if reason:
            result.skipped.append((person, reason))
            continue
        status = EnrolmentStatus.ENROLLED if seats > 0 else EnrolmentStatus.WAITLISTED
        seats -= status == EnrolmentStatus.ENROLLED
        if status == EnrolmentStatus.WAITLISTED:
            last_place += 1
        enrolment = Enrolment.objects.create(
            course=course, person=person, case=case, status=status,
            queue_position=last_place if status == EnrolmentStatus.WAITLISTED else 0,
        )  # fmt: skip
        _history(enrolment, actor, "", "")
        (result.enrolled if status == EnrolmentStatus.ENROLLED else result.waitlisted).append(
            enrolment
        )
    added = result.enrolled + result.waitlisted
    if not added:
        raise ActionError(
            _("Nobody in case %(case)s can be enrolled: %(reasons)s")
            % {"case": case.file_number, "reasons": " ".join(r for _p, r in result.skipped)},
            field="case",
            code="nobody_eligible",
        )
    audit.record(
        actor=actor,
        action="orientation.enrol",
        obj=course,
        extra={
            "case": case.pk,
            "enrolled": [e.person_id for e in result.enrolled],
            "waitlisted": [e.person_id for e in result.waitlisted],
        },
    )
    _schedule_case(actor, case, course)
    sessions = list(course.sessions.all())
    result.clashes = course_clashes(sessions, [e.person_id for e in added])
    return result


@transaction.atomic
def withdraw(*, actor: User, enrolment: Enrolment, reason: str) -> Enrolment | None:
    """Take someone off a course; the first on the waiting list takes the seat (returned)."""
    locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    check_transition(
        ENROLMENT_TRANSITIONS, EnrolmentStatus, locked.status, EnrolmentStatus.WITHDRAWN
    )
    if not reason.strip():
        raise ActionError(_("Give a reason."), field="reason")
    before = locked.status
    locked.status = EnrolmentStatus.WITHDRAWN
    locked.save(update_fields=["status"])
    _history(locked, actor, before, reason)
    audit.record(
        actor=actor, action="orientation.withdraw", obj=locked,
        changes={"status": [before, locked.status]}, extra={"reason": reason},
    )  # fmt: skip
    promoted = None
    if before == EnrolmentStatus.ENROLLED:
        moved = promote_waiting(actor, locked.course, 1)
        promoted = moved[0] if moved else None
    enrolment.status = locked.status
    return promoted


def waiting_list(course: Course) -> list[Enrolment]:
    """The waiting list in order (locked): hand-set place first, then enrolment time."""
    return list(
        Enrolment.objects.select_for_update()
        .filter(course_id=course.pk, status=EnrolmentStatus.WAITLISTED)
        .order_by("queue_position", "enrolled_at", "id")
    )


def promote_waiting(actor: User, course: Course, seats: int) -> list[Enrolment]:
    """Move up to ``seats`` people from the head of the waiting list onto the course."""
    promoted = waiting_list(course)[: max(seats, 0)]
    for enrolment in promoted:
        enrolment.status = EnrolmentStatus.ENROLLED
        enrolment.save(update_fields=["status"])
        _history(enrolment, actor, EnrolmentStatus.WAITLISTED, _("A seat became free"))
        audit.record(
            actor=actor, action="orientation.promote", obj=enrolment,
            changes={"status": [EnrolmentStatus.WAITLISTED, EnrolmentStatus.ENROLLED]},
        )  # fmt: skip
    return promoted


@transaction.atomic
def move_waiting(*, actor: User, enrolment: Enrolment, direction: str) -> list[Enrolment]:
    """Move someone one place up or down the waiting list; returns the new order."""
    if direction not in ("up", "down"):
        raise ActionError(_("Move up or down."), field="direction")
    course = Course.objects.select_for_update().get(pk=enrolment.course_id)
    if course.status != CourseStatus.PLANNED:
        raise ConflictError(_("The course is no longer open for enrolment."), field="course")
    queue = waiting_list(course)
    index = next((i for i, e in enumerate(queue) if e.pk == enrolment.pk), None)
    if index is None:
        raise ActionError(_("This person is not on the waiting list."), field="enrolment")
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(queue):
        message = (
            _("Already first on the waiting list.")
            if direction == "up"
            else _("Already last on the waiting list.")
        )
        raise ActionError(message, field="direction")
    before = [e.pk for e in queue]
    queue[index], queue[other] = queue[other], queue[index]
    for position, row in enumerate(queue, start=1):
        if row.queue_position != position:
            row.queue_position = position
            row.save(update_fields=["queue_position"])
    audit.record(
        actor=actor, action="orientation.waitlist_move", obj=queue[other],
        changes={"waiting_list": [before, [e.pk for e in queue]]}, extra={"direction": direction},
    )  # fmt: skip
    return queue


def parse_hours(value: object, field_name: str) -> Decimal:
    try:
        hours = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ActionError(_("Hours must be a number."), field=field_name) from None
    if not hours.is_finite() or hours < 0:
        raise ActionError(_("Hours cannot be negative."), field=field_name)
    return hours.quantize(Decimal("0.01"))


def _check_attendance(
    session: Session, hours: Mapping[int, Decimal], enrolments: dict[int, Enrolment]
) -> None:
    if session.course.status == CourseStatus.CANCELLED:
        raise ConflictError(_("The course is cancelled."), field="session")
    if timezone.localdate(session.starts_at) > timezone.localdate():
        raise ActionError(
            _("The session has not taken place yet; record attendance on or after its day."),
            field="session",
        )
    limit = session.hours
    for enrolment_id, value in hours.items():
        enrolment = enrolments.get(enrolment_id)
        if enrolment is None or enrolment.status != EnrolmentStatus.ENROLLED:
            raise ActionError(
                _("Row %(id)s is not an enrolled participant of this course.")
                % {"id": enrolment_id},
                field=f"hours_{enrolment_id}",
            )
        if value > limit:
            raise ActionError(
                _("%(name)s: %(hours)s h is longer than the session (%(limit)s h).")
                % {"name": enrolment.person.display_name, "hours": value, "limit": limit},
                field=f"hours_{enrolment_id}",
                code="longer_than_session",
            )


@transaction.atomic
def record_attendance(
    *, actor: User, session: Session, hours: Mapping[int, Decimal]
) -> list[Enrolment]:
    """Hours present per enrolment id for one session; all rows or none. Returns the
    enrolments whose completion changed."""
    session = Session.objects.select_related("course__curriculum").get(pk=session.pk)
    enrolments = {
        e.pk: e
        for e in Enrolment.objects.select_for_update()
        .filter(course_id=session.course_id)
        .select_related("person", "case")
    }
    _check_attendance(session, hours, enrolments)
    for enrolment_id, value in hours.items():
        Attendance.objects.update_or_create(
            enrolment_id=enrolment_id,
            session=session,
            defaults={"hours": value, "recorded_by": actor, "recorded_at": timezone.now()},
        )
    changed = _recompute(actor, session.course, [enrolments[i] for i in hours])
    audit.record(
        actor=actor, action="orientation.attendance", obj=session,
        extra={"hours": {str(k): str(v) for k, v in hours.items()}},
    )  # fmt: skip
    _advance_cases(actor, {e.case for e in changed if e.completed_on})
    return changed


def _recompute(actor: User, course: Course, enrolments: list[Enrolment]) -> list[Enrolment]:
    required = course.curriculum.required_hours
    totals = dict(
        Attendance.objects.filter(enrolment__in=enrolments)
        .values_list("enrolment_id")
        .annotate(total=Sum("hours"))
    )
    last_day = dict(
        Attendance.objects.filter(enrolment__in=enrolments, hours__gt=0)
        .values_list("enrolment_id")
        .annotate(last=Max("session__starts_at"))
    )
    changed = []
    for enrolment in enrolments:
        total = totals.get(enrolment.pk) or Decimal(0)
        done = timezone.localdate(last_day[enrolment.pk]) if total >= required else None
        if enrolment.hours_attended != total or enrolment.completed_on != done:
            before = audit.snapshot(enrolment, ["hours_attended", "completed_on"])
            enrolment.hours_attended, enrolment.completed_on = total, done
            enrolment.save(update_fields=["hours_attended", "completed_on"])
            if before["completed_on"] != (done.isoformat() if done else None):
                audit.record(
                    actor=actor, action="orientation.completion", obj=enrolment, before=before,
                    after=audit.snapshot(enrolment, ["hours_attended", "completed_on"]),
                )  # fmt: skip
                changed.append(enrolment)
    return changed


def _advance_cases(actor: User, cases: set[Case]) -> None:
    """Move each case whose required members have all completed CO to "CO attended"."""
    if not cases:
        return
    statuses = case_statuses(list(cases))
    for case in cases:
        status = statuses[case.pk]
        if status.attended and case.status == CaseStatus.CO_SCHEDULED:
            transition_case(
                actor=actor,
                case=case,
                to=CaseStatus.CO_ATTENDED,
                reason=_("Every member on cultural orientation has completed it"),
            )


@transaction.atomic
def record_scores(
    *,
    actor: User,
    enrolment: Enrolment,
    pre_test_score: int | None,
    post_test_score: int | None,
    trainer_notes: str = "",
) -> Enrolment:
    for name, value in (("pre_test_score", pre_test_score), ("post_test_score", post_test_score)):
        if value is not None and not 0 <= value <= 100:
            raise ActionError(_("A test score is between 0 and 100."), field=name)
    fields = ["pre_test_score", "post_test_score", "trainer_notes"]
    before = audit.snapshot(enrolment, fields)
    enrolment.pre_test_score, enrolment.post_test_score = pre_test_score, post_test_score
    enrolment.trainer_notes = trainer_notes.strip()
    enrolment.save(update_fields=fields)
    audit.record(
        actor=actor, action="orientation.scores", obj=enrolment, before=before,
        after=audit.snapshot(enrolment, fields),
    )  # fmt: skip
    return enrolment
