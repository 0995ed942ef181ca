"""Cultural orientation over the API: curricula, courses, sessions, enrolment,
attendance, a case's CO status and statistics. Thin: it calls the same actions
and queries as the pages."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from passage.core import policy
from passage.core.errors import ActionError
from passage.core.models import User
from passage.core.utils import api_user
from passage.orientation import actions, completion, enrolment, queries
from passage.orientation.models import Course, Curriculum, Enrolment, Session
from passage.registry.models import Case

router = Router()
TAG = "orientation"


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


class CurriculumOut(Schema):
    id: int
    code: str
    name: str
    country: str
    programmes: list[str]
    min_age: int
    max_age: int | None
    required_hours: Decimal
    min_hours: Decimal | None
    max_hours: Decimal | None
    days: int
    languages: list[str]
    topics: list[str]
    source_note: str
    unverified_note: str
    effective_from: dt.date


class SessionOut(Schema):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    venue: str
    topic: str
    trainer_ids: list[int]

    @staticmethod
    def resolve_trainer_ids(obj: Session) -> list[int]:
        return [t.pk for t in obj.trainers.all()]


class CourseOut(Schema):
    id: int
    curriculum_id: int
    title: str
    language: str
    interpreter_language: str
    venue: str
    remote: bool
    capacity: int
    childminding: bool
    meals: bool
    transport_grant: bool
    status: str


class EnrolmentOut(Schema):
    id: int
    course_id: int
    person_id: int
    case_id: int
    status: str
    hours_attended: Decimal
    completed_on: dt.date | None
    pre_test_score: int | None
    post_test_score: int | None


class CourseDetailOut(CourseOut):
    sessions: list[SessionOut]
    enrolments: list[EnrolmentOut]


@router.get("/orientation/curricula", response=list[CurriculumOut], summary="CO curricula")
def list_curricula(request: HttpRequest) -> Any:
    user = api_user(request)
    policy.require(user, "orientation.view")
    return list(queries.curricula_for(user))


@router.get("/orientation/courses", response=list[CourseOut], summary="CO courses")
def list_courses(request: HttpRequest) -> Any:
    user = api_user(request)
    policy.require(user, "orientation.view")
    return list(queries.courses_for(user)[:500])


class CourseIn(Schema):
    curriculum_id: int
    title: str = Field(..., min_length=1, max_length=200)
    language: str
    venue: str = ""
    remote: bool = False
    capacity: int = Field(25, ge=1, le=actions.MAX_CAPACITY)
    interpreter_language: str = ""
    childminding: bool = False
    meals: bool = False
    transport_grant: bool = False
    notes: str = ""


@router.post(
    "/orientation/courses",
    response={201: CourseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Plan a course",
)
def create_course(request: HttpRequest, payload: CourseIn) -> Any:
    user = api_user(request)
    policy.require(user, "orientation.plan")
    data = payload.dict()
    curriculum = policy.get_object_for(user, Curriculum, data.pop("curriculum_id"))
    return Status(201, actions.plan_course(actor=user, curriculum=curriculum, **data))


def _detail(course: Course) -> dict[str, Any]:
    data = CourseOut.from_orm(course).dict()
    data["sessions"] = list(course.sessions.prefetch_related("trainers"))
    data["enrolments"] = list(course.enrolments.all())
    return data


@router.get(
    "/orientation/courses/{course_id}",
    response={200: CourseDetailOut, 404: ErrorOut},
    summary="A course with its sessions and enrolments",
)
def get_course(request: HttpRequest, course_id: int) -> Any:
    return _detail(policy.get_object_for(api_user(request), Course, course_id))


class SessionIn(Schema):
    starts_at: dt.datetime
    ends_at: dt.datetime
    trainer_ids: list[int] = Field(..., min_length=1)
    venue: str = ""
    topic: str = ""


@router.post(
    "/orientation/courses/{course_id}/sessions",
    response={201: SessionOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Add a session (refused when a trainer teaches elsewhere then)",
)
def create_session(request: HttpRequest, course_id: int, payload: SessionIn) -> Any:
    user = api_user(request)
    course = policy.get_object_for(user, Course, course_id, "orientation.plan")
    trainers = list(User.objects.filter(pk__in=payload.trainer_ids))
    session = actions.add_session(
        actor=user, course=course, starts_at=payload.starts_at, ends_at=payload.ends_at,
        trainers=trainers, venue=payload.venue, topic=payload.topic,
    )  # fmt: skip
    return Status(201, session)


class CourseChangeIn(Schema):
    title: str | None = None
    language: str | None = None
    interpreter_language: str | None = None
    venue: str | None = None
    remote: bool | None = None
    capacity: int | None = Field(None, description="Never below the people enrolled")
    childminding: bool | None = None
    meals: bool | None = None
    transport_grant: bool | None = None
    notes: str | None = None
    trainer_ids: list[int] | None = Field(None, description="Trainers of every session")


@router.patch(
    "/orientation/courses/{course_id}",
    response={200: CourseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Change a planned course (only the fields given)",
)
def change_course(request: HttpRequest, course_id: int, payload: CourseChangeIn) -> Any:
    user = api_user(request)
    course = policy.get_object_for(user, Course, course_id, "orientation.plan")
    changes = payload.dict(exclude_unset=True, exclude_none=True)
    ids = changes.pop("trainer_ids", None)
    trainers = list(User.objects.filter(pk__in=ids)) if ids is not None else None
    if ids is not None and trainers is not None and len(trainers) != len(set(ids)):
        raise ActionError(_("Unknown trainer."), field="trainer_ids")
    return actions.edit_course(actor=user, course=course, trainers=trainers, **changes)


@router.delete(
    "/orientation/sessions/{session_id}",
    response={204: None, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Remove a session of a planned course (not once attendance is recorded)",
)
def delete_session(request: HttpRequest, session_id: int) -> Any:
    user = api_user(request)
    session = policy.get_object_for(user, Session, session_id, "orientation.plan")
    actions.remove_session(actor=user, session=session)
    return Status(204, None)


class MoveIn(Schema):
    direction: str = Field(..., description="up or down")


@router.post(
    "/orientation/enrolments/{enrolment_id}/move",
    response={200: list[EnrolmentOut], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Move someone one place up or down the waiting list; returns the new order",
)
def move_on_waiting_list(request: HttpRequest, enrolment_id: int, payload: MoveIn) -> Any:
    user = api_user(request)
    record = policy.get_object_for(user, Enrolment, enrolment_id, "orientation.plan")
    return enrolment.move_waiting(actor=user, enrolment=record, direction=payload.direction)


class EnrolIn(Schema):
    case_id: int
    person_ids: list[int] | None = Field(None, description="Only these members (default: all)")


class SkippedOut(Schema):
    person_id: int
    reason: str


class ClashOut(Schema):
    person_id: int
    session_id: int
    kind: str
    other: str
    starts_at: dt.datetime
    ends_at: dt.datetime


class EnrolOut(Schema):
    enrolled: list[EnrolmentOut]
    waitlisted: list[EnrolmentOut]
    skipped: list[SkippedOut]
    clashes: list[ClashOut]


@router.post(
    "/orientation/courses/{course_id}/enrolments",
    response={201: EnrolOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Enrol a case's eligible members; over capacity they go on the waiting list",
)
def create_enrolments(request: HttpRequest, course_id: int, payload: EnrolIn) -> Any:
    user = api_user(request)
    course = policy.get_object_for(user, Course, course_id, "orientation.enrol")
    case = policy.get_object_for(user, Case, payload.case_id)
    people = None
    if payload.person_ids is not None:
        people = [m.person for m in case.memberships.filter(person__in=payload.person_ids)]
        people += _missing(payload.person_ids, people)
    result = enrolment.enrol_case(actor=user, course=course, case=case, people=people)
    return Status(
        201,
        {
            "enrolled": result.enrolled,
            "waitlisted": result.waitlisted,
            "skipped": [{"person_id": p.pk, "reason": r} for p, r in result.skipped],
            "clashes": [c.__dict__ for c in result.clashes],
        },
    )


def _missing(ids: list[int], found: list[Any]) -> list[Any]:
    """People asked for who are not members: the action refuses them by name."""
    from passage.registry.models import Person

    known = {p.pk for p in found}
    return list(Person.objects.filter(pk__in=[i for i in ids if i not in known]))


class AttendanceRow(Schema):
    enrolment_id: int
    hours: Decimal = Field(..., ge=0, max_digits=5, decimal_places=2)


class AttendanceIn(Schema):
    rows: list[AttendanceRow] = Field(..., min_length=1)


@router.post(
    "/orientation/sessions/{session_id}/attendance",
    response={200: list[EnrolmentOut], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Hours present per enrolment for one session (all rows or none)",
)
def record_attendance(request: HttpRequest, session_id: int, payload: AttendanceIn) -> Any:
    user = api_user(request)
    session = policy.get_object_for(user, Session, session_id, "orientation.attendance")
    hours = {row.enrolment_id: row.hours for row in payload.rows}
    enrolment.record_attendance(actor=user, session=session, hours=hours)
    return list(Enrolment.objects.filter(pk__in=hours))


class PersonCOOut(Schema):
    person_id: int
    name: str
    curriculum: str | None
    must_complete: bool
    state: str
    completed_on: dt.date | None


class CaseCOOut(Schema):
    case_id: int
    requirement: str
    complete: bool
    people: list[PersonCOOut]


@router.get(
    "/orientation/cases/{case_id}/status",
    response={200: CaseCOOut, 404: ErrorOut},
    summary="A case's cultural orientation status",
)
def case_status(request: HttpRequest, case_id: int) -> Any:
    case = policy.get_object_for(api_user(request), Case, case_id)
    status = completion.case_statuses([case])[case.pk]
    return {
        "case_id": case.pk,
        "requirement": status.requirement,
        "complete": status.complete,
        "people": [
            {
                "person_id": p.person.pk,
                "name": p.person.display_name,
                "curriculum": p.curriculum.name if p.curriculum else None,
                "must_complete": p.must_complete,
                "state": p.state,
                "completed_on": p.completed_on,
            }
            for p in status.people
        ],
    }


class StatsIn(Schema):
    start: dt.date | None = Field(None, alias="from")
    end: dt.date | None = Field(None, alias="to")
    period: str = Field("month", pattern="^(month|year)$")


class TrainedOut(Schema):
    period: dt.date
    destination: str
    people: int


class RateOut(Schema):
    destination: str
    offered: Decimal
    present: Decimal
    rate: Decimal | None


class StatsOut(Schema):
    trained: list[TrainedOut]
    attendance: list[RateOut]


@router.get("/orientation/stats", response=StatsOut, summary="People trained; attendance rate")
def stats(request: HttpRequest, params: Query[StatsIn]) -> Any:
    policy.require(api_user(request), "orientation.stats")
    today = timezone.localdate()
    start = params.start or today.replace(month=1, day=1)
    end = params.end or today
    return {
        "trained": queries.trained_by_destination(start, end, params.period),
        "attendance": queries.attendance_rate(start, end),
    }
