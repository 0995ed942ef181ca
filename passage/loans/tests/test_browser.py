"""A finance officer generates the notes and records signatures with scans: departure unblocked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from passage.core import readiness
from passage.loans import hooks
from passage.loans.choices import LoanStatus
from passage.loans.models import Loan
from passage.movements import actions, departure, sources
from passage.movements import booking as bk
from passage.movements.models import Booking
from passage.profiles.models import DestinationProfile
from passage.profiles.tests.factories import DestinationProfileFactory
from passage.registry.choices import CaseStatus, Programme
from passage.registry.tests.factories import (
    CaseFactory,
    EmbassyRequestFactory,
    MembershipFactory,
    PersonFactory,
)
from passage.testing.browser import login
from passage.testing.factories import PASSWORD


@pytest.fixture
def booked(personas: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Booking]:
    monkeypatch.setattr(readiness, "_sources", {})
    monkeypatch.setattr(sources, "_documents_readiness", lambda: None)
    monkeypatch.setattr(sources, "health_needs", lambda case, on: {})
    hooks.register()
    if not DestinationProfile.objects.filter(country="CA", programme="").exists():
        DestinationProfileFactory(
            country="CA",
            effective_from=dt.date(2025, 1, 1),
            travel_loan_required=True,
            loan_interest_free=True,
            promissory_note_min_age=18,
            loan_repayment_start_months=12,
            loan_servicer="IRCC Immigration Loans Program",
        )
    officer = personas.movement_officer
    today = timezone.localdate()
    airline = actions.ensure_airline(actor=officer, code="TK")
    agreement = actions.create_agreement(
        actor=officer,
        airline=airline,
        reference="TK-LOANS",
        valid_from=today,
        valid_until=today + dt.timedelta(days=365),
        currency="USD",
        service_fee="25.00",
    )
    bsz, ist, yyz = (actions.ensure_airport(actor=officer, code=c) for c in ("BSZ", "IST", "YYZ"))
    for ptype, amount in (("ADT", "700.00"), ("CHD", "525.00"), ("INF", "70.00")):
        actions.set_fare(
            actor=officer,
            agreement=agreement,
            origin=bsz,
            destination=yyz,
            passenger_type=ptype,
            amount=amount,
        )
    day = today + dt.timedelta(days=21)
    while day.isoweekday() != 2:
        day += dt.timedelta(days=1)
    flights = []
    for number, origin, dest, (hh, mm), hours in [
        ("345", bsz, ist, (7, 40), 6),
        ("17", ist, yyz, (14, 0), 11),
    ]:
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
        flights.append(flight)
    case = CaseFactory(
        destination_country="CA", programme=Programme.CA_PSR, status=CaseStatus.TRAVEL_READY
    )
    for born, relation in (
        (dt.date(1984, 2, 2), "principal"),
        (dt.date(1987, 6, 6), "spouse"),
        (dt.date(2016, 3, 3), "child"),
    ):
        MembershipFactory(
            case=case, person=PersonFactory(date_of_birth=born), relationship=relation
        )
    request = EmbassyRequestFactory(
        movement=True, valid_from=today, valid_until=today + dt.timedelta(days=300)
    )
    request.cases.add(case)
    yield bk.book_case(actor=officer, case=case, agreement=agreement, flights=flights)
    hooks.register()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_finance_officer_signs_notes_and_departure_is_unblocked(
    live_server: Any, page: Any, booked: Booking, tmp_path: Path
) -> None:
    assert departure.loan_refusal(booked) is not None
    scan = tmp_path / "signed-note.pdf"
    scan.write_bytes(b"%PDF-1.4\n% a scanned note\n")
    login(page, live_server, "finance_officer", PASSWORD)
    page.click('[data-nav="loans"]')
    page.locator("#loans a", has_text=booked.case.file_number).click()
    assert page.locator("#loan-amount").inner_text() == "1925.00 USD"  # 2 × 700 + 525
    page.click("#generate-form button[type=submit]")
    page.wait_for_selector("text=Notes generated.")
    assert page.locator("#signers").inner_text().count("to sign") == 2
    for witness in ("A. Witness", "B. Witness"):
        form = page.locator("form.sign-form").first
        form.locator("input[name=witness]").fill(witness)
        form.locator("input[name=scan]").set_input_files(str(scan))
        form.locator("button[type=submit]").click()
        page.wait_for_selector("text=recorded.")
    assert page.locator("#loan-status").inner_text() == "Notes signed"
    assert page.locator("#notes a", has_text="scan").count() == 2
    loan = Loan.objects.get(case=booked.case)
    assert loan.status == LoanStatus.SIGNED
    assert departure.loan_refusal(booked) is None
    page.click("h1 a")
    page.wait_for_selector(f"#loan-panel-{booked.case_id} .badge.ok")
    assert "Notes signed" in page.locator(f"#loan-panel-{booked.case_id}").inner_text()
