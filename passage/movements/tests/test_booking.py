"""Booking: every refusal with its reason, seats and caps, laps, escorts, rebooking."""

from __future__ import annotations

import datetime as dt

import pytest

from passage.core.errors import ActionError, ConflictError
from passage.core.models import AuditEvent
from passage.movements import booking as bk
from passage.movements.choices import BookingStatus, PassengerType, TravellerRole
from passage.movements.models import Booking, Manifest
from passage.movements.tests.conftest import BISHKEK, ISTANBUL, NEW_YORK, latest_manifest
from passage.registry.choices import CaseStatus, Programme
from passage.registry.models import CaseStatusChange

pytestmark = pytest.mark.django_db


def book(world, case, flights=None, **kw):
    return bk.book_case(
        actor=world.actor,
        case=case,
        agreement=world.agreement,
        flights=flights or [world.first, world.second],
        **kw,
    )


def test_books_a_family_with_infant_on_lap_fares_and_history(world):
    case = world.case(adults=2, children=1, infants=1)
    booking = book(world, case)
    case.refresh_from_db()
    assert case.status == CaseStatus.BOOKED
    moves = list(CaseStatusChange.objects.filter(case=case).values_list("from_status", "to_status"))
    assert moves == [("travel_ready", "booking_requested"), ("booking_requested", "booked")]
    travellers = {t.passenger_type: t for t in booking.travellers.all()}
    assert sorted(t.passenger_type for t in booking.travellers.all()) == [
        "ADT",
        "ADT",
        "CHD",
        "INF",
    ]
    infant = travellers[PassengerType.INFANT]
    assert infant.on_lap_of is not None and infant.on_lap_of.passenger_type == PassengerType.ADULT
    assert "INFT" in infant.on_lap_of.ssr_codes
    assert infant.baggage_kg == 10 and str(infant.fare) == "65.00" and infant.currency == "USD"
    assert str(travellers[PassengerType.CHILD].fare) == "490.00"
    assert [leg.flight for leg in booking.legs.all()] == [world.first, world.second]
    assert booking.departure_date == dt.date(2026, 9, 1) and booking.group
    assert AuditEvent.objects.filter(action="movements.book", object_id=str(booking.pk)).exists()
    # a manifest version on each leg
    assert Manifest.objects.filter(flight=world.first, version=1).count() == 1
    assert len(Manifest.objects.get(flight=world.second).rows) == 4


def test_refuses_a_case_that_is_not_ready_listing_every_blocker(world):
    case = world.case()
    world.blockers[case.pk] = ["Medical exam expired on 2026-08-20", "No exit visa"]
    with pytest.raises(ActionError) as err:
        book(world, case)
    assert err.value.code == "not_ready"
    assert "Medical exam expired on 2026-08-20" in err.value.message
    assert "No exit visa" in err.value.message
    assert [e["message"] for e in err.value.errors] == world.blockers[case.pk]
    assert not Booking.objects.exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.TRAVEL_READY


def test_refuses_without_an_embassy_request_for_movement(world):
    case = world.case(movement=False)
    with pytest.raises(ActionError) as err:
        book(world, case)
    assert err.value.code == "no_embassy_request"
    assert not Booking.objects.exists()


def test_refuses_a_case_not_travel_ready(world):
    case = world.case(status=CaseStatus.DOCUMENTS_IN_PROCESS)
    with pytest.raises(ConflictError) as err:
        book(world, case)
    assert err.value.code == "case_not_bookable"


def test_minimum_connection_time_at_the_transit_airport(world):
    short = world.flight(
        "3",
        "IST",
        "JFK",
        dt.datetime(2026, 9, 1, 11, 0, tzinfo=ISTANBUL),
        dt.datetime(2026, 9, 1, 14, 30, tzinfo=NEW_YORK),
    )
    case = world.case()
    with pytest.raises(ActionError) as err:
        book(world, case, [world.first, short])
    assert err.value.code == "connection_too_short"
    assert "IST" in err.value.message and "30 minutes" in err.value.message
    assert "60 minutes" in err.value.message


def test_legs_must_join(world):
    other = world.flight(
        "9",
        "BSZ",
        "JFK",
        dt.datetime(2026, 9, 1, 20, 0, tzinfo=BISHKEK),
        dt.datetime(2026, 9, 2, 8, 0, tzinfo=NEW_YORK),
    )
    with pytest.raises(ActionError) as err:
        book(world, world.case(), [world.first, other])
    assert err.value.code == "legs_not_joined"


