"""Readiness with fixed dates: every document rule of the profiles at its edges."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from passage.core.readiness import Constraint
from passage.documents.readiness import readiness_for_case, readiness_for_cases
from passage.documents.tests.factories import (
    DocumentApplicationFactory,
    TravelDocumentFactory,
    doc_type,
)
from passage.profiles.models import Holiday
from passage.registry.choices import Programme, Relationship
from passage.registry.tests.factories import CaseFactory, MembershipFactory, PersonFactory

pytestmark = [pytest.mark.django_db]
TODAY = dt.date(2026, 6, 1)  # a Monday
D = dt.date


@pytest.fixture(autouse=True)
def _clock() -> Any:
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


def family(country: str, programme: str, size: int = 2) -> tuple[Any, list[Any]]:
    case = CaseFactory(destination_country=country, programme=programme)
    people = []
    for i in range(size):
        person = PersonFactory()
        rel = Relationship.PRINCIPAL if i == 0 else Relationship.CHILD
        MembershipFactory(case=case, person=person, relationship=rel)
        people.append(person)
    return case, people


def doc(person: Any, code: str, **kw: Any) -> Any:
    return TravelDocumentFactory(person=person, doc_type=doc_type(code), **kw)


def us_ready(size: int = 2) -> tuple[Any, list[Any]]:
    case, people = family("US", Programme.USRAP_P1, size)
    doc(people[0], "us_boarding_letter", case=case, issued_on=D(2026, 1, 10), expires_on=None)
    for p in people:
        doc(p, "exit_visa", issued_on=D(2026, 5, 1), expires_on=D(2026, 9, 30))
    return case, people


def ca_ready(programme: str = Programme.CA_GAR) -> tuple[Any, list[Any]]:
    case, people = family("CA", programme, 1)
    p = people[0]
    doc(p, "passport", expires_on=D(2030, 1, 1))
    doc(p, "copr", issued_on=D(2026, 5, 1), expires_on=D(2027, 5, 1), valid_for_country="CA")
    doc(p, "exit_visa", issued_on=D(2026, 5, 1), expires_on=D(2026, 12, 31))
    return case, people


def reasons(result: Any) -> list[str]:
    return [b.reason for b in result.blockers]


def test_us_case_ready_as_soon_as_possible_with_its_window() -> None:
    case, _people = us_ready()
    result = readiness_for_case(case)
    assert result.ready, reasons(result)
    assert result.departure == TODAY
    assert (result.window.start, result.window.end) == (TODAY, D(2026, 9, 30))
    assert result.ranges() == [result.window]
    assert all(p.ready for p in result.people)


def test_boarding_letter_valid_twelve_months_to_the_day() -> None:
    case, people = us_ready()
    for d in people:
        d.travel_documents.filter(doc_type__code="exit_visa").update(expires_on=D(2027, 6, 1))
    assert readiness_for_case(case, D(2027, 1, 10)).ready
    late = readiness_for_case(case, D(2027, 1, 11))
    assert not late.ready
    [blocker] = late.blockers
    assert blocker.code == "document:us_boarding_letter"
    assert "ends on 2027-01-10, 1 day(s) before the departure" in blocker.reason
    assert "Renew or replace" in blocker.resolve


def test_missing_exit_visa_names_the_person_and_the_application() -> None:
    case, people = us_ready()
    people[1].travel_documents.filter(doc_type__code="exit_visa").delete()
    result = readiness_for_case(case)
    assert not result.ready and result.departure is None
    [blocker] = result.blockers
    assert str(people[1]) in blocker.reason and "Kyrgyz exit visa" in blocker.reason
    assert blocker.resolve == "Apply for it and record the application."
    app = DocumentApplicationFactory(
        case=case,
        person=people[1],
        doc_type=doc_type("exit_visa"),
        authority="State Migration",
        status="submitted",
        submitted_on=D(2026, 5, 20),
        expected_on=D(2026, 6, 10),
    )
    resolve = readiness_for_case(case).blockers[0].resolve
    assert "State Migration on 2026-05-20; decision expected 2026-06-10" in resolve
    app.expected_on = D(2026, 5, 31)
    app.save()
    assert "overdue" in readiness_for_case(case).blockers[0].resolve
    per_person = {p.person_id: p for p in readiness_for_case(case).people}
    assert per_person[people[0].pk].ready and not per_person[people[1].pk].ready


def test_gar_arrival_refused_friday_to_sunday_and_on_holidays() -> None:
    Holiday.objects.create(country="CA", date=D(2026, 7, 1), name="Canada Day")
    case, _ = ca_ready()
    assert readiness_for_case(case, D(2026, 6, 4)).ready  # Thursday
    friday = readiness_for_case(case, D(2026, 6, 5))
    assert reasons(friday) == ["CA does not accept arrivals on Friday."]
    assert not readiness_for_case(case, D(2026, 6, 7)).ready  # Sunday
    assert readiness_for_case(case, D(2026, 6, 8)).ready  # Monday
    holiday = readiness_for_case(case, D(2026, 7, 1))
    assert reasons(holiday) == ["2026-07-01 is a statutory holiday in CA (Canada Day)."]
    ranges = readiness_for_case(case).ranges(horizon_days=40)
    assert ranges[0].start == TODAY and ranges[0].end == D(2026, 6, 4)
    assert ranges[1].start == D(2026, 6, 8)
    assert all(D(2026, 7, 1) not in r for r in ranges)


def test_asap_on_a_friday_moves_to_the_next_allowed_day() -> None:
    case, _ = ca_ready()
    with time_machine.travel(dt.datetime(2026, 6, 5, 9, tzinfo=dt.UTC), tick=False):
        result = readiness_for_case(case)
    assert result.ready and result.departure == D(2026, 6, 8)


def test_country_default_profile_has_no_arrival_day_limit() -> None:
    case, _ = ca_ready(Programme.CA_PSR)
    assert readiness_for_case(case, D(2026, 6, 5)).ready


def test_icrc_document_valid_three_months_from_issue() -> None:
    case, people = ca_ready(Programme.CA_PSR)
    people[0].travel_documents.filter(doc_type__code="passport").delete()
    doc(people[0], "icrc", issued_on=D(2026, 3, 15), expires_on=D(2026, 12, 31))
    assert readiness_for_case(case, D(2026, 6, 15)).ready
    late = readiness_for_case(case, D(2026, 6, 16))
    assert [b.code for b in late.blockers] == ["travel_document"]
    assert "ends on 2026-06-15" in late.blockers[0].reason


def test_copr_ends_with_the_passport() -> None:
    case, people = ca_ready(Programme.CA_PSR)
    people[0].travel_documents.filter(doc_type__code="passport").update(expires_on=D(2026, 8, 1))
    result = readiness_for_case(case)
    assert result.window.end == D(2026, 8, 1)
    late = readiness_for_case(case, D(2026, 8, 2))
    assert {b.code for b in late.blockers} == {"travel_document", "document:copr"}


def medical_source(until: dt.date, start: dt.date | None = None) -> Callable[..., Any]:
    def source(cases: Sequence[Any]) -> list[Constraint]:
        return [
            Constraint(
                "fake_health",
                "medical_clearance",
                c.pk,
                "Medical clearance",
                person_id=m.person_id,
                person_name=str(m.person),
                valid_from=start,
                valid_until=until,
                resolve="re-examine",
            )
            for c in cases
            for m in c.active_members
        ]

    return source


def test_copr_ends_with_the_medical_clearance_of_another_source(
    only_documents_source: Callable[..., Any],
) -> None:
    only_documents_source("fake_health", medical_source(D(2026, 7, 20)))
    case, people = ca_ready(Programme.CA_PSR)
    result = readiness_for_case(case)
    assert result.window.end == D(2026, 7, 20)
    copr = next(c for c in result.constraints if c.code == "document:copr")
    assert copr.valid_until == D(2026, 7, 20) and copr.details["capped_by"] == "medical"
    late = readiness_for_case(case, D(2026, 7, 29))
    by_code = {b.code: b for b in late.blockers}
    assert set(by_code) == {"medical_clearance", "document:copr"}
    assert by_code["medical_clearance"].reason == (
        f"Medical clearance of {people[0]} ends on 2026-07-20, 9 day(s) before the departure."
    )
    assert by_code["medical_clearance"].resolve == "re-examine"


def test_empty_window_when_one_source_starts_after_another_ends(
    only_documents_source: Callable[..., Any],
) -> None:
    only_documents_source("fake_health", medical_source(D(2027, 1, 1), start=D(2026, 10, 1)))
    case, _ = us_ready()
    result = readiness_for_case(case)
    assert not result.ready and result.window.empty
    assert all(
        "before the other requirements allow a departure (from 2026-10-01)" in r
        for r in reasons(result)
    )
    assert len(result.blockers) == 2  # both exit visas


def test_visa_for_another_country_does_not_count() -> None:
    case, people = family("AU", Programme.AU_HUMANITARIAN, 1)
    doc(people[0], "passport")
    doc(people[0], "exit_visa", issued_on=D(2026, 5, 1), expires_on=D(2026, 12, 1))
    doc(
        people[0],
        "visa",
        issued_on=D(2026, 5, 1),
        expires_on=D(2026, 12, 1),
        valid_for_country="NZ",
    )
    assert [b.code for b in readiness_for_case(case).blockers] == ["document:visa"]
    doc(
        people[0],
        "visa",
        issued_on=D(2026, 5, 1),
        expires_on=D(2026, 11, 1),
        valid_for_country="AU",
    )
    assert readiness_for_case(case).window.end == D(2026, 11, 1)


def test_cancelled_and_expired_documents() -> None:
    case, people = us_ready(1)
    people[0].travel_documents.filter(doc_type__code="exit_visa").update(
        cancelled_on=TODAY, cancel_reason="lost"
    )
    assert reasons(readiness_for_case(case))[0].startswith("No Kyrgyz exit visa")
    doc(people[0], "exit_visa", issued_on=D(2026, 1, 1), expires_on=D(2026, 5, 31))
    result = readiness_for_case(case)
    assert reasons(result) == [f"Kyrgyz exit visa of {people[0]} ended on 2026-05-31."]


def test_document_issued_later_opens_the_window_later() -> None:
    case, people = us_ready(1)
    people[0].travel_documents.filter(doc_type__code="exit_visa").update(issued_on=D(2026, 6, 10))
    result = readiness_for_case(case)
    assert result.ready and result.departure == D(2026, 6, 10)
    early = readiness_for_case(case, D(2026, 6, 9))
    assert "starts on 2026-06-10, 1 day(s) after the departure" in early.blockers[0].reason


def test_travel_document_any_of_rule() -> None:
    case, people = ca_ready(Programme.CA_PSR)
    people[0].travel_documents.filter(doc_type__code="passport").delete()
    [blocker] = readiness_for_case(case).blockers
    assert blocker.code == "travel_document"
    assert "Travel document (" in blocker.reason and "Single Journey Document" in blocker.reason
    doc(people[0], "sjd", issued_on=D(2026, 5, 1), expires_on=D(2026, 11, 1))
    assert readiness_for_case(case).window.end == D(2026, 11, 1)


def test_warnings_before_the_end_are_configurable() -> None:
    case, _ = us_ready()
    result = readiness_for_case(case, D(2026, 9, 20))
    assert result.ready
    assert [w.code for w in result.warnings] == ["document:exit_visa"] * 2
    assert "10 day(s) after the departure" in result.warnings[0].reason
    assert readiness_for_case(case, D(2026, 9, 20), warn_days=9).warnings == []
    assert len(readiness_for_case(case, D(2026, 9, 16), warn_days=14).warnings) == 2  # 14 days
    assert readiness_for_case(case, D(2026, 9, 15), warn_days=14).warnings == []  # 15 days


def test_no_profile_no_members_and_past_dates() -> None:
    nz, _ = family("NZ", Programme.EU_QUOTA, 1)
    assert [b.code for b in readiness_for_case(nz).blockers] == ["no_profile"]
    empty = CaseFactory(destination_country="US")
    assert [b.code for b in readiness_for_case(empty).blockers] == ["no_members"]
    case, _ = us_ready()
    assert [b.code for b in readiness_for_case(case, D(2026, 5, 31)).blockers] == ["past"]


def test_bulk_readiness_runs_in_a_fixed_number_of_queries() -> None:
    Holiday.objects.create(country="CA", date=D(2026, 7, 1), name="Canada Day")
    few = [us_ready()[0], ca_ready()[0]]
    with CaptureQueriesContext(connection) as small:
        readiness_for_cases(few)
    many = few + [us_ready()[0] for _ in range(8)] + [ca_ready()[0] for _ in range(8)]
    with CaptureQueriesContext(connection) as large:
        results = readiness_for_cases(many)
    assert len(large.captured_queries) == len(small.captured_queries) <= 8
    assert all(r.ready for r in results.values())


def test_an_empty_batch_needs_no_rows() -> None:
    from passage.registry.models import Case

    assert readiness_for_cases(Case.objects.none()) == {}
    assert readiness_for_cases([]) == {}


def test_every_registered_source_accepts_the_board_rows(
    only_documents_source: Callable[..., Any],
) -> None:
    """The real health source (when installed) reads the board's cases and members."""
    health = pytest.importorskip("passage.health.readiness")
    only_documents_source("health", health.health_constraints)
    from passage.registry.models import Case

    case, people = us_ready()
    bulk = readiness_for_cases(Case.objects.filter(pk=case.pk))[case.pk]
    one = readiness_for_case(case)
    assert [b.reason for b in bulk.blockers] == [b.reason for b in one.blockers]
    medical = [b for b in bulk.blockers if b.source == "health"]
    assert len(medical) == 2  # no exam yet for either person
    assert {b.person_name for b in medical} == {str(p) for p in people}
