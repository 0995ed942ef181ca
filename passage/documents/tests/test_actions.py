"""Actions: documents, scans, applications (every pair of states), case status and readiness."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from passage.core.errors import ActionError, ConflictError, TransitionError
from passage.core.models import AuditEvent
from passage.documents import actions, status
from passage.documents.choices import APPLICATION_TRANSITIONS, ApplicationStatus
from passage.documents.models import ApplicationStatusChange, TravelDocument
from passage.documents.tests.factories import (
    ALL,
    DocumentApplicationFactory,
    TravelDocumentFactory,
    doc_type,
)
from passage.registry.choices import CaseStatus, Programme, Relationship
from passage.registry.models import CaseStatusChange
from passage.registry.tests.factories import CaseFactory, MembershipFactory, PersonFactory

pytestmark = [pytest.mark.django_db]
D = dt.date
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"


@pytest.fixture(autouse=True)
def _clock() -> Any:
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC), tick=False):
        yield


def test_every_factory_builds() -> None:
    for factory in ALL:
        assert factory.create().pk


def member(case: Any = None) -> tuple[Any, Any]:
    case = case or CaseFactory(destination_country="US", programme=Programme.USRAP_P1)
    person = PersonFactory()
    MembershipFactory(case=case, person=person, relationship=Relationship.PRINCIPAL)
    return case, person


def test_record_document_checks_codes_dates_and_audits(personas: Any) -> None:
    _case, person = member()
    doc = actions.record_document(
        actor=personas.case_worker,
        person=person,
        doc_type=doc_type("passport"),
        number="p123",
        issuing_state="d",
        issued_on=D(2024, 1, 1),
        expires_on=D(2034, 1, 1),
    )
    assert (doc.number, doc.issuing_state) == ("P123", "D")
    event = AuditEvent.objects.get(action="documents.record")
    assert event.changes["number"] == [None, "P123"]
    cases: list[tuple[dict[str, Any], str]] = [
        ({"issuing_state": "QQQ"}, "issuing_state"),
        ({"valid_for_country": "ZZ"}, "valid_for_country"),
        ({"issued_on": D(2026, 1, 1), "expires_on": D(2025, 1, 1)}, "expires_on"),
        ({"issued_on": D(2026, 6, 2)}, "issued_on"),
        ({"mrz": TD3.replace("C36", "C35")}, "mrz"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ActionError) as exc:
            actions.record_document(
                actor=personas.case_worker, person=person, doc_type=doc_type("passport"), **kwargs
            )
        assert exc.value.field == field
    assert TravelDocument.objects.count() == 1


def test_mrz_problems_are_listed_by_field(personas: Any) -> None:
    _case, person = member()
    with pytest.raises(ActionError) as exc:
        actions.record_document(
            actor=personas.case_worker,
            person=person,
            doc_type=doc_type("passport"),
            mrz=TD3.replace("7408122F", "7408123F"),
        )
    assert [e["field"] for e in exc.value.errors] == ["birth_date", "composite"]


def test_per_family_document_needs_the_case_and_a_member(personas: Any) -> None:
    case, person = member()
    letter = doc_type("us_boarding_letter")
    with pytest.raises(ActionError) as exc:
        actions.record_document(actor=personas.case_worker, person=person, doc_type=letter)
    assert exc.value.field == "case"
    other = CaseFactory()
    with pytest.raises(ActionError):
        actions.record_document(
            actor=personas.case_worker, person=person, doc_type=letter, case=other
        )
    doc = actions.record_document(
        actor=personas.case_worker,
        person=person,
        doc_type=letter,
        case=case,
        issued_on=D(2026, 1, 1),
    )
    assert doc.case == case


def test_scans_are_sniffed_and_size_limited(personas: Any, settings: Any) -> None:
    _case, person = member()
    pdf = SimpleUploadedFile("passport.pdf", PDF, content_type="application/pdf")
    doc = actions.record_document(
        actor=personas.case_worker, person=person, doc_type=doc_type("passport"), scan=pdf
    )
    assert doc.scan_content_type == "application/pdf" and doc.scan.name.endswith(".pdf")
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ActionError) as exc:
        actions.attach_scan(actor=personas.case_worker, document=doc, scan=fake)
    assert exc.value.field == "scan"
    settings.PASSAGE_SCAN_MAX_BYTES = 20
    with pytest.raises(ActionError, match="larger"):
        actions.attach_scan(
            actor=personas.case_worker, document=doc, scan=SimpleUploadedFile("a.png", PNG)
        )
    settings.PASSAGE_SCAN_MAX_BYTES = 1000
    actions.attach_scan(
        actor=personas.case_worker, document=doc, scan=SimpleUploadedFile("a.png", PNG)
    )
    doc.refresh_from_db()
    assert doc.scan_content_type == "image/png"


def test_update_and_cancel(personas: Any) -> None:
    _case, person = member()
    doc = TravelDocumentFactory(person=person)
    actions.update_document(actor=personas.case_worker, document=doc, number="N2")
    with pytest.raises(ActionError):
        actions.update_document(actor=personas.case_worker, document=doc, person=person)
    with pytest.raises(ActionError):
        actions.cancel_document(actor=personas.case_worker, document=doc, reason=" ")
    actions.cancel_document(actor=personas.case_worker, document=doc, reason="lost")
    with pytest.raises(ConflictError):
        actions.cancel_document(actor=personas.case_worker, document=doc, reason="again")
    with pytest.raises(ConflictError):
        actions.update_document(actor=personas.case_worker, document=doc, number="N3")


def test_add_document_type(personas: Any) -> None:
    t = actions.add_document_type(actor=personas.admin, name="Laissez-passer", category="travel")
    assert t.code == "laissez_passer"
    with pytest.raises(ActionError):
        actions.add_document_type(actor=personas.admin, name="Laissez-passer", category="travel")
    with pytest.raises(ActionError):
        actions.add_document_type(actor=personas.admin, name="X", category="bogus")


def test_application_walks_every_pair_of_states(personas: Any) -> None:
    case, person = member()
    states = list(ApplicationStatus.values)
    for start, target in itertools.product(states, states):
        app = DocumentApplicationFactory(
            case=case, person=person, doc_type=doc_type("exit_visa"), status=start
        )
        issued = TravelDocumentFactory(person=person, doc_type=doc_type("exit_visa"))
        if target in APPLICATION_TRANSITIONS[start]:
            actions.move_application(
                actor=personas.case_worker, application=app, to=target, document=issued
            )
            app.refresh_from_db()
            assert app.status == target
            assert ApplicationStatusChange.objects.filter(
                application=app, from_status=start, to_status=target
            ).exists()
        else:
            with pytest.raises(TransitionError):
                actions.move_application(actor=personas.case_worker, application=app, to=target)
            app.refresh_from_db()
            assert app.status == start


def test_application_dates_and_checks(personas: Any) -> None:
    case, person = member()
    app = actions.open_application(
        actor=personas.case_worker,
        case=case,
        person=person,
        doc_type=doc_type("exit_visa"),
        authority="State Migration",
    )
    app = actions.move_application(
        actor=personas.case_worker, application=app, to="submitted", expected_on=D(2026, 6, 20)
    )
    assert (app.submitted_on, app.expected_on) == (D(2026, 6, 1), D(2026, 6, 20))
    with pytest.raises(ActionError) as exc:
        actions.move_application(actor=personas.case_worker, application=app, to="issued")
    assert exc.value.field == "document"
    wrong = TravelDocumentFactory(person=person, doc_type=doc_type("passport"))
    with pytest.raises(ActionError):
        actions.move_application(
            actor=personas.case_worker, application=app, to="issued", document=wrong
        )
    with pytest.raises(ActionError) as exc:
        actions.open_application(
            actor=personas.case_worker,
            case=case,
            person=None,
            doc_type=doc_type("exit_visa"),
            authority="X",
        )
    assert exc.value.field == "person"
    with pytest.raises(ActionError) as exc:
        actions.open_application(
            actor=personas.case_worker,
            case=case,
            person=PersonFactory(),
            doc_type=doc_type("exit_visa"),
            authority="X",
        )
    assert exc.value.field == "person"


def ready_us_case() -> tuple[Any, Any]:
    case, person = member(
        CaseFactory(
            destination_country="US",
            programme=Programme.USRAP_P1,
            status=CaseStatus.DOCUMENTS_IN_PROCESS,
        )
    )
    TravelDocumentFactory(
        person=person,
        case=case,
        doc_type=doc_type("us_boarding_letter"),
        issued_on=D(2026, 1, 10),
        expires_on=None,
    )
    TravelDocumentFactory(
        person=person,
        doc_type=doc_type("exit_visa"),
        issued_on=D(2026, 5, 1),
        expires_on=D(2026, 7, 31),
    )
    return case, person


def test_case_moves_to_travel_ready_and_back_with_the_reason(personas: Any) -> None:
    case, _person = ready_us_case()
    status.mark_travel_ready(actor=personas.case_worker, case=case)
    case.refresh_from_db()
    assert case.status == CaseStatus.TRAVEL_READY
    change = CaseStatusChange.objects.filter(case=case).latest("id")
    assert change.reason == "Travel-ready: every requirement holds from 2026-06-01 – 2026-07-31."
    with time_machine.travel(dt.datetime(2026, 8, 1, 9, tzinfo=dt.UTC), tick=False):
        from passage.documents.readiness import readiness_for_case

        moved = status.sync_case_status(actor=None, case=case, result=readiness_for_case(case))
    assert moved == CaseStatus.DOCUMENTS_IN_PROCESS
    change = CaseStatusChange.objects.filter(case=case).latest("id")
    assert "Kyrgyz exit visa" in change.reason and "ended on 2026-07-31" in change.reason


def test_not_ready_case_is_refused_with_every_blocker(personas: Any) -> None:
    case, person = ready_us_case()
    person.travel_documents.filter(doc_type__code="exit_visa").delete()
    with pytest.raises(ConflictError) as exc:
        status.mark_travel_ready(actor=personas.case_worker, case=case)
    assert exc.value.code == "not_ready" and "No Kyrgyz exit visa" in exc.value.message
    case.refresh_from_db()
    assert case.status == CaseStatus.DOCUMENTS_IN_PROCESS


def test_status_sync_job_moves_cases_both_ways(personas: Any) -> None:
    from django.core.management import call_command

    from passage.core import jobs

    ready, _p = ready_us_case()
    gone, person = ready_us_case()
    person.travel_documents.filter(doc_type__code="exit_visa").delete()
    stale = CaseFactory(destination_country="US", status=CaseStatus.TRAVEL_READY)
    MembershipFactory(case=stale, person=PersonFactory(), relationship=Relationship.PRINCIPAL)
    job = jobs.start_job(actor=personas.movement_officer, kind=status.SYNC_KIND, title="sync")
    job = jobs.execute(job.pk)
    assert job.result == {"checked": 3, "travel_ready": 1, "back_to_documents": 1}
    for case, expected in (
        (ready, CaseStatus.TRAVEL_READY),
        (gone, CaseStatus.DOCUMENTS_IN_PROCESS),
        (stale, CaseStatus.DOCUMENTS_IN_PROCESS),
    ):
        case.refresh_from_db()
        assert case.status == expected
    call_command("sync_readiness", "--as-user", "movement_officer")  # nothing left to move
    assert CaseStatusChange.objects.filter(case=ready).count() == 1