def test_members_travel_together_unless_a_split_is_authorised(world):
    case = world.case(adults=3)
    people = [m.person for m in case.memberships.all()][:2]
    with pytest.raises(ActionError) as err:
        book(world, case, people=people)
    assert err.value.code == "split_not_authorised"
    booking = book(world, case, people=people, split_reason="Embassy letter 12/2026: son follows")
    assert booking.travellers.count() == 2 and booking.split_authorised


def test_no_seat_is_oversold_and_released_blocks_refuse(world):
    first = world.case(adults=6)
    book(world, first)
    second = world.case(adults=5)
    with pytest.raises(ConflictError) as err:
        book(world, second)
    assert err.value.code == "no_seats"
    assert "4 free, 5 needed" in err.value.message
    assert Booking.objects.count() == 1
    infants_only = world.case(adults=4, infants=2)  # infants take no seat
    assert book(world, infants_only).travellers.count() == 6


def test_released_block(world, time_machine):
    time_machine.move_to(dt.datetime(2026, 8, 30, tzinfo=dt.UTC), tick=False)
    with pytest.raises(ConflictError) as err:
        book(world, world.case())
    assert err.value.code == "block_released"


def _canada_flights(world):
    yyz = world.flight(
        "17",
        "IST",
        "YYZ",
        dt.datetime(2026, 9, 1, 14, 0, tzinfo=ISTANBUL),
        dt.datetime(2026, 9, 1, 17, 0, tzinfo=dt.timezone(dt.timedelta(hours=-4))),
        seats=200,
    )
    world.blocks[world.first.pk].seats = 200
    world.blocks[world.first.pk].save()
    return [world.first, yyz]


def _ca(world, adults):
    return world.case(adults=adults, country="CA", programme=Programme.CA_GAR)


def test_per_flight_cap_from_the_profile(world):
    from passage.profiles.queries import profile_for

    profile = profile_for("CA", Programme.CA_GAR, dt.date(2026, 9, 1))
    assert (profile.max_refugees_per_flight, profile.over_cap_notice_working_days) == (75, 15)
    # 15 working days (Canada's calendar) before Tuesday 2026-09-01: Tuesday 2026-08-11.
    assert bk.over_cap_deadline(profile, dt.date(2026, 9, 1)) == dt.date(2026, 8, 11)


def test_over_the_cap_on_the_last_day_of_the_notice(world, time_machine):
    flights = _canada_flights(world)
    time_machine.move_to(dt.datetime(2026, 8, 11, 17, 59, tzinfo=dt.UTC), tick=False)  # 23:59
    book(world, _ca(world, 70), flights)
    booking = book(world, _ca(world, 6), flights)  # 76 on board, with 15 working days' notice
    assert booking.travellers.count() == 6


def test_over_the_cap_after_the_notice_deadline_is_refused(world, time_machine):
    flights = _canada_flights(world)
    time_machine.move_to(dt.datetime(2026, 8, 11, 18, 0, tzinfo=dt.UTC), tick=False)  # 08-12
    book(world, _ca(world, 70), flights)
    late = _ca(world, 6)
    with pytest.raises(ConflictError) as err:
        book(world, late, flights)
    assert err.value.code == "flight_cap"
    assert "already carries 70" in err.value.message and "at most 75" in err.value.message
    assert "15 working days" in err.value.message and "2026-08-11" in err.value.message
    assert not late.bookings.exists()
    book(world, _ca(world, 5), flights)  # up to the cap needs no notice


def test_arrival_day_rule_of_the_profile(world):
    # Canada GAR: no arrival Friday to Sunday. 2026-09-04 is a Friday.
    friday = world.flight(
        "19",
        "BSZ",
        "YYZ",
        dt.datetime(2026, 9, 4, 6, 0, tzinfo=BISHKEK),
        dt.datetime(2026, 9, 4, 15, 0, tzinfo=dt.timezone(dt.timedelta(hours=-4))),
    )
    with pytest.raises(ActionError) as err:
        book(world, world.case(country="CA", programme=Programme.CA_GAR), [friday])
    assert err.value.code == "arrival_day"


def test_escorts_take_seats_and_health_can_require_one(world, monkeypatch):
    from passage.movements import sources

    case = world.case(adults=1)
    person = case.memberships.get().person
    monkeypatch.setattr(
        sources,
        "health_needs",
        lambda c, on: {
            person.pk: sources.HealthNeeds(ssr_codes=("WCHC", "MEDA"), escort_required=True)
        },
    )
    with pytest.raises(ActionError) as err:
        book(world, case)
    assert err.value.code == "escort_required"
    escort = bk.Escort(
        TravellerRole.MEDICAL_ESCORT, "Osmonova", "Aida", dt.date(1980, 1, 1), "AC1234567"
    )
    booking = book(world, case, escorts=[escort])
    member = booking.travellers.get(role=TravellerRole.MEMBER)
    assert member.ssr_codes == ["WCHC", "MEDA"]
    assert booking.travellers.get(role=TravellerRole.MEDICAL_ESCORT).surname == "OSMONOVA"


