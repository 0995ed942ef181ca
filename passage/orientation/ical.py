"""Sessions as iCalendar (RFC 5545): one session's download, and a trainer's feed."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from icalendar import Calendar, Event

from passage.core.models import User, hash_token
from passage.orientation.choices import CourseStatus
from passage.orientation.models import CalendarFeed, Session

PRODID = "-//Passage//Cultural orientation//EN"


def to_ics(sessions: Iterable[Session], name: str, host: str = "passage") -> bytes:
    """Sessions with their course and trainers prefetched."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for session in sessions:
        course = session.course
        event = Event()
        event.add("uid", f"co-session-{session.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", f"{course.title}{' · ' + session.topic if session.topic else ''}")
        event.add("location", session.venue or course.venue)
        trainers = ", ".join(t.get_full_name() or t.username for t in session.trainers.all())
        event.add("description", f"{course.curriculum.name}\n{trainers}")
        if course.status == CourseStatus.CANCELLED:
            event.add("status", "CANCELLED")
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def feed_user(secret: str) -> User | None:
    """The trainer whose live feed this secret opens, or None."""
    feed = (
        CalendarFeed.objects.filter(key_hash=hash_token(secret), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


def trainer_sessions(user: User) -> list[Session]:
    return list(
        Session.objects.filter(trainers=user)
        .select_related("course__curriculum")
        .prefetch_related("trainers")
        .order_by("starts_at")
    )
