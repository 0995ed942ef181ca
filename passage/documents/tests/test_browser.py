"""A movement officer finds a blocked case on the board and sees why, and when it could go."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from passage.documents.tests.factories import TravelDocumentFactory, doc_type
from passage.profiles.tests.factories import DestinationProfileFactory
from passage.registry.choices import CaseStatus, Programme, Relationship
from passage.registry.tests.factories import CaseFactory, MembershipFactory, PersonFactory
from passage.testing.browser import login
from passage.testing.factories import PASSWORD


def _ship_types() -> None:
    """Transactional tests flush the migration data: ship the document types again."""
    from importlib import import_module

    import_module("passage.documents.migrations.0002_document_types").ship(apps, None)


def _case(country: str, programme: str, *, exit_visa: bool) -> Any:
    today = timezone.localdate()
    case = CaseFactory(
        destination_country=country, programme=programme, status=CaseStatus.DOCUMENTS_IN_PROCESS
    )
    person = PersonFactory(latin_surname="Karimova", latin_given_names="Aida")
    MembershipFactory(case=case, person=person, relationship=Relationship.PRINCIPAL)
    if country == "US":
        TravelDocumentFactory(
            person=person,
            case=case,
            doc_type=doc_type("us_boarding_letter"),
            issued_on=today - dt.timedelta(days=30),
            expires_on=None,
        )
    else:
        TravelDocumentFactory(
            person=person,
            doc_type=doc_type("visa"),
            valid_for_country=country,
            issued_on=today - dt.timedelta(days=5),
            expires_on=today + dt.timedelta(days=60),
        )
    if exit_visa:
        TravelDocumentFactory(
            person=person,
            doc_type=doc_type("exit_visa"),
            issued_on=today - dt.timedelta(days=5),
            expires_on=today + dt.timedelta(days=40),
        )
    return case


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_movement_officer_sees_blockers_and_window(
    live_server: Any, page: Any, personas: Any
) -> None:
    _ship_types()
    DestinationProfileFactory(
        country="US",
        required_documents=["us_boarding_letter"],
        exit_visa_required=True,
        boarding_letter_validity_months=12,
    )
    DestinationProfileFactory(country="SE", required_documents=["visa"], exit_visa_required=True)
    ready = _case("US", Programme.USRAP_P1, exit_visa=True)
    blocked = _case("US", Programme.USRAP_P2, exit_visa=False)
    sweden = _case("SE", Programme.EU_QUOTA, exit_visa=False)
    login(page, live_server, "movement_officer", PASSWORD)
    page.click('[data-nav="readiness"]')
    page.wait_for_selector("#board")
    assert page.locator(f'tr[data-case="{sweden.file_number}"]').count() == 1
    page.select_option("#id_destination", "US")
    page.wait_for_function(
        f"!document.querySelector('tr[data-case=\"{sweden.file_number}\"]')"
    )  # the htmx filter replaced the table
    assert page.locator(f'tr[data-case="{ready.file_number}"] .badge.ok').count() == 1
    row = page.locator(f'tr[data-case="{blocked.file_number}"]')
    assert "No Kyrgyz exit visa for Karimova Aida" in row.inner_text()
    row.locator("a").first.click()
    page.wait_for_selector("#verdict")
    assert "Blocked" in page.locator("#verdict").inner_text()
    blockers = page.locator("#blockers").inner_text()
    assert "No Kyrgyz exit visa for Karimova Aida" in blockers
    assert "Apply for it and record the application." in blockers
    assert page.locator("#window").inner_text().strip().startswith(timezone.localdate().isoformat())
    # a date after the boarding letter's year: blocked, with the day count
    late = timezone.localdate() + dt.timedelta(days=400)
    page.fill('input[name="departure"]', late.isoformat())
    page.click("#case-readiness button[type=submit]")
    page.wait_for_selector("text=day(s) before the departure")
