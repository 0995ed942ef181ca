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


def test_officer_runs_the_day_and_scans_a_passport_through_every_step(page, live_server, personas):
    FeeProfileFactory()
    CentreRulesFactory()
    now = timezone.localtime()
    soon = SlotFactory(starts_at=now + dt.timedelta(minutes=2))
    if timezone.localtime(soon.starts_at).date() != now.date():
        pytest.skip("too close to midnight for a same-day appointment")
    appointment = actions.book_appointment(
        actor=None,
        slot=soon,
        people=1,
        full_name="Aibek Asanov",
        email="a@example.org",
        date_of_birth=dt.date(1990, 5, 17),
    )
    login(page, live_server, "vac_officer", PASSWORD)

    page.goto(f"{live_server.url}/vac/staff/")
    page.click("button:has-text('Check in')")
    page.wait_for_selector("text=Checked in: ticket A001")
    page.goto(f"{live_server.url}/vac/staff/queue/")
    page.click("button[name=issue]")
    page.wait_for_selector("text=Ticket W001 issued")
    page.fill("input[name=desk]", "2")
    page.click("button[name=call]")
    page.wait_for_selector("text=Calling A001 to desk 2")

    page.goto(f"{live_server.url}/vac/staff/applications/new/?appointment={appointment.pk}")
    page.select_option("select[name=application_type]", "visitor")
    page.fill("input[name=applicants-0-given_names]", "Aibek")
    page.fill("input[name=applicants-0-family_name]", "Asanov")
    page.fill("input[name=applicants-0-date_of_birth]", "1990-05-17")
    page.fill("input[name=applicants-0-passport_number]", "AC1234567")
    page.click("button:has-text('Take in the application')")
    page.click("button:has-text('Assess and charge the fees')")
    page.wait_for_selector("text=Fees assessed and charged")
    page.click("button:has-text('Receive the passport')")
    page.wait_for_selector("text=Passport received")
    code = Custody.objects.get().code

    page.goto(f"{live_server.url}/vac/staff/custody/batch/")
    page.fill("textarea[name=codes]", code + "\n")  # the scanner's Enter is a new line
    page.fill("input[name=waybill]", "DHL-77")
    page.click("button:has-text('Send the batch')")
    page.wait_for_selector("text=1 passports sent under waybill DHL-77")
    for step, envelope in [("returned", "ENV-1"), ("ready", "")]:
        page.select_option("select[name=step]", step)
        page.fill("input[name=envelope]", envelope)
        page.fill("input[name=code]", code)
        page.press("input[name=code]", "Enter")  # what a barcode scanner sends
        page.wait_for_selector(f".flash-success:has-text('{code}')")
    page.select_option("select[name=step]", "")
    page.fill("input[name=code]", code)
    page.press("input[name=code]", "Enter")
    page.wait_for_selector("#custody-status")
    page.select_option("select[name=status]", "collected")
    page.fill("input[name=collected_by]", "Aibek Asanov")
    page.fill("input[name=identity_document]", "ID card AN1234567")
    page.click("button:has-text('Record the step')")
    page.wait_for_selector("text=Step recorded")
    custody = Custody.objects.get()
    assert custody.status == "collected"
    assert list(custody.events.values_list("to_status", flat=True)) == [
        "received",
        "forwarded",
        "returned",
        "ready",
        "collected",
    ]
    assert set(custody.events.values_list("officer__username", flat=True)) == {"vac_officer"}
