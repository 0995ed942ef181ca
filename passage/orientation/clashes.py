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
from django.utils import timezone

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


# A cancelled appointment clashes with nothing (the health app's status code).
CANCELLED_APPOINTMENT = "cancelled"


def _appointment_model() -> tuple[type[models.Model], str, str] | None:
    """The health app's appointment model and how it is timed, if installed.

    Either a model with ``person`` and a start and end time (``starts_at``/``ends_at``),
    or the health assessment whose appointment is a day (``scheduled_for``): then the
    second name is empty and the whole day counts.
    """
    for name in ("Appointment", "MedicalAppointment", "Assessment"):
        try:
            model = apps.get_model("health", name)
        except LookupError:
            continue
        fields = {f.name for f in model._meta.get_fields()}
        if "person" not in fields:
            continue
        for start, end in (("starts_at", "ends_at"), ("start", "end"), ("start_at", "end_at")):
            if {start, end} <= fields:
                return model, start, end
        if "scheduled_for" in fields:
            return model, "scheduled_for", ""
    return None


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    begins = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return begins, begins + dt.timedelta(days=1)


def medical_appointments(
    person_ids: Sequence[int], windows: Sequence[tuple[dt.datetime, dt.datetime]]
) -> list[tuple[int, dt.datetime, dt.datetime, str]]:
    """(person id, start, end, label) of medical appointments overlapping the windows.

    Empty when the health app has no appointment model (yet).
    """
    found = _appointment_model()
    if found is None or not person_ids or not windows:
        return []
    model, start, end = found
    rows: Any = model._default_manager.filter(person__in=person_ids)
    if "status" in {f.name for f in model._meta.get_fields()}:
        rows = rows.exclude(status=CANCELLED_APPOINTMENT)
    if end:
        rows = rows.filter(_overlap(windows, start, end))
        return [(r.person_id, getattr(r, start), getattr(r, end), str(r)) for r in rows]
    days = {timezone.localdate(w) for begins, ends in windows for w in (begins, ends)}
    rows = rows.filter(**{f"{start}__in": days})
    return [(r.person_id, *_day_bounds(getattr(r, start)), str(r)) for r in rows]


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
