"""Clashes flagged on a course roster: a person in two sessions at once, or a session
during the person's medical appointment.

Medical appointments belong to the health app. It is looked up by name, so this
app works before (and without) it: :func:`medical_appointments` returns nothing
when no appointment model is installed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q

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


def _appointment_model() -> tuple[type[models.Model], str, str] | None:
    """The health app's appointment model and its start/end field names, if installed."""
    for name in ("Appointment", "MedicalAppointment"):
        try:
            model = apps.get_model("health", name)
        except LookupError:
            continue
        fields = {f.name for f in model._meta.get_fields()}
        for start, end in (("starts_at", "ends_at"), ("start", "end"), ("start_at", "end_at")):
            if {start, end, "person"} <= fields:
                return model, start, end
    return None


def medical_appointments(
    person_ids: Sequence[int], windows: Sequence[tuple[dt.datetime, dt.datetime]]
) -> list[tuple[int, dt.datetime, dt.datetime, str]]:
    """(person id, start, end, label) of medical appointments overlapping the windows."""
    found = _appointment_model()
    if found is None or not person_ids or not windows:
        return []
    model, start, end = found
    rows: Any = model._default_manager.filter(person__in=person_ids).filter(
        _overlap(windows, start, end)
    )
    return [(row.person_id, getattr(row, start), getattr(row, end), str(row)) for row in rows]


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
