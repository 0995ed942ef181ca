"""The agreement's pregnancy rule: booking, rebooking and the departure day, at every edge.

Fixed dates: the world's flights leave Bishkek on 2026-09-01; "today" is 2026-08-01
unless a test moves it. The agreement has the defaults: a certificate from week 28,
at most 7 days old; no travel from week 36. Weeks are completed weeks on the flight
date (40 at the expected delivery date).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from passage.core.errors import ActionError, ConflictError
from passage.health import records
from passage.health.rules import pregnancy_week
from passage.health.tests.factories import PregnancyFactory
from passage.movements import actions, departure, pregnancy, sources
from passage.movements import booking as bk
from passage.movements.choices import BookingStatus
from passage.movements.tests.conftest import BISHKEK, ISTANBUL, NEW_YORK
from passage.registry.choices import CaseStatus, Programme
from passage.registry.models import Case

pytestmark = pytest.mark.django_db
D = dt.date
FLIGHT = D(2026, 9, 1)
WINDOW_OPEN = dt.datetime(2026, 8, 28, 9, 0, tzinfo=dt.UTC)  # the 7-day window opened 08-25


def due_on(week: int, travel: dt.date = FLIGHT, day: int = 0) -> dt.date:
    """The expected delivery date that puts ``travel`` on ``day`` (0–6) of ``week``."""
    return travel + dt.timedelta(days=280 - 7 * week - day)


def pregnant_case(world: Any, week: int, day: int = 0, **kw: Any) -> tuple[Case, Any]:
    case = world.case(adults=2, **kw)
    mother = case.memberships.order_by("id")[1].person
    pregnancy_row = PregnancyFactory(
        person=mother, expected_delivery=due_on(week, day=day), recorded_on=D(2026, 3, 1)
    )
    assert pregnancy_week(pregnancy_row.expected_delivery, FLIGHT) == week
    return case, pregnancy_row


def certify(personas: Any, row: Any, issued: dt.date, **kw: Any) -> Any:
    return records.record_fit_to_fly_certificate(
        actor=personas.medical_officer,
        pregnancy=row,
        issued_on=issued,
        issued_by="Dr Asanova, City Maternity Clinic",
        gestation_week=pregnancy_week(row.expected_delivery, issued),
        **kw,
    )


def book(world: Any, case: Case, flights: list[Any] | None = None) -> Any:
    return bk.book_case(
        actor=world.actor,
        case=case,
        agreement=world.agreement,
        flights=flights or [world.first, world.second],
    )


def refused(world: Any, case: Case) -> ActionError:
    with pytest.raises(ActionError) as err:
        book(world, case)
    assert err.value.code == "pregnancy"
    assert not case.bookings.exists()
    return err.value


def name(case: Case) -> str:
    return str(case.memberships.order_by("id")[1].person.latin_name)


def test_week_27_books_without_a_certificate(world: Any, time_machine: Any) -> None:
    time_machine.move_to(WINDOW_OPEN, tick=False)
    case, _ = pregnant_case(world, 27, day=6)
    assert book(world, case).travellers.count() == 2


def test_week_28_needs_a_certificate_once_the_window_is_open(world: Any, time_machine: Any) -> None:
    time_machine.move_to(WINDOW_OPEN, tick=False)
    case, _ = pregnant_case(world, 28)
    err = refused(world, case)
    assert err.message == (
        f"{name(case)} is in week 28 of pregnancy on the flight date: a fit-to-fly certificate "
        "dated at most 7 days before 1 September 2026 is needed. No certificate is recorded."
    )
    assert err.errors == [{"message": err.message}]


def test_certificate_7_days_old_books_8_days_old_is_refused(
    world: Any, personas: Any, time_machine: Any
) -> None:
    time_machine.move_to(WINDOW_OPEN, tick=False)
    case, row = pregnant_case(world, 30)
    certify(personas, row, FLIGHT - dt.timedelta(days=8))
    err = refused(world, case)
    assert "week 30" in err.message and "The latest is dated 24 August 2026." in err.message
    certify(personas, row, FLIGHT - dt.timedelta(days=7))
    assert book(world, case).status == BookingStatus.BOOKED


def test_a_certificate_valid_until_before_the_flight_does_not_count(
    world: Any, personas: Any, time_machine: Any
) -> None:
    time_machine.move_to(WINDOW_OPEN, tick=False)
    case, row = pregnant_case(world, 30)
    certify(personas, row, D(2026, 8, 27), valid_until=D(2026, 8, 31))
    err = refused(world, case)
    assert "It states travel until 31 August 2026." in err.message


def test_before_the_window_opens_booking_goes_ahead_and_says_the_certificate_is_due(
    world: Any,
) -> None:
    case, _ = pregnant_case(world, 28)  # today 2026-08-01: no certificate can exist yet
    booking = book(world, case)
    assert departure.pregnancy_notices(booking) == [
        f"{name(case).upper()} will be in week 28 of pregnancy on 1 September 2026: a fit-to-fly "
        "certificate dated 25 August 2026 or later is due before departure."
    ]


@pytest.mark.parametrize(("week", "day"), [(35, 6), (36, 0), (37, 0)])
def test_last_week_35_36_37(world: Any, personas: Any, time_machine: Any, week: int, day: int):
    time_machine.move_to(WINDOW_OPEN, tick=False)
    case, row = pregnant_case(world, week, day=day)
    certify(personas, row, D(2026, 8, 27))
    if week < 36:
        assert book(world, case).status == BookingStatus.BOOKED
        return
    err = refused(world, case)
    assert err.message == (
        f"{name(case)} will be in week {week} of pregnancy on 1 September 2026; "
        "Turkish Airlines carries no one from week 36."
    )


def test_the_agreement_rule_wins_and_is_the_only_airline_rule(
    world: Any, personas: Any, time_machine: Any
) -> None:
    """An airline that carries until week 37 and asks for a certificate 3 days old."""
    time_machine.move_to(dt.datetime(2026, 8, 29, 0, 30, tzinfo=dt.UTC), tick=False)
    actions.update_agreement(
        actor=world.actor,
        agreement=world.agreement,
        pregnancy_last_week=38,
        pregnancy_certificate_max_days=3,
    )
    case, row = pregnant_case(world, 37)
    certify(personas, row, D(2026, 8, 28))  # 4 days before the flight
    err = refused(world, case)
    assert "at most 3 days before 1 September 2026" in err.message
    certify(personas, row, D(2026, 8, 29))
    assert book(world, case).status == BookingStatus.BOOKED


def later_itinerary(world: Any, day: int) -> list[Any]:
    return [
        world.flight(
            "345",
            "BSZ",
            "IST",
            dt.datetime(2026, 9, day, 7, 40, tzinfo=BISHKEK),
            dt.datetime(2026, 9, day, 10, 30, tzinfo=ISTANBUL),
        ),
        world.flight(
            "1",
            "IST",
            "JFK",
            dt.datetime(2026, 9, day, 13, 0, tzinfo=ISTANBUL),
            dt.datetime(2026, 9, day, 16, 30, tzinfo=NEW_YORK),
        ),
    ]


def test_rebooking_to_a_later_date_crossing_the_limit_is_refused(
    world: Any, personas: Any, time_machine: Any
) -> None:
    time_machine.move_to(WINDOW_OPEN, tick=False)
    case, row = pregnant_case(world, 35, day=0)
    certify(personas, row, D(2026, 8, 27))
    old = book(world, case)
    with pytest.raises(ActionError) as err:
        bk.rebook(
            actor=world.actor,
            booking=old,
            flights=later_itinerary(world, 8),
            reason="Schedule change",
        )
    assert err.value.code == "pregnancy"
    assert "will be in week 36 of pregnancy on 8 September 2026" in err.value.message
    old.refresh_from_db()
    assert old.status == BookingStatus.BOOKED


def test_rebooking_later_makes_the_certificate_too_old(
    world: Any, personas: Any, time_machine: Any
) -> None:
    time_machine.move_to(WINDOW_OPEN, tick=False)
    case, row = pregnant_case(world, 30)
    certify(personas, row, D(2026, 8, 27))
    old = book(world, case)
    with pytest.raises(ActionError) as err:
        bk.rebook(actor=world.actor, booking=old, flights=later_itinerary(world, 4), reason="Delay")
    assert "dated at most 7 days before 4 September 2026" in err.value.message
    assert "The latest is dated 27 August 2026." in err.value.message


def test_health_default_limit_is_not_applied_at_booking(world: Any, monkeypatch: Any) -> None:
    """Readiness's "Airline medical limit" (health's default table) is left out at booking;
    without the flag it is kept."""
    from passage.core import readiness
    from passage.core.readiness import Constraint

    case = world.case(adults=1)

    def source(cases: Any) -> list[Constraint]:
        return [
            Constraint("health", code, c.pk, code, blocker=code, valid_until=D(2026, 8, 20))
            for c in cases
            for code in ("airline_medical", "medical")
        ]

    monkeypatch.setattr(readiness, "_sources", {"health": source})
    kept = sources.readiness_for([case], FLIGHT)[case.pk].blockers
    left = sources.readiness_for([case], FLIGHT, airline_checked=True)[case.pk].blockers
    assert len(kept) == 2 and len(left) == 1


# ---- the departure day ------------------------------------------------------------------


@pytest.fixture
def ca_pregnant(world: Any) -> tuple[Any, Any]:
    """A Canada case (no pre-embarkation check required) booked on 2026-08-01, week 30."""
    case, row = pregnant_case(world, 30, country="CA", programme=Programme.CA_GAR)
    toronto = world.flight(
        "17",
        "IST",
        "YYZ",
        dt.datetime(2026, 9, 1, 11, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 9, 1, 21, 0, tzinfo=dt.UTC),
    )
    return book(world, case, [world.first, toronto]), row


def test_departure_day_refuses_fit_to_travel_until_a_recent_certificate(
    world: Any, personas: Any, time_machine: Any, ca_pregnant: Any
) -> None:
    booking, row = ca_pregnant
    time_machine.move_to(dt.datetime(2026, 9, 1, 0, 30, tzinfo=dt.UTC), tick=False)
    certify(personas, row, D(2026, 8, 20))
    with pytest.raises(ConflictError) as err:
        departure.mark_fit_to_travel(actor=world.actor, booking=booking)
    assert err.value.code == "pregnancy"
    assert "dated at most 7 days before 1 September 2026" in err.value.message
    assert "The latest is dated 20 August 2026." in err.value.message
    booking.case.refresh_from_db()
    assert booking.case.status == CaseStatus.BOOKED
    certify(personas, row, D(2026, 8, 31))
    departure.mark_fit_to_travel(actor=world.actor, booking=booking)
    booking.case.refresh_from_db()
    assert booking.case.status == CaseStatus.FIT_TO_TRAVEL


def test_departure_refused_when_health_moved_the_case_but_the_certificate_is_old(
    world: Any, personas: Any, time_machine: Any, ca_pregnant: Any
) -> None:
    booking, row = ca_pregnant
    time_machine.move_to(dt.datetime(2026, 9, 1, 0, 30, tzinfo=dt.UTC), tick=False)
    certify(personas, row, D(2026, 8, 24))  # 8 days before departure
    Case.objects.filter(pk=booking.case_id).update(status=CaseStatus.FIT_TO_TRAVEL)
    booking.case.refresh_from_db()
    sources.register_loan_provider(lambda case: True)
    try:
        for t in booking.travellers.all():
            departure.check_in(actor=world.actor, traveller=t)
        with pytest.raises(ConflictError) as err:
            departure.mark_departed(actor=world.actor, booking=booking)
    finally:
        sources.register_loan_provider(None)
    assert err.value.code == "pregnancy" and "week 30" in err.value.message
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_facts_for_a_batch_take_two_queries(
    world: Any, personas: Any, django_assert_num_queries: Any
) -> None:
    rows = [pregnant_case(world, week)[1] for week in (20, 29, 33)]
    certify(personas, rows[1], D(2026, 7, 30))
    ids = [r.person_id for r in rows] + [world.case(adults=1).memberships.get().person_id]
    with django_assert_num_queries(2):
        facts = sources.pregnancy(ids, FLIGHT)
    assert sorted(f.week for f in facts.values()) == [20, 29, 33]
    assert facts[rows[1].person_id].certificate_issued_on == D(2026, 7, 30)
    assert facts[rows[0].person_id].certificate_issued_on is None
    assert pregnancy.CODE == "pregnancy"


# ---- pages and API ----------------------------------------------------------------------


def test_api_refusal_and_booking_page_notice(world: Any, personas: Any) -> None:
    from django.urls import reverse

    late, _ = pregnant_case(world, 36)
    client = personas.api_client("movement_officer")
    body = {
        "case_id": late.pk,
        "agreement_id": world.agreement.pk,
        "flight_ids": [world.first.pk, world.second.pk],
    }
    refused = client.post("/api/v1/movements/bookings", body, content_type="application/json")
    assert refused.status_code == 400
    data = refused.json()
    assert data["code"] == "pregnancy" and data["field"] == "members"
    assert "carries no one from week 36" in data["errors"][0]["message"]
    case, _ = pregnant_case(world, 29)
    booking = book(world, case)
    url = reverse("movements:booking", args=[booking.pk])
    page = personas.client("movement_officer").get(url).content.decode()
    assert 'id="pregnancy-notice"' in page and "week 29 of pregnancy" in page
    partner = personas.client("embassy_us").get(url)
    assert partner.status_code == 200
    assert "pregnancy" not in partner.content.decode()
