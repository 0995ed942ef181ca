"""A medical officer runs a clinic day in the browser: the day list, an exam, a result,
and the clearance."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from passage.health import actions
from passage.health.choices import AssessmentStatus, ExamType
from passage.health.models import Assessment
from passage.health.tests.factories import ClinicFactory
from passage.profiles.models import DestinationProfile
from passage.registry.choices import CaseStatus, Relationship
from passage.registry.tests.factories import (
    CaseFactory,
    EmbassyRequestFactory,
    MembershipFactory,
    PersonFactory,
)
from passage.testing.browser import login
from passage.testing.factories import PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_medical_officer_runs_a_clinic_day(live_server: Any, page: Any, personas: Any) -> None:
    today = timezone.localdate()
    # Transactional tests may flush the shipped profiles: make sure the US rule is there.
    DestinationProfile.objects.get_or_create(
        country="US", programme="", effective_from=dt.date(2025, 1, 1),
        defaults={"source_note": "CDC", "medical_validity_months": 6},
    )  # fmt: skip
    case = CaseFactory(status=CaseStatus.APPROVED)
    person = PersonFactory(latin_surname="Karimova", latin_given_names="Dilnoza")
    MembershipFactory(case=case, person=person, relationship=Relationship.PRINCIPAL)
    request = EmbassyRequestFactory(
        valid_from=today - dt.timedelta(days=30), valid_until=today + dt.timedelta(days=365)
    )
    request.cases.add(case)
    clinic = ClinicFactory(name="Bishkek clinic")
    actions.schedule_assessment(
        actor=personas.medical_officer, case=case, person=person,
        exam_type=ExamType.US_PANEL, clinic=clinic, on=today,
    )  # fmt: skip

    login(page, live_server, "medical_officer", PASSWORD)
    page.click('header nav [data-nav="health"]')
    assert "Bishkek clinic: 1 / 10" in page.locator("main").inner_text()
    page.click("#day-list >> text=Karimova")
    page.fill("#exam-form [name=physician]", "Dr Gulnara Isakova")
    page.click("#exam-form button[type=submit]")
    page.wait_for_selector("text=Exam recorded.")

    # A result dated before its sample is refused with the field named.
    page.select_option("#test-form [name=kind]", "xray")
    page.select_option("#test-form [name=result]", "normal")
    page.fill("#test-form [name=result_on]", (today - dt.timedelta(days=1)).isoformat())
    page.click("#test-form button[type=submit]")
    page.wait_for_selector("text=Result date: The result date")

    page.select_option("#test-form [name=kind]", "xray")
    page.select_option("#test-form [name=result]", "normal")
    page.fill("#test-form [name=result_on]", today.isoformat())
    page.click("#test-form button[type=submit]")
    page.wait_for_selector("text=Test recorded.")

    page.select_option("#outcome-form [name=outcome]", "cleared")
    page.click("#outcome-form button[type=submit]")
    page.wait_for_selector("text=Outcome recorded.")
    assert "Cleared" in page.locator("#clearance").inner_text()

    a = Assessment.objects.get()
    assert a.status == AssessmentStatus.CLEARED and a.valid_until is not None
    case.refresh_from_db()
    assert case.status == CaseStatus.MEDICAL_CLEARED


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_medical_officer_records_a_fit_to_fly_certificate(
    live_server: Any, page: Any, personas: Any
) -> None:
    from passage.health.models import FitToFlyCertificate
    from passage.health.tests.factories import PregnancyFactory

    today = timezone.localdate()
    case = CaseFactory(status=CaseStatus.TRAVEL_READY)
    person = PersonFactory(latin_surname="Karimova", latin_given_names="Dilnoza")
    MembershipFactory(case=case, person=person, relationship=Relationship.PRINCIPAL)
    # Week 30 today.
    PregnancyFactory(
        person=person, expected_delivery=today + dt.timedelta(days=70), recorded_on=today
    )
    login(page, live_server, "medical_officer", PASSWORD)
    page.goto(f"{live_server.url}/health/people/{person.pk}/")
    assert "Week 30 of pregnancy today." in page.locator("#pregnancy-week").inner_text()
    page.click("text=Record a fit-to-fly certificate")
    page.fill("#certificate-form [name=issued_by]", "Dr Gulnara Isakova")
    page.fill("#certificate-form [name=gestation_week]", "34")
    page.click("#certificate-form button[type=submit]")
    page.wait_for_selector("text=Pregnancy week stated:")
    page.click("text=Record a fit-to-fly certificate")
    page.fill("#certificate-form [name=issued_by]", "Dr Gulnara Isakova")
    page.fill("#certificate-form [name=gestation_week]", "30")
    page.click("#certificate-form button[type=submit]")
    page.wait_for_selector("text=Fit-to-fly certificate recorded.")
    assert "Dr Gulnara Isakova" in page.locator("#certificates").inner_text()
    assert FitToFlyCertificate.objects.get().issued_on == today
