"""A finance officer's counter day in the browser: sell, pay in soms, refund, close balanced.

The family: 2 adults and a child, fares 650 + 650 + 490 and 3 × 25 fee = 1865.00 USD.
Paid 150 000 KGS at 87.45 (= 1715.27 USD) and 149.73 USD. Refund by the rules (50 per
seat): 1790.00 − 150.00 = 1640.00 USD, paid back as 143 418.00 KGS. The drawer then
holds 6 582.00 KGS and 149.73 USD.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from passage.core import readiness
from passage.ledger import actions as ledger
from passage.movements import actions as mv
from passage.movements import sources
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
from passage.tickets import actions
from passage.tickets.models import DayClose, Sale


@pytest.fixture
def scene(personas: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Case]:
    monkeypatch.setattr(readiness, "_sources", {})
    monkeypatch.setattr(sources, "_documents_readiness", lambda: None)
    monkeypatch.setattr(sources, "health_needs", lambda case, on: {})
    if not DestinationProfile.objects.filter(country="US").exists():
        DestinationProfileFactory(country="US", effective_from=dt.date(2025, 1, 1))
    officer, finance = personas.movement_officer, personas.finance_officer
    today = timezone.localdate()
    airline = mv.ensure_airline(actor=officer, code="TK")
    agreement = mv.create_agreement(
        actor=officer,
        airline=airline,
        reference="TK-COUNTER",
        valid_from=today,
        valid_until=today + dt.timedelta(days=365),
        currency="USD",
        service_fee="25.00",
    )
    bsz, ist, jfk = (mv.ensure_airport(actor=officer, code=c) for c in ("BSZ", "IST", "JFK"))
    for ptype, amount in (("ADT", "650.00"), ("CHD", "490.00"), ("INF", "65.00")):
        mv.set_fare(
            actor=officer,
            agreement=agreement,
            origin=bsz,
            destination=jfk,
            passenger_type=ptype,
            amount=amount,
        )
    day = today + dt.timedelta(days=14)
    for number, origin, dest, (hh, mm), hours in (
        ("345", bsz, ist, (7, 40), 6),
        ("1", ist, jfk, (13, 0), 11),
    ):
        departs = dt.datetime(day.year, day.month, day.day, hh, mm, tzinfo=ZoneInfo(origin.tz))
        flight = mv.schedule_flight(
            actor=officer,
            airline=airline,
            number=number,
            origin=origin,
            destination=dest,
            departs_at=departs,
            arrives_at=departs + dt.timedelta(hours=hours),
        )
        mv.hold_seat_block(
            actor=officer,
            flight=flight,
            agreement=agreement,
            seats=20,
            release_at=flight.departs_at - dt.timedelta(days=2),
        )
    actions.set_rules(
        actor=finance,
        agreement=agreement,
        change_fee="40.00",
        change_until_days=1,
        refund_fee="50.00",
        refund_until_days=3,
    )
    ledger.record_rate(
        actor=finance, base="USD", quote="KGS", rate="87.45", on=today, source="NBKR"
    )
    case = CaseFactory(
        destination_country="US", programme=Programme.SELF_PAYING, status=CaseStatus.TRAVEL_READY
    )
    for born, relationship in (
        (dt.date(1984, 2, 2), "principal"),
        (dt.date(1987, 6, 6), "spouse"),
        (dt.date(2019, 3, 3), "child"),
    ):
        MembershipFactory(
            case=case, person=PersonFactory(date_of_birth=born), relationship=relationship
        )
    request = EmbassyRequestFactory(
        movement=True, valid_from=today, valid_until=today + dt.timedelta(days=300)
    )
    request.cases.add(case)
    yield case


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_counter_day_sell_pay_refund_close(live_server: Any, page: Any, scene: Case) -> None:
    day = timezone.localdate() + dt.timedelta(days=14)
    login(page, live_server, "finance_officer", PASSWORD)
    page.click('[data-nav="tickets"]')
    page.fill("#id_q", scene.file_number)
    page.click("button:has-text('Find')")
    page.locator("#found tr", has_text=scene.file_number).locator(
        "text=Open at the counter"
    ).click()
    page.fill("#id_day", day.isoformat())
    page.click("button:has-text('Show the fares')")
    page.wait_for_selector("#ready")
    offer = page.locator("section.offer", has_text="TK-COUNTER")
    assert "1865.00 USD" in offer.locator(".total").inner_text()
    offer.locator("button:has-text('Quote this itinerary')").click()
    page.wait_for_selector("text=is ready")
    page.click("#book")
    page.wait_for_selector("text=Booked; the fares and fees are charged.")
    assert page.locator("#due").inner_text() == "1865.00 USD"

    # paid in dollars, refunded in soms: the soms drawer pays out more than it took
    page.fill("#pay input[name=amount]", "1715.27")
    page.select_option("#pay select[name=currency]", "USD")
    page.click("#pay button[type=submit]")
    page.wait_for_selector("text=Payment recorded")
    assert page.locator("#due").inner_text() == "149.73 USD"
    assert page.locator("#status").inner_text() == "Partly paid"
    page.fill("#pay input[name=amount]", "149.73")
    page.select_option("#pay select[name=currency]", "USD")
    page.click("#pay button[type=submit]")
    page.wait_for_selector("text=Payment recorded")
    assert page.locator("#status").inner_text() == "Paid"

    assert "1640.00 USD is paid back" in page.locator("#refund-quote").inner_text()
    page.select_option("#refund select[name=currency]", "KGS")
    page.fill("#refund input[name=reason]", "The visa interview moved")
    page.click("#refund button[type=submit]")
    page.wait_for_selector("text=143418.00 KGS paid back")
    assert page.locator("#status").inner_text() == "Refunded"
    assert page.locator("#due").inner_text() == "0.00 USD"

    page.click("text=Day report")
    assert "Not balanced yet." in page.locator("#balance").inner_text()
    # KGS net −143 418.00: the drawer opened with 150 000.00, so it holds 6 582.00
    page.fill("#float input[name=float-currency]", "KGS")
    page.fill("#float input[name=float-amount]", "150000.00")
    page.click("#float button[type=submit]")
    page.wait_for_selector("text=Your opening float is recorded.")
    for currency, amount in (("KGS", "6582.00"), ("USD", "1865.00")):
        page.fill("#count input[name=currency]", currency)
        page.fill("#count input[name=amount]", amount)
        page.click("#count button[type=submit]")
        page.wait_for_selector("text=Your count is recorded.")
    assert "Balanced" in page.locator("#balance").inner_text()
    page.click("#close button[type=submit]")
    page.wait_for_selector("text=The day is closed and balanced.")
    assert DayClose.objects.filter(cashier__username="finance_officer").count() == 1
    assert Sale.objects.get(case=scene).status == "refunded"
