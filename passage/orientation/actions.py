"""Every write of cultural orientation: curricula, courses, sessions, feeds.

Enrolment and attendance are in :mod:`passage.orientation.enrolment`.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core import audit
from passage.core.choices import Role
from passage.core.errors import ActionError, ConflictError
from passage.core.models import User, hash_token
from passage.core.workflow import apply_transition
from passage.orientation.choices import (
    COURSE_TRANSITIONS,
    LANGUAGE_CODES,
    CourseStatus,
    EnrolmentStatus,
)
from passage.orientation.models import (
    CURRICULUM_FIELDS,
    CalendarFeed,
    Course,
    CourseStatusChange,
    Curriculum,
    Session,
)
from passage.profiles.choices import Programme

COURSE_FIELDS = [
    "curriculum_id", "title", "language", "interpreter_language", "venue", "remote", "capacity",
    "childminding", "meals", "transport_grant", "notes", "status",
]  # fmt: skip
TRAINER_ROLES = frozenset({Role.CO_TRAINER, Role.ADMIN})
MAX_CAPACITY = 200


def _check_curriculum(values: dict[str, Any]) -> None:
    if not str(values.get("name") or "").strip():
        raise ActionError(_("Give the curriculum a name."), field="name")
    if not str(values.get("source_note") or "").strip():
        raise ActionError(_("Say where the curriculum comes from."), field="source_note")
    unknown = [p for p in values.get("programmes") or [] if p not in Programme.values]
    if unknown:
        raise ActionError(
            _("Unknown programme: %(p)s.") % {"p": ", ".join(unknown)}, field="programmes"
        )
    max_age = values.get("max_age")
    if max_age is not None and max_age < (values.get("min_age") or 0):
        raise ActionError(_("The upper age is below the lower age."), field="max_age")
    required = Decimal(values.get("required_hours") or 0)
    if required <= 0:
        raise ActionError(_("Required hours must be more than zero."), field="required_hours")
    low, high = values.get("min_hours"), values.get("max_hours")
    if low is not None and high is not None and Decimal(low) > Decimal(high):
        raise ActionError(_("The shortest length is above the longest."), field="min_hours")
    if (low is not None and required < Decimal(low)) or (
        high is not None and required > Decimal(high)
    ):
        raise ActionError(
            _("Required hours must lie between the shortest and the longest length."),
            field="required_hours",
        )


@transaction.atomic
def create_curriculum_version(
    *,
    actor: User,
    code: str,
    effective_from: dt.date,
    change_note: str = "",
    base: Curriculum | None = None,
    **changes: Any,
) -> Curriculum:
    """A new version of a curriculum (a new row; versions in force are never edited)."""
    unknown = set(changes) - set(CURRICULUM_FIELDS)
    if unknown:
        raise ActionError(_("Unknown field: %(f)s.") % {"f": sorted(unknown)[0]}, field="code")
    if effective_from < timezone.localdate():
        raise ActionError(
            _("A new version cannot take effect in the past."), field="effective_from"
        )
    values = {name: getattr(base, name) for name in CURRICULUM_FIELDS} if base else {}
    values.update(changes)
    values["country"] = str(values.get("country") or "").upper()
    _check_curriculum(values)
    if Curriculum.objects.filter(code=code, effective_from=effective_from).exists():
        raise ConflictError(
            _("Curriculum %(code)s already has a version from %(date)s.")
            % {"code": code, "date": effective_from.isoformat()},
            field="effective_from",
        )
    curriculum = Curriculum.objects.create(
        code=code,
        effective_from=effective_from,
        change_note=change_note[:300],
        created_by=actor,
        **values,
    )
    audit.record(
        actor=actor,
        action="orientation.curriculum_version",
        obj=curriculum,
        before=audit.snapshot(base, CURRICULUM_FIELDS) if base else {},
        after=audit.snapshot(curriculum, CURRICULUM_FIELDS),
    )
    return curriculum


def _check_course(values: dict[str, Any]) -> None:
    if not str(values.get("title") or "").strip():
        raise ActionError(_("Give the course a title."), field="title")
    if values.get("language") not in LANGUAGE_CODES:
        raise ActionError(_("Choose the language of the course."), field="language")
    interpreter = values.get("interpreter_language") or ""
    if interpreter and interpreter not in LANGUAGE_CODES:
        raise ActionError(_("Unknown interpretation language."), field="interpreter_language")
    capacity = values.get("capacity")
    if not isinstance(capacity, int) or not 1 <= capacity <= MAX_CAPACITY:
        raise ActionError(
            _("Capacity must be between 1 and %(max)s people.") % {"max": MAX_CAPACITY},
            field="capacity",
        )
    if not values.get("remote") and not str(values.get("venue") or "").strip():
        raise ActionError(_("Give a venue, or mark the course as remote."), field="venue")


@transaction.atomic
def plan_course(
    *,
    actor: User,
    curriculum: Curriculum,
    title: str,
    language: str,
    venue: str = "",
    remote: bool = False,
    capacity: int = 25,
    interpreter_language: str = "",
    childminding: bool = False,
    meals: bool = False,
    transport_grant: bool = False,
    notes: str = "",
) -> Course:
    values: dict[str, Any] = {
        "title": title.strip(), "language": language, "venue": venue.strip(), "remote": remote,
        "capacity": capacity, "interpreter_language": interpreter_language,
        "childminding": childminding, "meals": meals, "transport_grant": transport_grant,
        "notes": notes,
    }  # fmt: skip
    _check_course(values)
    course = Course.objects.create(curriculum=curriculum, created_by=actor, **values)
    audit.record(
        actor=actor, action="orientation.plan_course", obj=course,
        after=audit.snapshot(course, COURSE_FIELDS),
    )  # fmt: skip
    return course


def _require_planned(course: Course) -> None:
    if course.status != CourseStatus.PLANNED:
        raise ConflictError(
            _("The course is %(status)s; it cannot be changed.")
            % {"status": course.get_status_display()},
            code="course_closed",
            field="course",
        )


def _check_trainers(
    trainers: Sequence[User],
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    exclude_course: int | None = None,
) -> None:
    if not trainers:
        raise ActionError(_("Choose at least one trainer."), field="trainers")
    for trainer in trainers:
        if not trainer.is_mission_staff or trainer.role not in TRAINER_ROLES:
            raise ActionError(
                _("%(name)s is not a CO trainer.") % {"name": trainer.get_full_name() or trainer},
                field="trainers",
            )
    others = (
        Session.objects.exclude(course_id=exclude_course) if exclude_course else Session.objects
    )
    busy = (
        others.filter(trainers__in=trainers, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .select_related("course")
        .prefetch_related("trainers")
        .first()
    )
    if busy is not None:
        names = ", ".join(
            t.get_full_name() or t.username for t in busy.trainers.all() if t in trainers
        )
        local = timezone.localtime(busy.starts_at)
        raise ConflictError(
            _("%(names)s: already teaching %(course)s on %(date)s at %(time)s.")
            % {
                "names": names,
                "course": busy.course.title,
                "date": local.date().isoformat(),
                "time": local.strftime("%H:%M"),
            },
            code="trainer_busy",
            field="trainers",
        )


@transaction.atomic
def add_session(
    *,
    actor: User,
    course: Course,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    trainers: Sequence[User],
    venue: str = "",
    topic: str = "",
) -> Session:
    """A session of a course; refuses a trainer who teaches elsewhere at that time."""
    course = Course.objects.select_for_update().select_related("curriculum").get(pk=course.pk)
    _require_planned(course)
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ActionError(_("Give times with a time zone."), field="starts_at")
    if ends_at <= starts_at:
        raise ActionError(_("The session must end after it starts."), field="ends_at")
    if ends_at - starts_at > dt.timedelta(hours=12):
        raise ActionError(_("A session lasts at most 12 hours."), field="ends_at")
    _check_trainers(trainers, starts_at, ends_at)
    session = Session.objects.create(
        course=course,
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue.strip() or course.venue,
        topic=topic.strip(),
    )
    session.trainers.set(trainers)
    audit.record(
        actor=actor,
        action="orientation.add_session",
        obj=session,
        after={
            **audit.snapshot(session, ["course_id", "starts_at", "ends_at", "venue", "topic"]),
            "trainers": sorted(t.pk for t in trainers),
        },
    )
    return session


@transaction.atomic
def remove_session(*, actor: User, session: Session) -> None:
    course = Course.objects.select_for_update().get(pk=session.course_id)
    _require_planned(course)
    if session.attendance.exists():
        raise ConflictError(
            _("Attendance is recorded for this session; it cannot be removed."), field="session"
        )
    audit.record(
        actor=actor,
        action="orientation.remove_session",
        obj=session,
        before=audit.snapshot(session, ["course_id", "starts_at", "ends_at"]),
    )
    session.delete()


EDITABLE_COURSE_FIELDS = [
    "title", "language", "interpreter_language", "venue", "remote", "capacity",
    "childminding", "meals", "transport_grant", "notes",
]  # fmt: skip


def _set_trainers(course: Course, trainers: Sequence[User]) -> dict[str, list[Any]]:
    """Put ``trainers`` on every session of ``course``; returns the old and new trainer ids."""
    sessions = list(course.sessions.prefetch_related("trainers"))
    before = sorted({t.pk for s in sessions for t in s.trainers.all()})
    after = sorted(t.pk for t in trainers)
    if not sessions or (
        before == after and all(sorted(t.pk for t in s.trainers.all()) == after for s in sessions)
    ):
        return {}
    for session in sessions:
        _check_trainers(trainers, session.starts_at, session.ends_at, exclude_course=course.pk)
    for session in sessions:
        session.trainers.set(trainers)
    return {"trainers": [before, after]}


@transaction.atomic
def edit_course(
    *, actor: User, course: Course, trainers: Sequence[User] | None = None, **changes: Any
) -> Course:
    """Change a planned course. Capacity never goes below the people enrolled; a larger
    capacity takes people from the waiting list in order. ``trainers`` replaces the
    trainers of every session of the course."""
    from passage.orientation.enrolment import promote_waiting

    unknown = set(changes) - set(EDITABLE_COURSE_FIELDS)
    if unknown:
        raise ActionError(_("Unknown field: %(f)s.") % {"f": sorted(unknown)[0]}, field="course")
    locked = Course.objects.select_for_update().get(pk=course.pk)
    _require_planned(locked)
    before = audit.snapshot(locked, EDITABLE_COURSE_FIELDS)
    values = {name: getattr(locked, name) for name in EDITABLE_COURSE_FIELDS}
    values.update(changes)
    for name in ("title", "venue"):
        values[name] = str(values[name] or "").strip()
    _check_course(values)
    enrolled = locked.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()
    if values["capacity"] < enrolled:
        raise ActionError(
            _("Capacity cannot be below the %(n)s people already enrolled; withdraw someone first.")
            % {"n": enrolled},
            field="capacity",
            code="below_enrolled",
        )
    trainer_change = _set_trainers(locked, trainers) if trainers is not None else {}
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save(update_fields=EDITABLE_COURSE_FIELDS)
    after = audit.snapshot(locked, EDITABLE_COURSE_FIELDS)
    changed = audit.diff(before, after)
    changed.update(trainer_change)
    if changed:
        audit.record(actor=actor, action="orientation.edit_course", obj=locked, changes=changed)
    promote_waiting(actor, locked, values["capacity"] - enrolled)
    for name in EDITABLE_COURSE_FIELDS:
        setattr(course, name, getattr(locked, name))
    return course


@transaction.atomic
def change_course_status(*, actor: User, course: Course, to: str, reason: str = "") -> Course:
    locked = Course.objects.select_for_update().get(pk=course.pk)
    apply_transition(
        locked,
        to,
        table=COURSE_TRANSITIONS,
        choices=CourseStatus,
        history=CourseStatusChange,
        actor=actor,
        action="orientation.course_status",
        reason=reason,
    )
    course.status = to
    return course


@transaction.atomic
def create_calendar_feed(*, actor: User) -> tuple[CalendarFeed, str]:
    """A new secret calendar address for ``actor``; earlier ones stop working."""
    if actor.role not in TRAINER_ROLES or not actor.is_mission_staff:
        raise ActionError(_("Only CO trainers have a session calendar."), field="user")
    now = timezone.now()
    CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).update(revoked_at=now)
    secret = secrets.token_urlsafe(24)
    feed = CalendarFeed.objects.create(user=actor, key_hash=hash_token(secret), prefix=secret[:8])
    audit.record(actor=actor, action="orientation.calendar_feed", obj=feed)
    return feed, secret
