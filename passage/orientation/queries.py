"""Read side: course lists, a trainer's sessions, rosters, a case's CO status, statistics."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from passage.core import policy
from passage.core.models import User
from passage.core.policy import AnyUser
from passage.orientation.choices import EnrolmentStatus
from passage.orientation.clashes import Clash, course_clashes
from passage.orientation.models import Attendance, Course, Curriculum, Enrolment, Session


def courses_for(user: AnyUser) -> models.QuerySet[Course]:
    enrolled = Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED))
    waiting = Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED))
    return (
        policy.visible_to(Course.objects.all(), user)
        .select_related("curriculum")
        .annotate(
            enrolled_count=enrolled,
            waiting_count=waiting,
            first_start=models.Min("sessions__starts_at"),
        )
        .order_by("-first_start", "-id")
    )


def curricula_for(user: AnyUser) -> models.QuerySet[Curriculum]:
    return policy.visible_to(Curriculum.objects.select_related("created_by"), user).order_by(
        "country", "code", "-effective_from"
    )


def my_sessions(user: User, since: dt.date | None = None) -> list[Session]:
    """The sessions the user teaches, from ``since`` (today) on."""
    since = since or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    return list(
        policy.visible_to(Session.objects.all(), user)
        .filter(trainers=user, ends_at__gte=start)
        .select_related("course__curriculum")
        .prefetch_related("trainers")
        .annotate(
            enrolled_count=Count(
                "course__enrolments",
                filter=Q(course__enrolments__status=EnrolmentStatus.ENROLLED),
            )
        )
        .order_by("starts_at")
    )


@dataclass
class RosterRow:
    enrolment: Enrolment
    clashes: list[Clash]
    attended: dict[int, Decimal]


def roster(course: Course, sessions: list[Session]) -> list[RosterRow]:
    """Everyone on the course (enrolled, waiting, withdrawn), hours per session, clashes."""
    enrolments = list(
        course.enrolments.select_related("person", "case").order_by(
            "status", "queue_position", "enrolled_at", "id"
        )
    )
    attended: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for row in Attendance.objects.filter(enrolment__course=course):
        attended[row.enrolment_id][row.session_id] = row.hours
    active = [e.person_id for e in enrolments if e.status != EnrolmentStatus.WITHDRAWN]
    clashes: dict[int, list[Clash]] = defaultdict(list)
    for clash in course_clashes(sessions, active):
        clashes[clash.person_id].append(clash)
    return [
        RosterRow(
            e,
            clashes[e.person_id] if e.status != EnrolmentStatus.WITHDRAWN else [],
            attended[e.pk],
        )
        for e in enrolments
    ]


def course_sessions(course: Course) -> list[Session]:
    return list(course.sessions.prefetch_related("trainers").order_by("starts_at"))


def _period_start(day: dt.date, period: str) -> dt.date:
    return day.replace(day=1) if period == "month" else day.replace(month=1, day=1)


def trained_by_destination(
    start: dt.date, end: dt.date, period: str = "month"
) -> list[dict[str, Any]]:
    """People who completed CO between ``start`` and ``end``, by destination and period."""
    rows = (
        Enrolment.objects.filter(completed_on__gte=start, completed_on__lte=end)
        .annotate(month=TruncMonth("completed_on"))
        .values("case__destination_country", "month")
        .annotate(people=Count("person", distinct=True))
        .order_by("month", "case__destination_country")
    )
    grouped: dict[tuple[dt.date, str], int] = defaultdict(int)
    for row in rows:
        key = (_period_start(row["month"], period), row["case__destination_country"])
        grouped[key] += row["people"]
    return [
        {"period": period_start, "destination": country, "people": people}
        for (period_start, country), people in sorted(grouped.items())
    ]


def attendance_rate(start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Hours present over hours offered to enrolled people, by destination of the curriculum."""
    begin = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    finish = timezone.make_aware(dt.datetime.combine(end, dt.time.max))
    sessions = (
        Session.objects.filter(starts_at__gte=begin, starts_at__lte=finish)
        .filter(starts_at__lte=timezone.now())
        .select_related("course__curriculum")
        .annotate(
            enrolled=Count(
                "course__enrolments",
                filter=Q(course__enrolments__status=EnrolmentStatus.ENROLLED),
                distinct=True,
            )
        )
    )
    offered: dict[str, Decimal] = defaultdict(Decimal)
    session_country: dict[int, str] = {}
    for session in sessions:
        country = session.course.curriculum.country or "EU"
        session_country[session.pk] = country
        offered[country] += session.hours * session.enrolled
    present: dict[str, Decimal] = defaultdict(Decimal)
    totals = (
        Attendance.objects.filter(session__in=list(session_country))
        .values("session")
        .annotate(hours=Sum("hours"))
    )
    for row in totals:
        present[session_country[row["session"]]] += row["hours"] or Decimal(0)
    return [
        {
            "destination": country,
            "offered": offered[country],
            "present": present[country],
            "rate": (present[country] / offered[country] * 100).quantize(Decimal("0.1"))
            if offered[country]
            else None,
        }
        for country in sorted(offered)
    ]
