"""The board's bulk path gives what computing case by case gives, on varied cases.

The board reads cases as light rows (``case_rows``: tuples, members without model
instances) and every source answers the whole batch at once; the case page reads one
case with real ``Membership`` instances. With the real documents, health and
orientation sources, both must give the same readiness, departure, window, blockers,
warnings and per-person results, for "as soon as possible" and for fixed dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine

from passage.documents.readiness import Result, readiness_for_case, readiness_for_cases
from passage.documents.tests.test_readiness import ca_ready, doc, family, us_ready
from passage.registry.choices import Programme
from passage.registry.models import Case

pytestmark = [pytest.mark.django_db]
D = dt.date


@pytest.fixture(autouse=True)
def _clock() -> Any:
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def every_source(only_documents_source: Callable[..., Any]) -> None:
    health = pytest.importorskip("passage.health.readiness")
    orientation = pytest.importorskip("passage.orientation.completion")
    only_documents_source("health", health.health_constraints)
    only_documents_source("orientation", orientation.co_constraints)


def cleared(person: Any, case: Any, until: dt.date, status: str = "cleared") -> None:
    from passage.health.models import Assessment

    Assessment.objects.create(
        person=person,
        case=case,
        programme=case.programme,
        destination_country=case.destination_country,
        exam_type="other",
        status=status,
        valid_from=D(2026, 5, 1) if status == "cleared" else None,
        valid_until=until if status == "cleared" else None,
    )


def completed_co(person: Any, case: Any) -> None:
    from passage.orientation.models import Course, Curriculum, Enrolment

    curriculum = Curriculum.objects.first()
    assert curriculum is not None
    course = Course.objects.create(curriculum=curriculum, title="CO", language="ru")
    Enrolment.objects.create(
        course=course, person=person, case=case, status="enrolled", completed_on=D(2026, 5, 20)
    )


def varied() -> list[Any]:
    cases = []
    ready, people = us_ready(3)  # everything held, medical cleared, CO completed
    for p in people:
        cleared(p, ready, D(2026, 9, 1))
        completed_co(p, ready)
    cases.append(ready)
    blocked, people = us_ready(2)  # one exit visa missing, one exam pending, no CO
    people[1].travel_documents.filter(doc_type__code="exit_visa").delete()
    cleared(people[0], blocked, D(2026, 8, 1))
    cleared(people[1], blocked, D(2026, 8, 1), status="results_pending")
    cases.append(blocked)
    gar, people = ca_ready()  # COPR capped by the medical clearance; arrival days
    cleared(people[0], gar, D(2026, 6, 26))  # a Friday
    cases.append(gar)
    psr, people = ca_ready(Programme.CA_PSR)
    cleared(people[0], psr, D(2026, 12, 1))
    cases.append(psr)
    se, people = family("SE", Programme.EU_QUOTA, 2)  # a visa for another country
    for p in people:
        doc(p, "passport", expires_on=D(2031, 1, 1))
        doc(p, "exit_visa", issued_on=D(2026, 5, 1), expires_on=D(2026, 10, 1))
        cleared(p, se, D(2026, 7, 15))
    doc(
        people[0],
        "visa",
        issued_on=D(2026, 6, 10),
        expires_on=D(2026, 9, 1),
        valid_for_country="SE",
    )
    doc(
        people[1], "visa", issued_on=D(2026, 5, 1), expires_on=D(2026, 9, 1), valid_for_country="NO"
    )
    cases.append(se)
    nz, _ = family("NZ", Programme.EU_QUOTA, 1)  # no profile
    cases.append(nz)
    return cases


def same(bulk: Result, one: Result) -> None:
    assert (bulk.ready, bulk.departure, bulk.window) == (one.ready, one.departure, one.window)
    assert bulk.blockers == one.blockers
    assert bulk.warnings == one.warnings
    assert bulk.people == one.people
    assert bulk.ranges(60) == one.ranges(60)


@pytest.mark.parametrize("departure", [None, D(2026, 6, 19), D(2026, 6, 22), D(2026, 7, 20)])
def test_bulk_and_case_by_case_agree(every_source: None, departure: dt.date | None) -> None:
    cases = varied()
    bulk = readiness_for_cases(Case.objects.filter(pk__in=[c.pk for c in cases]), departure)
    assert set(bulk) == {c.pk for c in cases}
    for case in Case.objects.filter(pk__in=[c.pk for c in cases]):
        same(bulk[case.pk], readiness_for_case(case, departure))
    # the fixture is varied: some ready, some blocked by each source
    if departure is None:
        assert {r.ready for r in bulk.values()} == {True, False}
        sources = {b.source for r in bulk.values() for b in r.blockers}
        assert {"documents", "health", "orientation"} <= sources


def test_texts_read_later_follow_the_language_they_are_read_in() -> None:
    from django.utils import translation

    case, people = us_ready()
    people[1].travel_documents.filter(doc_type__code="exit_visa").update(expires_on=D(2026, 6, 20))
    with translation.override("en"):
        english = readiness_for_case(case, D(2026, 6, 22))
        russian_later = readiness_for_case(case, D(2026, 6, 22))
    assert "ends on 2026-06-20, 2 day(s) before the departure" in english.blockers[0].reason
    with translation.override("ru"):
        reason = russian_later.blockers[0].reason
        computed_in_russian = readiness_for_case(case, D(2026, 6, 22))
        assert computed_in_russian.blockers[0].reason == reason
    assert "2026-06-20" in reason and "ends on" not in reason


def test_every_source_in_a_fixed_number_of_queries(every_source: None) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    few = varied()
    with CaptureQueriesContext(connection) as small:
        readiness_for_cases(Case.objects.filter(pk__in=[c.pk for c in few]))
    many = few + varied() + varied()
    with CaptureQueriesContext(connection) as large:
        results = readiness_for_cases(Case.objects.filter(pk__in=[c.pk for c in many]))
    assert len(results) == 18
    # case rows 2, documents 6, health 4, orientation 3, later profile versions 1
    assert len(large.captured_queries) == len(small.captured_queries) == 16
