"""Staff pages and API: who may open them, and an officer's day through them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from passage.ledger import actions as ledger
from passage.testing.personas import assert_matrix
from passage.vac import actions
from passage.vac.choices import CustodyStatus
from passage.vac.models import Application, Custody, OpeningHours, Slot, Ticket
from passage.vac.tests.factories import ApplicantFactory, AppointmentFactory, SlotFactory

pytestmark = pytest.mark.django_db

OFFICERS = {
    "anonymous": 302,
    "outsider": 403,
    "embassy_other": 403,
    "case_worker": 403,
    "finance_officer": 403,
    "vac_officer": 200,
    "admin": 200,
}


@pytest.fixture
def world(centre, personas):
    applicant = ApplicantFactory()
    custody = actions.receive_passport(actor=personas.vac_officer, applicant=applicant)
    return {"application": applicant.application, "custody": custody}


@pytest.mark.parametrize(
    "name",
    [
        "vac:day",
        "vac:queue",
        "vac:applications",
        "vac:application_new",
        "vac:scan",
        "vac:batch",
        "vac:setup",
        "vac:rules",
    ],
)
def test_staff_pages_matrix(world, personas, name):
    assert_matrix(personas, lambda c: c.get(reverse(name)), OFFICERS)


def test_object_pages_matrix(world, personas):
    application, custody = world["application"], world["custody"]
    app_url = reverse("vac:application", args=[application.pk])
    custody_url = reverse("vac:custody", args=[custody.code])
    assert_matrix(personas, lambda c: c.get(app_url), OFFICERS)
    assert_matrix(personas, lambda c: c.get(custody_url), OFFICERS)


def test_reports_matrix(world, personas):
    assert_matrix(
        personas, lambda c: c.get(reverse("vac:reports")), {**OFFICERS, "finance_officer": 403}
    )


def test_day_schedule_query_budget(centre, personas, django_assert_max_num_queries):
    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    for i in range(8):
        AppointmentFactory(slot=SlotFactory(starts_at=start + dt.timedelta(minutes=30 * i)))
    client = personas.client("vac_officer")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("vac:day"), {"day": start.date().isoformat()})
    assert response.content.decode().count("Aibek Asanov") == 8


def test_custody_list_query_budget(centre, personas, django_assert_max_num_queries):
    for _ in range(8):
        actions.receive_passport(actor=personas.vac_officer, applicant=ApplicantFactory())
    client = personas.client("vac_officer")
    with django_assert_max_num_queries(16):
        response = client.get(reverse("vac:scan"))
    assert response.content.decode().count('class="badge bad"') == 0


def test_scanning_moves_a_passport_and_the_step_is_remembered(world, personas):
    custody = world["custody"]
    actions.dispatch_batch(actor=personas.vac_officer, codes=[custody.code], waybill="WB-9")
    client = personas.client("vac_officer")
    response = client.post(
        reverse("vac:scan"),
        {"code": f" {custody.code.lower()}\n", "step": "returned", "envelope": "E-1"},
    )
    assert response.status_code == 302
    custody.refresh_from_db()
    assert custody.status == CustodyStatus.RETURNED
    assert 'value="returned" selected' in client.get(reverse("vac:scan")).content.decode()
    shown = client.post(reverse("vac:scan"), {"code": custody.code, "step": ""})
    assert shown["Location"] == reverse("vac:custody", args=[custody.code])
    unknown = client.post(reverse("vac:scan"), {"code": "VP999", "step": ""})
    assert b"No passport has the code VP999" in unknown.content


def test_batch_page_and_step_page(world, personas):
    custody = world["custody"]
    client = personas.client("vac_officer")
    assert (
        client.post(
            reverse("vac:batch"), {"codes": f"{custody.code}\n", "waybill": "DHL-1"}
        ).status_code
        == 302
    )
    url = reverse("vac:custody", args=[custody.code])
    client.post(url, {"status": "returned", "envelope": "E-5"})
    client.post(url, {"status": "ready"})
    refused = client.post(url, {"status": "collected", "collected_by": "Aigerim"})
    assert b"identity document" in refused.content
    client.post(
        url, {"status": "collected", "collected_by": "Aigerim", "identity_document": "ID AN1234"}
    )
    custody.refresh_from_db()
    assert custody.status == CustodyStatus.COLLECTED
    assert custody.events.count() == 5


def test_receipts_are_pdfs_with_the_qr_code(world, personas):
    client = personas.client("vac_officer")
    response = client.get(
        reverse("vac:custody_receipt", args=[world["custody"].code]), {"lang": "ky"}
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_intake_fees_payment_and_receipt_through_the_pages(centre, personas):
    client = personas.client("vac_officer")
    slot = SlotFactory(starts_at=timezone.now() + dt.timedelta(minutes=1))
    appointment = AppointmentFactory(slot=slot, people=2)
    data = {
        "application_type": "visitor",
        "letter_reference": "BIL-1",
        "family": "on",
        "email": "f@example.org",
        "phone": "",
        "language": "ru",
        "applicants-TOTAL_FORMS": "2",
        "applicants-INITIAL_FORMS": "0",
        "applicants-MIN_NUM_FORMS": "1",
        "applicants-MAX_NUM_FORMS": "12",
    }
    for i, (name, born) in enumerate([("Aibek", "1990-01-01"), ("Aisha", "2015-01-01")]):
        data.update(
            {
                f"applicants-{i}-given_names": name,
                f"applicants-{i}-family_name": "Asanov",
                f"applicants-{i}-date_of_birth": born,
                f"applicants-{i}-nationality": "KGZ",
                f"applicants-{i}-passport_number": f"AC00{i}",
            }
        )
    response = client.post(f"{reverse('vac:application_new')}?appointment={appointment.pk}", data)
    application = Application.objects.get()
    assert response.status_code == 302 and application.reference == appointment.reference
    client.post(reverse("vac:application_step", args=[application.pk, "assess"]))
    page = client.get(reverse("vac:application", args=[application.pk])).content.decode()
    assert "85.00 CAD" in page  # the 11-year-old is exempt by age
    ledger.record_rate(
        actor=personas.vac_officer,
        base="CAD",
        quote="KGS",
        rate="62.5",
        on=timezone.localdate(),
        source="NBKR",
    )
    client.post(
        reverse("vac:application_step", args=[application.pk, "pay"]),
        {"amount": "5312.50", "currency": "KGS", "method": "cash"},
    )
    entry = actions.account_of(application).entries.get(kind="payment")
    assert entry.amount == 85
    pdf = client.get(reverse("vac:payment_receipt", args=[application.pk, entry.pk]))
    assert pdf.content.startswith(b"%PDF")


def test_queue_through_the_page(centre, personas):
    client = personas.client("vac_officer")
    client.post(
        reverse("vac:queue"), {"issue": "1", "service": "documents", "name": "", "people": 1}
    )
    client.post(reverse("vac:queue"), {"call": "1", "desk": "4", "service": ""})
    ticket = Ticket.objects.get()
    assert (ticket.label, ticket.status, ticket.desk) == ("W001", "serving", "4")
    client.post(reverse("vac:ticket_step", args=[ticket.pk]), {"status": "done"})
    ticket.refresh_from_db()
    assert ticket.status == "done"


def test_setup_opens_slots_and_skips_holidays(centre, personas):
    client = personas.client("vac_officer")
    client.post(
        reverse("vac:setup"),
        {
            "hours": "1",
            "weekday": 0,
            "service": "biometrics",
            "opens": "09:00",
            "closes": "10:00",
            "slot_minutes": 30,
            "capacity": 4,
        },
    )
    assert OpeningHours.objects.count() == 1
    client.post(reverse("vac:setup"), {"holiday": "1", "date": "2030-01-07", "name": "Test"})
    client.post(
        reverse("vac:setup"),
        {
            "slots": "1",
            "start": "2030-01-01",
            "end": "2030-01-14",
            "release_at": "2029-12-01T09:00",
        },
    )
    days = sorted({timezone.localtime(s.starts_at).date() for s in Slot.objects.all()})
    assert days == [dt.date(2030, 1, 14)] and Slot.objects.count() == 2


def test_only_an_administrator_edits_the_fee_profile(centre, personas):
    data = {
        "fees": "1",
        "effective_from": "2027-01-01",
        "source_note": "canada.ca 2027",
        "currency": "CAD",
        "biometric_fee": "90.00",
        "family_cap": "180.00",
        "service_fee": "0",
        "min_age": 14,
        "max_age": 79,
        "reuse_years": 10,
        "reuse_types": ["visitor", "study", "work"],
        "refugees_exempt": "on",
    }
    assert personas.client("vac_officer").post(reverse("vac:rules"), data).status_code == 403
    assert personas.client("admin").post(reverse("vac:rules"), data).status_code == 302
    from passage.vac.rules import fee_profile_on

    assert fee_profile_on(dt.date(2027, 1, 1)).family_cap == 180


API_OFFICERS = {
    "anonymous": 401,
    "outsider": 401,
    "embassy_other": 403,
    "case_worker": 403,
    "vac_officer": 200,
    "admin": 200,
}


def test_api_matrix(world, personas):
    assert_matrix(personas, lambda c: c.get("/api/v1/vac/appointments"), API_OFFICERS, api=True)
    assert_matrix(personas, lambda c: c.get("/api/v1/vac/custody"), API_OFFICERS, api=True)
    application = world["application"]
    assert_matrix(
        personas,
        lambda c: c.get(f"/api/v1/vac/applications/{application.pk}"),
        {**API_OFFICERS, "embassy_other": 404, "case_worker": 404},
        api=True,
    )
    assert_matrix(
        personas,
        lambda c: c.get(
            "/api/v1/vac/reports/activity", {"start": "2026-11-01", "end": "2026-11-30"}
        ),
        API_OFFICERS,
        api=True,
    )


def test_api_intake_to_custody(centre, personas):
    client = personas.api_client("vac_officer")
    response = client.post(
        "/api/v1/vac/applications",
        {
            "application_type": "permanent",
            "family": True,
            "applicants": [
                {
                    "given_names": "A",
                    "family_name": "B",
                    "date_of_birth": "1980-01-01",
                    "passport_number": "P1",
                    "previous_biometrics_on": "2024-01-01",
                },
                {
                    "given_names": "C",
                    "family_name": "B",
                    "date_of_birth": "1982-01-01",
                    "passport_number": "P2",
                    "resettled_refugee": True,
                },
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    app_id = response.json()["id"]
    fees = client.post(f"/api/v1/vac/applications/{app_id}/fees").json()
    assert [a["outcome"] for a in fees["applicants"]] == ["enrol", "exempt_refugee"]
    paid = client.post(
        f"/api/v1/vac/applications/{app_id}/payments",
        {"amount": "85.00", "currency": "CAD"},
        content_type="application/json",
    )
    assert paid.status_code == 201 and paid.json()["receipt_number"].startswith("VAC-")
    over = client.post(
        f"/api/v1/vac/applications/{app_id}/payments",
        {"amount": "1.00", "currency": "CAD"},
        content_type="application/json",
    )
    assert over.status_code == 409 and over.json()["code"] == "overpayment"
    applicant = Application.objects.get(pk=app_id).applicants.first()
    assert applicant is not None
    custody = actions.receive_passport(actor=personas.vac_officer, applicant=applicant)
    batch = client.post(
        "/api/v1/vac/batches",
        {"codes": [custody.code], "waybill": "W1"},
        content_type="application/json",
    )
    assert batch.status_code == 201 and batch.json()["passports"] == 1
    step = client.post(
        f"/api/v1/vac/custody/{custody.code}/steps",
        {"status": "ready"},
        content_type="application/json",
    )
    assert step.status_code == 409
    step = client.post(
        f"/api/v1/vac/custody/{custody.code}/steps",
        {"status": "returned", "envelope": "E1"},
        content_type="application/json",
    )
    assert step.status_code == 200 and step.json()["place"] == "centre"
    assert Custody.objects.get().status == "returned"


def test_api_queue(centre, personas):
    client = personas.api_client("vac_officer")
    assert (
        client.post(
            "/api/v1/vac/queue/call", {"desk": "1"}, content_type="application/json"
        ).status_code
        == 204
    )
    ticket = client.post(
        "/api/v1/vac/tickets", {"service": "collection"}, content_type="application/json"
    ).json()
    assert ticket["label"] == "W001"
    called = client.post("/api/v1/vac/queue/call", {"desk": "1"}, content_type="application/json")
    assert called.json()["status"] == "serving"
