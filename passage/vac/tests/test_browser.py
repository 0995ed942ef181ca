"""In a real browser: an applicant books on a phone and tracks the passport; an officer scans."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from passage.testing.browser import login
from passage.testing.factories import PASSWORD
from passage.vac import actions
from passage.vac.models import Appointment, Custody
from passage.vac.tests.factories import (
    ApplicantFactory,
    CentreRulesFactory,
    FeeProfileFactory,
    SlotFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_applicant_books_on_a_phone_and_tracks_the_passport(page, live_server, personas):
    FeeProfileFactory()
    CentreRulesFactory()
    starts = timezone.localtime() + dt.timedelta(days=3)
    slot = SlotFactory(starts_at=starts.replace(hour=10, minute=30, second=0, microsecond=0))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/vac/")
    page.click("a[href='/vac/book/']")
    page.fill("input[name=people]", "2")
    page.press("input[name=people]", "Tab")  # leaving the field fires "change"
    page.wait_for_selector("text=room for 2 people")
    page.wait_for_load_state("networkidle")
    page.check(f"input[name=slot][value='{slot.pk}']")
    page.fill("input[name=full_name]", "Aibek Asanov")
    page.fill("input[name=email]", "aibek@example.org")
    page.fill("input[name=date_of_birth]", "1990-05-17")
    page.click("button[type=submit]:has-text('Book')")
    page.wait_for_selector("#reference")
    reference = page.inner_text("#reference").strip()
    appointment = Appointment.objects.get()
    assert reference == appointment.reference and appointment.people == 2
    with page.expect_download() as download:
        page.click("text=Add to calendar (.ics)")
    assert download.value.suggested_filename == f"{reference}.ics"

    page.goto(f"{live_server.url}/vac/status/")
    page.fill("input[name=reference]", reference.lower())
    page.fill("input[name=date_of_birth]", "1990-05-17")
    page.click("button:has-text('Look up')")
    assert "Booked" in page.inner_text("#status-result")

    application = actions.open_application(
        actor=personas.vac_officer,
        appointment=appointment,
        application_type="visitor",
        applicants=[
            actions.ApplicantIn(
                given_names="Aibek",
                family_name="Asanov",
                date_of_birth=dt.date(1990, 5, 17),
                passport_number="AC1234567",
            )
        ],
    )
    actions.receive_passport(actor=personas.vac_officer, applicant=application.applicants.get())
    page.goto(f"{live_server.url}/vac/status/")
    page.fill("input[name=reference]", reference)
    page.fill("input[name=date_of_birth]", "1990-05-17")
    page.click("button:has-text('Look up')")
    result = page.inner_text("#status-result")
    assert "Received at the centre" in result and "AC1234567" not in result


def test_officer_moves_a_passport_by_scanning(page, live_server, personas):
    FeeProfileFactory()
    CentreRulesFactory()
    custody = actions.receive_passport(actor=personas.vac_officer, applicant=ApplicantFactory())
    actions.dispatch_batch(actor=personas.vac_officer, codes=[custody.code], waybill="DHL-1")
    login(page, live_server, "vac_officer", PASSWORD)
    page.goto(f"{live_server.url}/vac/staff/custody/")
    page.select_option("select[name=step]", "returned")
    page.fill("input[name=envelope]", "ENV-1")
    page.fill("input[name=code]", custody.code)
    page.press("input[name=code]", "Enter")  # what a barcode scanner sends
    page.wait_for_selector(".flash-success")
    custody.refresh_from_db()
    assert custody.status == "returned"
    page.select_option("select[name=step]", "")
    page.fill("input[name=code]", custody.code)
    page.press("input[name=code]", "Enter")
    page.wait_for_selector("#custody-status")
    page.select_option("select[name=status]", "ready")
    page.click("button:has-text('Record the step')")
    page.wait_for_selector(".flash-success")
    assert Custody.objects.get().status == "ready"
