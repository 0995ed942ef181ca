"""A scan uploaded through the API: the page's type and size checks, audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from passage.core.models import AuditEvent
from passage.documents.models import TravelDocument
from passage.documents.tests.factories import TravelDocumentFactory, doc_type
from passage.documents.tests.test_actions import PDF, PNG, member

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def document() -> TravelDocument:
    _case, person = member()
    document: TravelDocument = TravelDocumentFactory(person=person, doc_type=doc_type("passport"))
    return document


def upload(client: Client, document: TravelDocument, name: str, content: bytes) -> Any:
    return client.post(
        f"/api/v1/documents/{document.pk}/scan",
        {"scan": SimpleUploadedFile(name, content)},
    )


def test_upload_a_scan(personas: Any, document: TravelDocument) -> None:
    response = upload(personas.api_client("case_worker"), document, "passport.pdf", PDF)
    assert response.status_code == 200, response.content
    assert response.json()["has_scan"] is True
    document.refresh_from_db()
    assert document.scan_content_type == "application/pdf" and document.scan_size == len(PDF)
    event = AuditEvent.objects.get(action="documents.attach_scan", object_id=str(document.pk))
    assert event.actor == personas.case_worker


def test_bad_type_and_too_large_name_the_field(
    personas: Any, document: TravelDocument, settings: Any
) -> None:
    client = personas.api_client("case_worker")
    bad = upload(client, document, "passport.pdf", b"MZ\x90\x00 a program, not a scan")
    assert bad.status_code == 400
    assert bad.json()["field"] == "scan" and "PDF, JPEG or PNG" in bad.json()["message"]
    settings.PASSAGE_SCAN_MAX_BYTES = 20
    large = upload(client, document, "passport.png", PNG)
    assert large.status_code == 400
    assert large.json()["field"] == "scan" and "larger" in large.json()["message"]
    missing = client.post(f"/api/v1/documents/{document.pk}/scan", {})
    assert missing.status_code == 422
    assert [e["field"] for e in missing.json()["errors"]] == ["file.scan"]
    document.refresh_from_db()
    assert not document.scan  # nothing stored
    assert not AuditEvent.objects.filter(action="documents.attach_scan").exists()


def test_who_may_upload(personas: Any, document: TravelDocument) -> None:
    assert upload(personas.api_client("stats_reader"), document, "a.pdf", PDF).status_code in {
        403,
        404,
    }
    assert upload(personas.api_client("outsider"), document, "a.pdf", PDF).status_code in {401, 403}
    assert upload(Client(), document, "a.pdf", PDF).status_code == 401
    missing = personas.api_client("admin").post(
        "/api/v1/documents/999999/scan", {"scan": SimpleUploadedFile("a.pdf", PDF)}
    )
    assert missing.status_code == 404
    assert not TravelDocument.objects.get(pk=document.pk).scan


def test_listed_in_openapi() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/documents/{document_id}/scan"]["post"]
    body = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert "scan" in str(body) or "scan" in str(schema["components"])
    assert {"200", "400", "403", "404"} <= set(operation["responses"])