def test_infants_need_a_lap_each(world):
    with pytest.raises(ActionError) as err:
        book(world, world.case(adults=1, infants=2))
    assert err.value.code == "infant_without_lap"
    assert not Booking.objects.exists()


def test_missing_fare_names_the_route(world):
    other = world.flight(
        "7",
        "IST",
        "YYZ",
        dt.datetime(2026, 9, 1, 14, 0, tzinfo=ISTANBUL),
        dt.datetime(2026, 9, 1, 17, 0, tzinfo=dt.timezone(dt.timedelta(hours=-4))),
    )
    with pytest.raises(ActionError) as err:
        book(world, world.case(), [other])
    assert err.value.code == "no_fare" and "IST" in err.value.message


def test_rebooking_keeps_the_old_booking_in_history(world):
    case = world.case(adults=2)
    old = book(world, case)
    later = world.flight(
        "345",
        "BSZ",
        "IST",
        dt.datetime(2026, 9, 8, 7, 40, tzinfo=BISHKEK),
        dt.datetime(2026, 9, 8, 10, 30, tzinfo=ISTANBUL),
    )
    later2 = world.flight(
        "1",
        "IST",
        "JFK",
        dt.datetime(2026, 9, 8, 13, 0, tzinfo=ISTANBUL),
        dt.datetime(2026, 9, 8, 16, 30, tzinfo=NEW_YORK),
    )
    new = bk.rebook(
        actor=world.actor, booking=old, flights=[later, later2], reason="Airline schedule change"
    )
    old.refresh_from_db()
    assert old.status == BookingStatus.REBOOKED and new.replaces == old
    assert new.departure_date == dt.date(2026, 9, 8)
    case.refresh_from_db()
    assert case.status == CaseStatus.BOOKED
    # the old flights' manifests have a new, empty version
    assert latest_manifest(world.first).rows == []
    assert len(Manifest.objects.get(flight=later).rows) == 2
    with pytest.raises(ConflictError):
        bk.rebook(actor=world.actor, booking=old, flights=[later], reason="again")


def test_readiness_adapter_formats_the_documents_result(world, monkeypatch):
    """When passage.documents provides readiness_for_cases, its blockers are named in full."""
    from dataclasses import dataclass

    from passage.movements import sources

    @dataclass
    class Item:
        reason: str
        person_name: str = ""
        resolve: str = ""

    @dataclass
    class Result:
        ready: bool
        blockers: list[Item]
        warnings: list[Item]

    case = world.case()
    seen = {}

    def readiness_for_cases(cases, departure):
        seen["args"] = ([c.pk for c in cases], departure)
        return {case.pk: Result(False, [Item("Passport expired", "TESTOV AZAMAT", "Renew it")], [])}

    monkeypatch.setattr(sources, "_documents_readiness", lambda: readiness_for_cases)
    with pytest.raises(ActionError) as err:
        book(world, case)
    assert seen["args"] == ([case.pk], dt.date(2026, 9, 1))
    assert "TESTOV AZAMAT: Passport expired (Renew it)" in err.value.message


def test_health_record_ssrs_and_medif_under_the_agreement(world, monkeypatch):
    """With the real health app: SSR codes come from travel needs; a MEDIF must be approved
    and valid on departure for the agreement's number of days."""
    from passage.health.tests.factories import TravelNeedsFactory
    from passage.movements import sources

    monkeypatch.undo()  # the real readiness sources and health record
    monkeypatch.setattr(sources, "_documents_readiness", lambda: None)
    from passage.core import readiness

    monkeypatch.setattr(readiness, "_sources", {})
    case = world.case(adults=1)
    person = case.memberships.get().person
    needs = TravelNeedsFactory(person=person, ssr_codes=["WCHR"], medif_status="submitted")
    with pytest.raises(ActionError) as err:
        book(world, case)
    assert err.value.code == "medif" and "not approved" in err.value.message
    needs.medif_status, needs.medif_date = "approved", dt.date(2026, 8, 20)
    needs.save()
    with pytest.raises(ActionError) as err:
        book(world, case)
    assert "until 2026-08-27, not on 2026-09-01" in err.value.message
    needs.medif_date = dt.date(2026, 8, 28)
    needs.save()
    booking = book(world, case)
    assert booking.travellers.get().ssr_codes == ["WCHR"]
