"""Clashes flagged on a course roster: a person in two sessions at once, or a session
during the person's medical appointment.

Medical appointments are the health app's assessments with an appointment day
(``Assessment.scheduled_for``); a cancelled one clashes with nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.health.choices import AssessmentStatus
from passage.health.models import Assessment
from passage.orientation.choices import EnrolmentStatus
from passage.orientation.models import Session

ACTIVE = [EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED]


@dataclass(frozen=True)
class Clash:
    person_id: int
    session_id: int
    kind: str  # "session" or "medical"
    other: str
    starts_at: dt.datetime
    ends_at: dt.datetime


def _overlap(windows: Iterable[tuple[dt.datetime, dt.datetime]], start: str, end: str) -> Q:
    condition = Q(pk__in=[])
    for begins, ends in windows:
        condition |= Q(**{f"{start}__lt": ends, f"{end}__gt": begins})
    return condition


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    begins = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return begins, begins + dt.timedelta(days=1)


def medical_appointments(
    person_ids: Sequence[int], windows: Sequence[tuple[dt.datetime, dt.datetime]]
) -> list[tuple[int, dt.datetime, dt.datetime, str]]:
    """(person id, start, end, label) of medical appointments on the windows' days (one query).

    A health assessment's appointment is a day (``scheduled_for``), so a session clashes
    with any appointment that day that was not cancelled. Only the fact of an appointment
    is shown, never its medical detail.
    """
    if not person_ids or not windows:
        return []
    days = {timezone.localdate(w) for begins, ends in windows for w in (begins, ends)}
    rows = (
        Assessment.objects.filter(person__in=person_ids, scheduled_for__in=days)
        .exclude(status=AssessmentStatus.CANCELLED)
        .values_list("person_id", "scheduled_for")
    )
    label = _("Medical appointment")
    return [(person_id, *_day_bounds(day), label) for person_id, day in rows if day is not None]


def course_clashes(sessions: Sequence[Session], person_ids: Sequence[int]) -> list[Clash]:
    """Clashes of these people with these sessions (two queries)."""
    if not sessions or not person_ids:
        return []
    course_id = sessions[0].course_id
    windows = [(s.starts_at, s.ends_at) for s in sessions]
    others = (
        Session.objects.filter(
            course__enrolments__person__in=person_ids, course__enrolments__status__in=ACTIVE
        )
        .exclude(course_id=course_id)
        .filter(_overlap(windows, "starts_at", "ends_at"))
        .select_related("course")
        .annotate(person_id=models.F("course__enrolments__person_id"))
    )
    result = []
    for other in others:
        for session in sessions:
            if session.starts_at < other.ends_at and other.starts_at < session.ends_at:
                result.append(
                    Clash(
                        other.person_id,
                        session.pk,
                        "session",
                        other.course.title,
                        other.starts_at,
                        other.ends_at,
                    )
                )
    for person_id, begins, ends, label in medical_appointments(person_ids, windows):
        for session in sessions:
            if session.starts_at < ends and begins < session.ends_at:
                result.append(Clash(person_id, session.pk, "medical", label, begins, ends))
    return result
