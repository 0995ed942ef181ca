"""Factories of the orientation models; ALL lists them so one test builds each."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from passage.orientation.choices import EnrolmentStatus
from passage.orientation.models import (
    Attendance,
    CalendarFeed,
    Course,
    Curriculum,
    Enrolment,
    Session,
)
from passage.registry.tests.factories import CaseFactory, PersonFactory


class CurriculumFactory(DjangoModelFactory):
    class Meta:
        model = Curriculum

    code = factory.Sequence(lambda n: f"test-{n}")
    name = factory.Sequence(lambda n: f"Test curriculum {n}")
    country = "US"
    programmes = factory.LazyFunction(list)
    min_age = 13
    max_age = None
    required_hours = Decimal(15)
    days = 3
    source_note = "Test source"
    effective_from = dt.date(2025, 1, 1)


class CourseFactory(DjangoModelFactory):
    class Meta:
        model = Course

    curriculum = factory.SubFactory(CurriculumFactory)
    title = factory.Sequence(lambda n: f"Course {n}")
    language = "ru"
    venue = "Bishkek, IOM training room"
    capacity = 25


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session

    course = factory.SubFactory(CourseFactory)
    starts_at = factory.LazyFunction(lambda: timezone.make_aware(dt.datetime(2026, 6, 1, 9, 0)))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=5))
    venue = "Bishkek"


class EnrolmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrolment

    course = factory.SubFactory(CourseFactory)
    case = factory.SubFactory(CaseFactory)
    person = factory.SubFactory(PersonFactory)
    status = EnrolmentStatus.ENROLLED


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    enrolment = factory.SubFactory(EnrolmentFactory)
    session = factory.SubFactory(SessionFactory)
    hours = Decimal(5)


class CalendarFeedFactory(DjangoModelFactory):
    class Meta:
        model = CalendarFeed

    user = factory.SubFactory("passage.testing.factories.UserFactory")
    key_hash = factory.Sequence(lambda n: f"{n:064d}")
    prefix = "abcdefgh"


ALL = [
    CurriculumFactory, CourseFactory, SessionFactory, EnrolmentFactory, AttendanceFactory,
    CalendarFeedFactory,
]  # fmt: skip
