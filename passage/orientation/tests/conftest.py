"""A small world for orientation tests: a US family with an embassy request for CO,
a Canadian family, and a planned course with one session on a fixed day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from passage.orientation import actions
from passage.orientation.models import Course, Curriculum, Session
from passage.registry.choices import Programme, Relationship
from passage.registry.models import Case, Person
from passage.registry.tests.factories import (
    CaseFactory,
    EmbassyRequestFactory,
    MembershipFactory,
    PersonFactory,
)

TODAY = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)  # 14:00 in Bishkek


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def family(country: str, programme: str, births: list[dt.date], **case: Any) -> Case:
    the_case = CaseFactory(destination_country=country, programme=programme, **case)
    relationships = [Relationship.PRINCIPAL, Relationship.SPOUSE] + [Relationship.CHILD] * 10
    for birth, relationship in zip(births, relationships, strict=False):
        MembershipFactory(
            case=the_case,
            person=PersonFactory(date_of_birth=birth),
            relationship=relationship,
        )
    return the_case


def members(case: Case) -> list[Person]:
    return [m.person for m in case.memberships.order_by("id")]


@dataclass
class World:
    us_case: Case
    course: Course
    session: Session
    curriculum: Curriculum


@pytest.fixture
def world(personas: Any, time_machine: Any) -> World:
    time_machine.move_to(TODAY, tick=False)
    us_case = family(
        "US",
        Programme.USRAP_P1,
        [dt.date(1985, 3, 1), dt.date(1988, 7, 9), dt.date(2012, 1, 1), dt.date(2023, 5, 5)],
    )
    request = EmbassyRequestFactory(
        valid_from=dt.date(2026, 1, 1), valid_until=dt.date(2026, 12, 31)
    )
    request.cases.add(us_case)
    adult = Curriculum.objects.get(code="us-adult", effective_from=dt.date(2025, 1, 1))
    course = actions.plan_course(
        actor=personas.co_trainer,
        curriculum=adult,
        title="USRAP CO June",
        language="ru",
        venue="Bishkek",
    )
    day = dt.date(2026, 6, 1)
    session = actions.add_session(
        actor=personas.co_trainer,
        course=course,
        starts_at=at(day, 9),
        ends_at=at(day, 13),
        trainers=[personas.co_trainer],
    )
    return World(us_case=us_case, course=course, session=session, curriculum=adult)
