"""A movement officer takes a ready case from the list to an arrived case, in the browser."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from passage.core import readiness
from passage.movements import actions, sources
from passage.profiles.models import DestinationProfile
from passage.profiles.tests.factories import DestinationProfileFactory
from passage.registry.choices import CaseStatus, Programme
from passage.registry.models import Case
from passage.registry.tests.factories import (
    CaseFactory,
    EmbassyRequestFactory,
    MembershipFactory,
    PersonFactory,
)
from passage.testing.browser import login
from passage.testing.factories import PASSWORD


@pytest.fixture
def scene(personas: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Case]:
    # Readiness and health come from other apps; here the case is ready and has no needs.
    monkeypatch.setattr(readiness, "_sources", {})
    monkeypatch.setattr(sources, "_documents_readiness", lambda: None)
    monkeypatch.setattr(sources, "health_needs", lambda case, on: {})
    sources.register_loan_provider(lambda case: True)  # the loans capability's answer
    if not DestinationProfile.objects.filter(country="CA", programme="").exists():
        DestinationProfileFactory(
            country="CA",
            effective_from=dt.date(2025, 1, 1),
            max_refugees_per_flight=75,
            travel_loan_required=True,
        )
    officer = personas.movement_officer
    today = timezone.localdate()
    airline = actions.ensure_airline(actor=officer, code="TK")
    agreement = actions.create_agreement(
        actor=officer,
        airline=airline,
        reference="TK-BROWSER",
        valid_from=today,
        valid_until=today + dt.timedelta(days=365),
        currency="USD",
        service_fee="25.00",
    )
    bsz, ist, yyz = (actions.ensure_airport(actor=officer, code=c) for c in ("BSZ", "IST", "YYZ"))
    for ptype in ("ADT", "CHD", "INF"):
        actions.set_fare(
            actor=officer,
            agreement=agreement,
            origin=bsz,
            destination=yyz,
            passenger_type=ptype,
            amount="700.00",
        )
    day = today + dt.timedelta(days=21)
    while day.isoweekday() != 2:  # a Tuesday: arrivals on a working day
        day += dt.timedelta(days=1)
    legs = [("345", bsz, ist, (7, 40), 6), ("17", ist, yyz, (14, 0), 11)]
    for number, origin, dest, (hh, mm), hours in legs:
        departs = dt.datetime(day.year, day.month, day.day, hh, mm, tzinfo=ZoneInfo(origin.tz))
        flight = actions.schedule_flight(
            actor=officer,
            airline=airline,
            number=number,
            origin=origin,
            destination=dest,
            departs_at=departs,
            arrives_at=departs + dt.timedelta(hours=hours),
        )
        actions.hold_seat_block(
            actor=officer,
            flight=flight,
            agreement=agreement,
            seats=20,
            release_at=flight.departs_at - dt.timedelta(days=2),
        )
    case = CaseFactory(
        destination_country="CA", programme=Programme.CA_PSR, status=CaseStatus.TRAVEL_READY
    )
    for born in (dt.date(1984, 2, 2), dt.date(1987, 6, 6)):
        MembershipFactory(
            case=case,
            person=PersonFactory(date_of_birth=born),
            relationship="principal" if born.year == 1984 else "spouse",
        )
    request = EmbassyRequestFactory(
        movement=True, valid_from=today, valid_until=today + dt.timedelta(days=300)
    )
    request.cases.add(case)
    yield case
    sources.register_loan_provider(None)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_movement_officer_books_departs_and_arrives(
    live_server: Any, page: Any, scene: Case
) -> None:
    login(page, live_server, "movement_officer", PASSWORD)
    page.click('[data-nav="movements"]')
    page.locator("#ready-cases tr", has_text=scene.file_number).locator("text=Book").click()
    page.select_option("#id_agreement", label="TK-BROWSER (TK)")
    page.locator("#booking-form label", has_text="TK345").click()
    page.locator("#booking-form label", has_text="TK17").click()
    page.click("#booking-form button[type=submit]")
    page.wait_for_selector("#booking-status")
    assert page.locator("#case-status").inner_text() == "Booked"
    page.click("text=Departure day")
    card = page.locator(f"article:has-text('{scene.file_number}')")
    for _ in range(2):
        card.locator("button:has-text('Check in')").first.click()  # htmx swaps the row
        page.wait_for_timeout(300)
    assert card.locator("button:has-text('Checked in')").count() == 2
    card.locator("button:has-text('Fit to travel')").click()
    page.wait_for_selector("text=Fit to travel recorded.")
    page.locator(f"article:has-text('{scene.file_number}')").locator(
        "button:has-text('Departed')"
    ).click()
    page.wait_for_selector("text=Departed.")
    arrival = page.locator(f"article[id^=inflight]:has-text('{scene.file_number}')")
    arrival.locator("input[name=confirmation]").fill("Sponsor group, Winnipeg, by phone")
    arrival.locator("button:has-text('Arrived')").click()
    page.wait_for_selector("text=Arrived.")
    scene.refresh_from_db()
    assert scene.status == CaseStatus.ARRIVED


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_booking_wizard_names_the_pregnancy_refusal(
    live_server: Any, page: Any, scene: Case
) -> None:
    from passage.health.tests.factories import PregnancyFactory
    from passage.movements.models import Flight

    flight_day = Flight.objects.get(number="345").departs_local.date()
    spouse = scene.memberships.get(relationship="spouse").person
    PregnancyFactory(
        person=spouse,
        expected_delivery=flight_day + dt.timedelta(days=280 - 7 * 36),
        recorded_on=timezone.localdate(),
    )
    login(page, live_server, "movement_officer", PASSWORD)
    page.goto(f"{live_server.url}/movements/book/{scene.pk}/")
    page.select_option("#id_agreement", label="TK-BROWSER (TK)")
    page.locator("#booking-form label", has_text="TK345").click()
    page.locator("#booking-form label", has_text="TK17").click()
    page.click("#booking-form button[type=submit]")
    refusal = page.locator("#refusal").inner_text()
    assert "Booking refused:" in refusal
    assert f"{spouse.latin_name} will be in week 36 of pregnancy" in refusal
    assert "Turkish Airlines carries no one from week 36." in refusal
    scene.refresh_from_db()
    assert scene.status == CaseStatus.TRAVEL_READY
