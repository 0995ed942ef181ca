"""Booking against the real travel readiness of ``passage.documents`` and ``passage.health``.

No stand-in: ``passage.documents.readiness.readiness_for_cases`` with the documents' and
the health app's registered sources, so a refusal names the blocker those apps write.
Cultural orientation (also a registered source) is left out of these cases: its rules
are tested by ``passage.orientation``, and completing a course here would add nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from passage.core import readiness
from passage.core.errors import ActionError
from passage.documents.tests.factories import TravelDocumentFactory, doc_type
from passage.health.choices import AssessmentStatus
from passage.health.tests.factories import AssessmentFactory
from passage.movements import booking as bk
from passage.movements.tests.conftest import BISHKEK, World
from passage.registry.choices import Programme
from passage.registry.models import Case

pytestmark = pytest.mark.django_db
D = dt.date
TORONTO = dt.timezone(dt.timedelta(hours=-4))
LATER = D(2026, 12, 1)
PASSPORT_END = D(2030, 1, 1)


@pytest.fixture
def real(world: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The world, with the real readiness sources and health record back in place."""
    monkeypatch.undo()
    kept = {k: v for k, v in readiness.sources().items() if k in ("documents", "health")}
    assert set(kept) == {"documents", "health"}
    monkeypatch.setattr(readiness, "_sources", kept)
    return world


def cleared(case: Case, until: dt.date) -> None:
    for m in case.memberships.all():
        AssessmentFactory(
            person=m.person,
            case=case,
            status=AssessmentStatus.CLEARED,
            valid_from=D(2026, 6, 1),
            valid_until=until,
        )


def doc(person: Any, code: str, **kw: Any) -> Any:
    return TravelDocumentFactory(person=person, doc_type=doc_type(code), **kw)


def us_case(world: World, medical_until: dt.date = LATER) -> Case:
    case = world.case(adults=2)
    people = [m.person for m in case.memberships.all()]
    doc(people[0], "us_boarding_letter", case=case, issued_on=D(2026, 6, 10), expires_on=None)
    for p in people:
        doc(p, "exit_visa", issued_on=D(2026, 7, 1), expires_on=D(2026, 12, 31))
    cleared(case, medical_until)
    return case


def ca_case(world: World, passport_until: dt.date = PASSPORT_END) -> Case:
    case = world.case(adults=1, country="CA", programme=Programme.CA_GAR)
    p = case.memberships.get().person
    doc(p, "passport", expires_on=passport_until)
    doc(p, "copr", issued_on=D(2026, 7, 1), expires_on=D(2027, 7, 1), valid_for_country="CA")
    doc(p, "exit_visa", issued_on=D(2026, 7, 1), expires_on=D(2026, 12, 31))
    cleared(case, D(2026, 12, 1))
    return case


def book(world: Any, case: Case, flights: list[Any] | None = None) -> Any:
    return bk.book_case(
        actor=world.actor,
        case=case,
        agreement=world.agreement,
        flights=flights or [world.first, world.second],
    )


def test_a_case_with_documents_and_medical_in_place_books(real: Any) -> None:
    booking = book(real, us_case(real))
    assert booking.departure_date == D(2026, 9, 1)
    assert booking.travellers.count() == 2


def test_medical_clearance_ending_before_the_flight_is_named(real: Any) -> None:
    case = us_case(real, medical_until=D(2026, 8, 31))
    with pytest.raises(ActionError) as err:
        book(real, case)
    assert err.value.code == "not_ready"
    assert "Medical clearance" in err.value.message
    assert "2026-08-31" in err.value.message
    assert not case.bookings.exists()


def test_passport_ending_before_the_flight_is_named(real: Any) -> None:
    direct = real.flight(
        "2",
        "BSZ",
        "YYZ",
        dt.datetime(2026, 9, 1, 6, 0, tzinfo=BISHKEK),
        dt.datetime(2026, 9, 1, 15, 0, tzinfo=TORONTO),
    )
    ready = ca_case(real)
    assert book(real, ready, [direct]).travellers.count() == 1
    case = ca_case(real, passport_until=D(2026, 8, 31))
    with pytest.raises(ActionError) as err:
        book(real, case, [direct])
    assert err.value.code == "not_ready"
    assert "passport" in err.value.message.lower() and "2026-08-31" in err.value.message
    assert not case.bookings.exists()


def test_arrival_day_rule_is_checked_on_the_arrival_date(real: Any) -> None:
    """Canada GAR takes no arrivals Friday to Sunday: the arrival leg's date decides."""
    # Leaves Bishkek on Thursday 2026-09-03 (a day readiness allows), lands Friday in Toronto.
    thursday = real.flight(
        "3",
        "BSZ",
        "YYZ",
        dt.datetime(2026, 9, 3, 23, 0, tzinfo=BISHKEK),
        dt.datetime(2026, 9, 4, 8, 0, tzinfo=TORONTO),
    )
    case = ca_case(real)
    with pytest.raises(ActionError) as err:
        book(real, case, [thursday])
    assert err.value.code == "arrival_day"
    assert not case.bookings.exists()
    # Leaves on Sunday 2026-09-13 in Bishkek, lands on Monday 2026-09-14 in Toronto: allowed.
    sunday = real.flight(
        "4",
        "BSZ",
        "YYZ",
        dt.datetime(2026, 9, 13, 23, 30, tzinfo=BISHKEK),
        dt.datetime(2026, 9, 14, 6, 0, tzinfo=TORONTO),
    )
    booking = book(real, case, [sunday])
    assert (booking.departure_date, booking.arrival_date) == (D(2026, 9, 13), D(2026, 9, 14))
    # Rebooking applies the same rule to the new arrival leg.
    with pytest.raises(ActionError) as err:
        bk.rebook(actor=real.actor, booking=booking, flights=[thursday], reason="earlier seat")
    assert err.value.code == "arrival_day"
    booking.refresh_from_db()
    assert booking.status == "booked"


def test_pregnancy_rule_of_the_agreement_applies_not_the_health_default(real: Any) -> None:
    """The health app's default limit (week 35, readiness's "Airline medical limit") is
    left out at booking; the agreement's rule is the one applied (docs/movements.md)."""
    from passage.health.tests.factories import PregnancyFactory
    from passage.movements import actions

    case = us_case(real)
    mother = case.memberships.order_by("id")[1].person
    # Expected 2026-09-20: week 37 on the flight date 2026-09-01.
    PregnancyFactory(person=mother, expected_delivery=D(2026, 9, 20), recorded_on=D(2026, 3, 1))
    with pytest.raises(ActionError) as err:
        book(real, case)
    assert err.value.code == "pregnancy"
    assert "week 37" in err.value.message and "from week 36" in err.value.message
    assert "Airline medical limit" not in err.value.message
    actions.update_agreement(actor=real.actor, agreement=real.agreement, pregnancy_last_week=38)
    booking = book(real, case)  # the certificate is due, but cannot be issued a month ahead
    assert booking.travellers.count() == 2
