"""Pages and API: permission matrices, query budgets, the scan view, the XLSX export."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from passage.core import jobs
from passage.core.models import AuditEvent
from passage.documents import queries
from passage.documents.tests.factories import TravelDocumentFactory, doc_type
from passage.registry.choices import CaseStatus, Programme, Relationship
from passage.registry.tests.factories import CaseFactory, MembershipFactory, PersonFactory
from passage.testing.personas import assert_matrix

pytestmark = [pytest.mark.django_db]
D = dt.date
TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
PAGE = {
    "anonymous": 302,
    "outsider": 403,
    "embassy_us": 403,
    "embassy_other": 403,
    "case_worker": 200,
    "movement_officer": 200,
    "admin": 200,
    "medical_officer": 403,
}
CASE_PAGE = {
    "anonymous": 302,
    "outsider": 404,
    "embassy_other": 404,
    "embassy_us": 200,
    "case_worker": 200,
    "movement_officer": 200,
    "medical_officer": 200,
}


@pytest.fixture(autouse=True)
def _clock() -> Any:
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC), tick=False):
        yield


def us_case(ready: bool = True, status: str = CaseStatus.DOCUMENTS_IN_PROCESS) -> Any:
    case = CaseFactory(destination_country="US", programme=Programme.USRAP_P1, status=status)
    person = PersonFactory()
    MembershipFactory(case=case, person=person, relationship=Relationship.PRINCIPAL)
    TravelDocumentFactory(
        person=person,
        case=case,
        doc_type=doc_type("us_boarding_letter"),
        issued_on=D(2026, 1, 10),
        expires_on=None,
    )
    if ready:
        TravelDocumentFactory(
            person=person,
            doc_type=doc_type("exit_visa"),
            issued_on=D(2026, 5, 1),
            expires_on=D(2026, 6, 20),
        )
    return case


def se_case() -> Any:
    case = CaseFactory(
        destination_country="SE",
        programme=Programme.EU_QUOTA,
        status=CaseStatus.DOCUMENTS_IN_PROCESS,
    )
    MembershipFactory(case=case, person=PersonFactory(), relationship=Relationship.PRINCIPAL)
    return case


def test_board_matrix_filters_and_content(personas: Any) -> None:
    ready, blocked, sweden = us_case(), us_case(ready=False), se_case()
    assert_matrix(personas, lambda c: c.get("/documents/readiness/"), PAGE)
    client = personas.client("movement_officer")
    page = client.get("/documents/readiness/").content.decode()
    assert ready.file_number in page and blocked.file_number in page and sweden.file_number in page
    assert "No Kyrgyz exit visa" in page
    only_us = client.get(
        "/documents/readiness/?destination=US&readiness=blocked", headers={"HX-Request": "true"}
    ).content.decode()
    assert blocked.file_number in only_us
    assert ready.file_number not in only_us and sweden.file_number not in only_us
    assert "<html" not in only_us
    # the expiring-soon list shows the exit visa ending on 20 June
    assert "Expiring in the next 30 days" in page and "2026-06-20" in page


def test_board_query_count_is_fixed(personas: Any, django_assert_max_num_queries: Any) -> None:
    for _ in range(3):
        us_case()
    user = personas.movement_officer
    with django_assert_max_num_queries(9) as small:
        queries.board(user)
    for _ in range(12):
        us_case()
        se_case()
    with django_assert_max_num_queries(len(small.captured_queries)):
        rows = queries.board(user)
    assert len(rows) == 27


def test_case_partials_matrix(personas: Any) -> None:
    case = us_case()
    for url in (f"/documents/cases/{case.pk}/", f"/documents/cases/{case.pk}/readiness/"):
        assert_matrix(personas, lambda c, u=url: c.get(u), CASE_PAGE)  # type: ignore[misc]
    client = personas.client("case_worker")
    partial = client.get(
        f"/documents/cases/{case.pk}/readiness/?departure=2026-06-21",
        headers={"HX-Request": "true"},
    ).content.decode()
    assert 'id="case-readiness"' in partial and "<html" not in partial
    assert "ends on 2026-06-20, 1 day(s) before the departure" in partial
    docs = client.get(f"/documents/cases/{case.pk}/", headers={"HX-Request": "true"})
    assert "US transportation boarding letter" in docs.content.decode()


def test_mark_travel_ready_from_the_page(personas: Any) -> None:
    case = us_case()
    url = f"/documents/cases/{case.pk}/status/"
    assert_matrix(
        personas,
        lambda c: c.post(url, {"to": "bogus"}),
        {"anonymous": 302, "outsider": 404, "embassy_us": 403, "medical_officer": 403},
    )
    client = personas.client("movement_officer")
    response = client.post(url, {"to": CaseStatus.TRAVEL_READY})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.TRAVEL_READY


def test_record_document_page_with_scan_and_mrz_check(personas: Any) -> None:
    case = us_case(ready=False)
    person = case.memberships.get().person
    url = f"/documents/cases/{case.pk}/documents/new/"
    assert_matrix(
        personas,
        lambda c: c.get(url),
        {"anonymous": 302, "outsider": 404, "embassy_us": 403, "case_worker": 200},
    )
    client = personas.client("case_worker")
    response = client.post(
        url,
        {
            "person": person.pk,
            "doc_type": doc_type("exit_visa").pk,
            "number": "EV1",
            "issuing_state": "KG",
            "issued_on": "2026-05-01",
            "expires_on": "2026-09-01",
            "scan": SimpleUploadedFile("s.pdf", b"%PDF-1.7 test", content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    doc = person.travel_documents.get(doc_type__code="exit_visa")
    bad = client.post(
        url,
        {
            "person": person.pk,
            "doc_type": doc_type("passport").pk,
            "mrz": TD3.replace("C36", "C37"),
        },
    )
    assert bad.status_code == 200 and "Check digit of document_number" in bad.content.decode()
    scan_url = f"/documents/{doc.pk}/scan/"
    assert_matrix(
        personas,
        lambda c: c.get(scan_url),
        {
            "anonymous": 302,
            "outsider": 404,
            "embassy_us": 403,
            "embassy_other": 404,
            "medical_officer": 403,
            "case_worker": 200,
        },
    )
    assert AuditEvent.objects.filter(action="documents.view_scan", object_id=str(doc.pk)).exists()


def test_mrz_page_reports_fields_and_mismatches(personas: Any) -> None:
    person = PersonFactory(
        latin_surname="Eriksson",
        latin_given_names="Anna Maria",
        date_of_birth=D(1974, 8, 12),
        sex="M",
    )
    MembershipFactory(person=person, case=CaseFactory(destination_country="US"))
    assert_matrix(
        personas,
        lambda c: c.get("/documents/mrz/"),
        {"anonymous": 302, "outsider": 403, "embassy_us": 403, "case_worker": 200},
    )
    client = personas.client("case_worker")
    page = client.post("/documents/mrz/", {"mrz": TD3, "person": person.pk}).content.decode()
    assert "A valid TD3 zone" in page and "L898902C3" in page
    assert 'id="mrz-mismatches"' in page and "The sex differs." in page
    bad = client.post("/documents/mrz/", {"mrz": TD3.replace("F1204159", "F1204158")})
    assert "expiry_date" in bad.content.decode()


def test_application_pages(personas: Any) -> None:
    case = us_case(ready=False)
    person = case.memberships.get().person
    client = personas.client("case_worker")
    url = f"/documents/cases/{case.pk}/applications/new/"
    response = client.post(
        url,
        {
            "doc_type": doc_type("exit_visa").pk,
            "person": person.pk,
            "authority": "State Migration",
            "expected_on": "2026-06-20",
        },
    )
    assert response.status_code == 302
    app = case.document_applications.get()
    move = client.post(f"/documents/applications/{app.pk}/move/", {"to": "submitted"})
    assert move.status_code == 302
    app.refresh_from_db()
    assert app.status == "submitted"
    page = client.get(f"/documents/cases/{case.pk}/readiness/").content.decode()
    assert "decision expected 2026-06-20" in page


def test_document_types_page(personas: Any) -> None:
    assert_matrix(
        personas,
        lambda c: c.get("/documents/types/"),
        {"anonymous": 302, "outsider": 403, "case_worker": 200, "admin": 200},
    )
    refused = personas.client("case_worker").post(
        "/documents/types/", {"name": "X", "category": "other"}
    )
    assert refused.status_code == 403
    added = personas.client("admin").post(
        "/documents/types/", {"name": "Laissez-passer", "category": "travel"}
    )
    assert added.status_code == 302


def test_board_export_job_writes_xlsx(personas: Any) -> None:
    case = us_case()
    client = personas.client("movement_officer")
    response = client.post("/documents/readiness/export/", {"destination": "US"})
    assert response.status_code == 302
    from passage.core.models import Job

    job = jobs.execute(Job.objects.get(kind="documents.board_export").pk)
    assert job.status == "succeeded", job.error
    book = load_workbook(io.BytesIO(job.result_file.read()))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "Case" and rows[1][0] == case.file_number and rows[1][5] == "yes"
    assert book.worksheets[1].max_row == 2  # the exit visa expires on 20 June
    assert AuditEvent.objects.filter(action="documents.export_board").exists()
    assert_matrix(
        personas,
        lambda c: c.post("/documents/readiness/export/"),
        {"anonymous": 302, "outsider": 403, "embassy_us": 403},
    )


def test_api_matrix_and_readiness(personas: Any) -> None:
    case = us_case()
    url = f"/api/v1/cases/{case.pk}/readiness"
    assert_matrix(
        personas,
        lambda c: c.get(url),
        {
            "anonymous": 401,
            "outsider": 401,
            "embassy_other": 404,
            "embassy_us": 200,
            "movement_officer": 200,
        },
        api=True,
    )
    data = personas.api_client("movement_officer").get(url + "?departure=2026-06-21").json()
    assert data["ready"] is False and data["window"] == {"start": "2026-06-01", "end": "2026-06-20"}
    assert "1 day(s) before the departure" in data["blockers"][0]["reason"]
    assert_matrix(
        personas,
        lambda c: c.get("/api/v1/readiness?destination=US"),
        {"anonymous": 401, "outsider": 401, "embassy_us": 403, "movement_officer": 200},
        api=True,
    )
    board = personas.api_client("movement_officer").get("/api/v1/readiness").json()
    assert [row["file_number"] for row in board["items"]] == [case.file_number]
    assert board["count"] == 1 and board["ready_count"] == int(board["items"][0]["ready"])


def test_api_board_pages(personas: Any) -> None:
    """The API gives the board a page at a time; counts and sorting cover every case."""
    cases = [us_case(ready=i % 2 == 0) for i in range(5)]
    api = personas.api_client("movement_officer")
    first = api.get("/api/v1/readiness?sort=file&limit=2").json()
    assert first["count"] == 5 and first["ready_count"] == 3
    assert [r["file_number"] for r in first["items"]] == [c.file_number for c in cases[:2]]
    last = api.get("/api/v1/readiness?sort=file&limit=2&offset=4").json()
    assert [r["file_number"] for r in last["items"]] == [cases[4].file_number]
    assert api.get("/api/v1/readiness?readiness=ready&limit=500").json()["count"] == 3
    refused = api.get("/api/v1/readiness?limit=0")
    assert refused.status_code == 422 and "limit" in refused.content.decode()


def test_api_documents_applications_and_mrz(personas: Any) -> None:
    case = us_case(ready=False)
    person = case.memberships.get().person
    api = personas.api_client("case_worker")
    created = api.post(
        "/api/v1/documents",
        {
            "person_id": person.pk,
            "type": "exit_visa",
            "issued_on": "2026-05-01",
            "expires_on": "2026-12-01",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    bad = api.post(
        "/api/v1/documents",
        {"person_id": person.pk, "type": "passport", "issuing_state": "QQQ"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "issuing_state"
    assert_matrix(
        personas,
        lambda c: c.get(f"/api/v1/documents?case={case.pk}"),
        {"anonymous": 401, "outsider": 401, "embassy_us": 200, "case_worker": 200},
        api=True,
    )
    other = personas.api_client("embassy_other").get("/api/v1/documents").json()
    assert other == []
    assert len(personas.api_client("embassy_us").get("/api/v1/documents").json()) == 2
    app = api.post(
        "/api/v1/document-applications",
        {"case_id": case.pk, "type": "exit_visa", "person_id": person.pk, "authority": "SMS"},
        content_type="application/json",
    )
    assert app.status_code == 201, app.content
    moved = api.post(
        f"/api/v1/document-applications/{app.json()['id']}/status",
        {"to": "issued"},
        content_type="application/json",
    )
    assert moved.status_code == 409
    mrz = api.post(
        "/api/v1/mrz/check",
        {"mrz": TD3.replace("<<<<<10", "<<<<<11")},
        content_type="application/json",
    ).json()
    assert mrz["valid"] is False and [p["field"] for p in mrz["problems"]] == ["composite"]
    assert_matrix(
        personas,
        lambda c: c.post("/api/v1/mrz/check", {"mrz": TD3}, content_type="application/json"),
        {"anonymous": 401, "outsider": 401, "embassy_us": 403, "case_worker": 200},
        api=True,
    )


def test_board_sync_button(personas: Any, django_capture_on_commit_callbacks: Any) -> None:
    case = us_case()
    assert_matrix(
        personas,
        lambda c: c.post("/documents/readiness/sync/"),
        {"anonymous": 302, "outsider": 403, "embassy_us": 403, "medical_officer": 403},
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = personas.client("movement_officer").post("/documents/readiness/sync/")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.TRAVEL_READY  # the job ran after the commit
