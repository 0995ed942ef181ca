from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from passage.health.models import Clinic
from passage.health.tests.factories import ClinicFactory
from passage.registry.choices import CaseStatus, Programme, Relationship
from passage.registry.models import Case, Person
from passage.registry.tests.factories import (
    CaseFactory,
    EmbassyRequestFactory,
    MembershipFactory,
    PersonFactory,
)

TODAY = dt.date(2026, 3, 2)  # a Monday


@dataclass
class Family:
    case: Case
    adult: Person
    child: Person
    clinic: Clinic


def make_family(
    country: str = "US", programme: str = Programme.USRAP_P1, status: str = CaseStatus.APPROVED
) -> Family:
    case = CaseFactory(destination_country=country, programme=programme, status=status)
    adult = PersonFactory(date_of_birth=dt.date(1990, 5, 1))
    child = PersonFactory(date_of_birth=dt.date(2016, 6, 1), given_names="Айдай")
    MembershipFactory(case=case, person=adult, relationship=Relationship.PRINCIPAL)
    MembershipFactory(case=case, person=child, relationship=Relationship.CHILD)
    request = EmbassyRequestFactory(embassy__name=f"Embassy {country}", embassy__country=country)
    request.cases.add(case)
    return Family(case, adult, child, ClinicFactory(name="IOM Bishkek clinic", daily_capacity=50))


@pytest.fixture
def today(time_machine: Any) -> dt.date:
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
    return TODAY


@pytest.fixture
def family(db: Any, today: dt.date) -> Family:
    return make_family()
