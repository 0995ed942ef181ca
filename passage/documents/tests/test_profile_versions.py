"""Readiness applies the destination profile in force on the departure date.

Fixed dates around a new version's effective date (1 July 2026): a departure on the
day before reads the old version, on the day itself the new one; "as soon as
possible" looks at each version from its own first day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from passage.documents.readiness import readiness_for_case, readiness_for_cases
from passage.documents.sources import pick_profiles
from passage.documents.tests.test_readiness import doc, us_ready

pytestmark = [pytest.mark.django_db]
TODAY = dt.date(2026, 6, 1)
CHANGE = dt.date(2026, 7, 1)
D = dt.date


@pytest.fixture(autouse=True)
def _clock() -> Any:
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


def new_version(case: Any, **changes: Any) -> Any:
    """A copy of the case's profile in force today, in force from CHANGE with changes."""
    profile = pick_profiles([case], TODAY)[case.pk]
    assert profile is not None
    profile.pk = None
    profile.effective_from = CHANGE
    profile.source_note = "Test version"
    for name, value in changes.items():
        setattr(profile, name, value)
    profile.save()
    return profile


def without_exit_visa(case: Any) -> Any:
    profile = pick_profiles([case], TODAY)[case.pk]
    assert profile is not None
    codes = [c for c in profile.required_documents or [] if c != "exit_visa"]
    return new_version(case, exit_visa_required=False, required_documents=codes)


def test_departure_date_reads_the_version_in_force_that_day() -> None:
    case, people = us_ready()
    people[1].travel_documents.filter(doc_type__code="exit_visa").delete()
    without_exit_visa(case)
    before = readiness_for_case(case, CHANGE - dt.timedelta(days=1))
    assert not before.ready
    assert [b.code for b in before.blockers] == ["document:exit_visa"]
    on_the_day = readiness_for_case(case, CHANGE)
    assert on_the_day.ready, [b.reason for b in on_the_day.blockers]


def test_as_soon_as_possible_waits_for_the_version_that_allows_it() -> None:
    case, people = us_ready()
    people[1].travel_documents.filter(doc_type__code="exit_visa").delete()
    assert readiness_for_case(case).departure is None  # no later version yet
    without_exit_visa(case)
    result = readiness_for_case(case)
    assert result.ready
    assert result.departure == CHANGE
    assert result.window.start == CHANGE


def test_as_soon_as_possible_ends_its_window_where_a_stricter_version_begins() -> None:
    case, people = us_ready()
    stricter = pick_profiles([case], TODAY)[case.pk]
    assert stricter is not None
    new_version(case, required_documents=[*(stricter.required_documents or []), "visa"])
    result = readiness_for_case(case)
    assert result.ready and result.departure == TODAY
    assert (result.window.start, result.window.end) == (TODAY, CHANGE - dt.timedelta(days=1))
    assert not result.warnings  # the version's end is no validity to warn about
    later = readiness_for_case(case, CHANGE)
    assert not later.ready
    assert {b.code for b in later.blockers} == {"document:visa"}
    assert {b.person_id for b in later.blockers} == {p.pk for p in people}


def test_no_version_allows_it_reports_todays_blockers() -> None:
    case, people = us_ready()
    people[0].travel_documents.filter(doc_type__code="us_boarding_letter").delete()
    without_exit_visa(case)
    result = readiness_for_case(case)
    assert not result.ready and result.departure is None
    assert [b.code for b in result.blockers] == ["document:us_boarding_letter"]


def test_later_versions_in_fixed_queries() -> None:
    few = [us_ready()[0] for _ in range(2)]
    for case in few:
        case.memberships.first().person.travel_documents.filter(doc_type__code="exit_visa").delete()
    without_exit_visa(few[0])
    with CaptureQueriesContext(connection) as small:
        small_results = readiness_for_cases(few)
    many = few + [us_ready()[0] for _ in range(10)]
    with CaptureQueriesContext(connection) as large:
        results = readiness_for_cases(many)
    assert len(large.captured_queries) == len(small.captured_queries)
    assert all(r.departure == CHANGE for r in small_results.values())
    assert sum(r.departure == TODAY for r in results.values()) == 10


def test_a_version_with_the_same_rules_changes_nothing() -> None:
    """A control: the window still ends with the exit visa, before the new version."""
    case, people = us_ready()
    people[1].travel_documents.filter(doc_type__code="exit_visa").delete()
    doc(people[1], "exit_visa", issued_on=D(2026, 5, 1), expires_on=D(2026, 6, 20))
    new_version(case, source_note="Same rules, new source")
    result = readiness_for_case(case)
    assert result.ready and result.window.end == D(2026, 6, 20)
