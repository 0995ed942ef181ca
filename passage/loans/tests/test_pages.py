"""Pages and API: the permission matrix, files, and bad input refused with a clear message."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from passage.core.models import AuditEvent
from passage.loans import actions
from passage.loans.choices import NoteStatus
from passage.loans.models import Loan, PromissoryNote
from passage.loans.tests.conftest import BISHKEK_DAY, book_us
from passage.testing.personas import assert_matrix

pytestmark = pytest.mark.django_db

MANAGERS = {"admin": 200, "finance_officer": 200}
VIEWERS = {"case_worker": 200, "movement_officer": 200}
NOBODY_ELSE = {
    "anonymous": 302,
    "medical_officer": 403,
    "co_trainer": 403,
    "vac_officer": 403,
    "stats_reader": 403,
    "embassy_us": 403,
    "embassy_other": 403,
    "unhcr": 403,
    "outsider": 403,
}
PDF = b"%PDF-1.4\n% test scan\n"


@pytest.fixture
def loan(world):
    booking = book_us(world, adults=2, children=1)
    return Loan.objects.get(case=booking.case)


def test_lists_matrix(personas, loan):
    expected = {**MANAGERS, **VIEWERS, **NOBODY_ELSE}
    assert_matrix(personas, lambda c: c.get("/loans/"), expected)
    assert_matrix(personas, lambda c: c.get("/loans/all/?status=pending"), expected)


def test_due_list_shows_the_loan(personas, loan):
    page = personas.client("finance_officer").get("/loans/?days=60").content.decode()
    assert loan.case.file_number in page
    assert "1865.00 USD" in page  # 2 × 650 + 490 + 3 × 25.00


def test_loan_page_matrix(personas, loan):
    detail = {**MANAGERS, **VIEWERS, **NOBODY_ELSE}
    detail.update({k: 404 for k, v in NOBODY_ELSE.items() if v == 403})
    assert_matrix(personas, lambda c: c.get(f"/loans/{loan.pk}/"), detail)
    viewer = personas.client("case_worker").get(f"/loans/{loan.pk}/").content.decode()
    assert "Generate the notes" not in viewer
    manager = personas.client("finance_officer").get(f"/loans/{loan.pk}/").content.decode()
    assert "Generate the notes" in manager


def test_case_panel(personas, loan):
    url = f"/loans/cases/{loan.case_id}/"
    assert_matrix(
        personas,
        lambda c: c.get(url),
        {**MANAGERS, **VIEWERS, "anonymous": 302, "outsider": 404, "embassy_other": 404},
    )
    for name in ("medical_officer", "embassy_us"):  # they see the case, not its loan
        response = personas.client(name).get(url)
        assert (response.status_code, response.content) == (200, b"")
    assert b"1865.00" in personas.client("case_worker").get(url).content


def test_finance_generates_and_signs_with_a_scan(personas, loan):
    client = personas.client("finance_officer")
    assert client.post(f"/loans/{loan.pk}/notes/", {"on": "2026-08-01"}).status_code == 302
    notes = list(PromissoryNote.objects.filter(loan=loan))
    assert len(notes) == 2
    scan = SimpleUploadedFile("note.pdf", PDF, content_type="application/pdf")
    response = client.post(
        f"/loans/notes/{notes[0].pk}/sign/",
        {"signed_on": "2026-08-01", "witness": "A. Officer", "scan": scan},
    )
    assert response.status_code == 302
    notes[0].refresh_from_db()
    assert notes[0].status == NoteStatus.SIGNED and notes[0].scan
    assert client.get(f"/loans/notes/{notes[0].pk}/scan/file").status_code == 200
    assert AuditEvent.objects.filter(action="loans.sign").count() == 1
    denied = personas.client("case_worker").post(
        f"/loans/notes/{notes[1].pk}/sign/", {"signed_on": "2026-08-01"}
    )
    assert denied.status_code == 403


def test_a_minor_refused_on_the_page_and_nothing_written(personas, loan):
    client = personas.client("finance_officer")
    child = loan.booking.travellers.get(passenger_type="CHD").person
    response = client.post(
        f"/api/v1/loans/{loan.pk}/notes",
        {"person_ids": [child.pk]},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "minor" and "18 or over" in body["message"]
    assert PromissoryNote.objects.count() == 0


def test_bad_scan_is_refused(personas, loan):
    (note, _second) = actions.generate_notes(actor=personas.finance_officer, loan=loan)
    client = personas.client("finance_officer")
    bad = SimpleUploadedFile("note.txt", b"hello", content_type="text/plain")
    response = client.post(
        f"/loans/notes/{note.pk}/sign/", {"signed_on": "2026-08-01", "scan": bad}, follow=True
    )
    assert "PDF, JPEG or PNG" in response.content.decode()
    note.refresh_from_db()
    assert note.status == NoteStatus.PENDING


def test_note_pdf_and_statements(personas, loan):
    (note, _second) = actions.generate_notes(actor=personas.finance_officer, loan=loan)
    client = personas.client("finance_officer")
    pdf = client.get(f"/loans/notes/{note.pk}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert personas.client("case_worker").get(f"/loans/notes/{note.pk}/pdf").status_code == 403
    statement = client.get(f"/loans/{loan.pk}/statement.pdf")
    assert statement.content.startswith(b"%PDF")
    rows = list(
        csv.reader(io.StringIO(client.get(f"/loans/{loan.pk}/statement.csv").content.decode()))
    )
    assert rows[0][:4] == ["case", "loan", "day", "kind"]
    assert rows[-1][3:] == ["balance", "", "1865.00", "USD"]
    assert sum(float(r[5]) for r in rows[1:-1]) == 1865.0
    assert len(rows) == 2 + 6  # 3 fares and 3 fees
    assert AuditEvent.objects.filter(action="loans.statement").count() == 2


def test_api_matrix_and_detail(personas, loan):
    expected = {
        **MANAGERS,
        **VIEWERS,
        "anonymous": 401,
        "medical_officer": 403,
        "embassy_us": 403,
        "embassy_other": 403,
        "unhcr": 403,
        "outsider": 401,
    }
    assert_matrix(personas, lambda c: c.get("/api/v1/loans"), expected, api=True)
    body = personas.client("case_worker").get(f"/api/v1/loans/{loan.pk}").json()
    assert body["amount"] == "1865.00"
    assert [s["adult"] for s in body["signers"]] == [True, True, False]
    assert body["all_signed"] is False


def test_api_sign_and_state(personas, loan):
    client = personas.api_client("finance_officer")
    made = client.post(f"/api/v1/loans/{loan.pk}/notes", {}, content_type="application/json")
    assert made.status_code == 201
    for note in made.json():
        signed = client.post(
            f"/api/v1/loans/notes/{note['id']}/signature",
            {"signed_on": str(BISHKEK_DAY)},
            content_type="application/json",
        )
        assert signed.status_code == 200, signed.content
    body = client.get(f"/api/v1/loans/cases/{loan.case_id}").json()
    assert body["status"] == "signed" and body["all_signed"] is True
    again = client.post(
        f"/api/v1/loans/notes/{made.json()[0]['id']}/signature",
        {"signed_on": str(BISHKEK_DAY)},
        content_type="application/json",
    )
    assert again.status_code == 409
    future = client.post(
        f"/api/v1/loans/{loan.pk}/handover",
        {"servicer": "X", "on": "2026-08-01", "reference": "R"},
        content_type="application/json",
    )
    assert future.status_code == 409 and future.json()["code"] == "not_arrived"


@pytest.mark.parametrize(
    ("language", "heading", "note_title"),
    [
        ("ru", "Долговые расписки", "Долговая расписка"),
        ("ky", "Карыз тил каттары", "Карыз тил каты"),
    ],
)
def test_loan_page_and_note_in_russian_and_kyrgyz(personas, loan, language, heading, note_title):
    from django.conf import settings

    from passage.loans import pdf

    client = personas.client("finance_officer")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    assert heading in client.get(f"/loans/{loan.pk}/").content.decode()
    (note, _second) = actions.generate_notes(actor=personas.finance_officer, loan=loan)
    block = pdf._note_block(note, language)
    assert block["title"] == note_title
    assert pdf._note_block(note, "en")["title"] == "Promissory note"


def test_api_scan_handover_and_cancel(personas, loan):
    client = personas.api_client("finance_officer")
    notes = client.post(f"/api/v1/loans/{loan.pk}/notes", {}, content_type="application/json")
    first = notes.json()[0]["id"]
    refused = client.post(
        f"/api/v1/loans/notes/{first}/scan",
        {"scan": SimpleUploadedFile("n.pdf", PDF, content_type="application/pdf")},
    )
    assert refused.status_code == 409  # not signed yet
    for note in notes.json():
        client.post(
            f"/api/v1/loans/notes/{note['id']}/signature",
            {"signed_on": "2026-08-01"},
            content_type="application/json",
        )
    scanned = client.post(
        f"/api/v1/loans/notes/{first}/scan",
        {"scan": SimpleUploadedFile("n.pdf", PDF, content_type="application/pdf")},
    )
    assert scanned.status_code == 200 and scanned.json()["has_scan"] is True
    # The departure and arrival are movements' (tested in test_notes); here only the state.
    Loan.objects.filter(pk=loan.pk).update(status="active", arrived_on="2026-08-01")
    bad = client.post(
        f"/api/v1/loans/{loan.pk}/handover",
        {"servicer": "IOM", "on": "2026-08-01", "reference": " "},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "reference"
    done = client.post(
        f"/api/v1/loans/{loan.pk}/handover",
        {"servicer": "IOM", "on": "2026-08-01", "reference": "H-1"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "handed_over"
    cancel = client.post(
        f"/api/v1/loans/{loan.pk}/cancel", {"reason": "x"}, content_type="application/json"
    )
    assert cancel.status_code == 409 and cancel.json()["code"] == "loan_closed"


def test_compute_from_the_case_page(personas, world, loan):
    actions.cancel_loan(actor=personas.finance_officer, loan=loan, reason="test")
    client = personas.client("finance_officer")
    panel = client.get(f"/loans/cases/{loan.case_id}/").content.decode()
    assert "Compute the loan from the booking" in panel
    assert (
        personas.client("case_worker").post(f"/loans/cases/{loan.case_id}/compute/").status_code
        == 403
    )
    response = client.post(f"/loans/cases/{loan.case_id}/compute/")
    fresh = Loan.objects.exclude(pk=loan.pk).get(case=loan.case)
    assert response["Location"] == f"/loans/{fresh.pk}/"
    assert actions.amount_of(fresh) == actions.amount_of(loan) + 1865
    other = world.case(adults=1)  # not booked
    refused = client.post(f"/loans/cases/{other.pk}/compute/", follow=True).content.decode()
    assert "has no open booking" in refused
