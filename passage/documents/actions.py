"""Every write of travel documents, document types and applications, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pycountry
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from passage.core import audit
from passage.core.errors import ActionError, ConflictError
from passage.core.models import User
from passage.core.workflow import check_transition
from passage.documents.choices import (
    APPLICATION_TRANSITIONS,
    SCAN_EXTENSIONS,
    SCAN_TYPES,
    ApplicationStatus,
    DocumentCategory,
)
from passage.documents.models import (
    ApplicationStatusChange,
    DocumentApplication,
    DocumentType,
    TravelDocument,
)
from passage.documents.mrz import is_known_code, parse_mrz
from passage.registry.models import Case, Person

DOCUMENT_FIELDS = (
    "person_id",
    "case_id",
    "doc_type_id",
    "number",
    "issuing_state",
    "issued_on",
    "expires_on",
    "single_journey",
    "valid_for_country",
    "mrz",
    "notes",
    "cancelled_on",
    "cancel_reason",
)
EDITABLE = frozenset(
    {
        "number",
        "issuing_state",
        "issued_on",
        "expires_on",
        "single_journey",
        "valid_for_country",
        "mrz",
        "notes",
        "case",
    }
)
APPLICATION_FIELDS = (
    "case_id",
    "person_id",
    "doc_type_id",
    "authority",
    "valid_for_country",
    "status",
    "submitted_on",
    "expected_on",
    "decided_on",
    "document_id",
    "reference",
    "notes",
)


def max_scan_bytes() -> int:
    return int(getattr(settings, "PASSAGE_SCAN_MAX_BYTES", 10 * 1024 * 1024))


@transaction.atomic
def add_document_type(
    *,
    actor: User | None,
    name: str,
    category: str,
    code: str = "",
    per_family: bool = False,
    single_journey: bool = False,
    machine_readable: bool = False,
    valid_for_destination: bool = False,
) -> DocumentType:
    name = name.strip()
    if not name:
        raise ActionError(_("Name the document type."), field="name")
    if category not in DocumentCategory.values:
        raise ActionError(_("Unknown category."), field="category")
    code = slugify(code or name).replace("-", "_")[:40]
    if not code or DocumentType.objects.filter(code=code).exists():
        raise ActionError(_("A document type with this code exists."), field="code")
    doc_type = DocumentType.objects.create(
        code=code,
        name=name,
        category=category,
        per_family=per_family,
        single_journey=single_journey,
        machine_readable=machine_readable,
        valid_for_destination=valid_for_destination,
    )
    audit.record(
        actor=actor, action="documents.add_type", obj=doc_type, after=audit.snapshot(doc_type)
    )
    return doc_type


def _state(code: str, field: str = "issuing_state") -> str:
    code = (code or "").strip().upper().strip("<")
    if code and not is_known_code(code):
        raise ActionError(
            _("“%(code)s” is not an ISO 3166 or ICAO code.") % {"code": code}, field=field
        )
    return code


def _country(code: str, field: str = "valid_for_country") -> str:
    code = (code or "").strip().upper()
    if code and (len(code) != 2 or pycountry.countries.get(alpha_2=code) is None):
        raise ActionError(
            _("“%(code)s” is not an ISO 3166 country code.") % {"code": code}, field=field
        )
    return code


def _check_document(doc: TravelDocument) -> None:
    doc.issuing_state = _state(doc.issuing_state)
    doc.valid_for_country = _country(doc.valid_for_country)
    doc.number = (doc.number or "").strip().upper()
    if doc.issued_on and doc.expires_on and doc.expires_on < doc.issued_on:
        raise ActionError(_("The expiry date is before the issue date."), field="expires_on")
    if doc.issued_on and doc.issued_on > timezone.localdate():
        raise ActionError(_("The issue date is in the future."), field="issued_on")
    if doc.doc_type.per_family and doc.case_id is None:
        raise ActionError(
            _("A %(type)s covers a whole family: choose the case.") % {"type": doc.doc_type.name},
            field="case",
        )
    if (
        doc.case is not None
        and not doc.case.memberships.filter(person_id=doc.person_id, ended_at__isnull=True).exists()
    ):
        raise ActionError(_("The holder is not a member of this case."), field="case")
    if doc.mrz:
        result = parse_mrz(doc.mrz)
        if not result.valid:
            first = result.problems[0]
            raise ActionError(
                _("Machine-readable zone, %(field)s: %(message)s")
                % {"field": first.field, "message": first.message},
                field="mrz",
                errors=[{"field": p.field, "message": p.message} for p in result.problems],
            )
        doc.mrz = "\n".join(result.lines)


def check_scan(upload: UploadedFile) -> str:
    """The scan's content type, read from its first bytes; refuses other files and big ones."""
    if upload.size is None or upload.size > max_scan_bytes():
        raise ActionError(
            _("The scan is larger than %(mb)s MB.") % {"mb": max_scan_bytes() // (1024 * 1024)},
            field="scan",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for content_type, signatures in SCAN_TYPES.items():
        if any(head.startswith(sig) for sig in signatures):
            return content_type
    raise ActionError(_("A scan must be a PDF, JPEG or PNG file."), field="scan")


@transaction.atomic
def record_document(
    *,
    actor: User | None,
    person: Person,
    doc_type: DocumentType,
    case: Case | None = None,
    number: str = "",
    issuing_state: str = "",
    issued_on: dt.date | None = None,
    expires_on: dt.date | None = None,
    single_journey: bool | None = None,
    valid_for_country: str = "",
    mrz: str = "",
    notes: str = "",
    scan: UploadedFile | None = None,
) -> TravelDocument:
    if not doc_type.active:
        raise ActionError(_("This document type is no longer in use."), field="doc_type")
    doc = TravelDocument(
        person=person,
        case=case,
        doc_type=doc_type,
        number=number,
        issuing_state=issuing_state,
        issued_on=issued_on,
        expires_on=expires_on,
        single_journey=doc_type.single_journey if single_journey is None else single_journey,
        valid_for_country=valid_for_country,
        mrz=mrz,
        notes=notes,
        created_by=actor if actor and actor.pk else None,
    )
    _check_document(doc)
    content_type = check_scan(scan) if scan is not None else ""
    doc.save()
    if scan is not None:
        _store_scan(doc, scan, content_type)
    audit.record(
        actor=actor, action="documents.record", obj=doc, after=audit.snapshot(doc, DOCUMENT_FIELDS)
    )
    return doc


def _store_scan(doc: TravelDocument, scan: UploadedFile, content_type: str) -> None:
    name = f"doc{doc.pk}-{timezone.now():%Y%m%d%H%M%S}.{SCAN_EXTENSIONS[content_type]}"
    doc.scan.save(name, scan, save=False)
    doc.scan_content_type, doc.scan_size = content_type, scan.size or 0
    doc.save(update_fields=["scan", "scan_content_type", "scan_size"])


@transaction.atomic
def update_document(*, actor: User, document: TravelDocument, **changes: Any) -> TravelDocument:
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ActionError(_("This field cannot be changed here."), field=sorted(unknown)[0])
    if document.cancelled:
        raise ConflictError(_("A cancelled document cannot be changed."), code="cancelled")
    before = audit.snapshot(document, DOCUMENT_FIELDS)
    for name, value in changes.items():
        setattr(document, name, value)
    _check_document(document)
    document.updated_at = timezone.now()
    document.save()
    audit.record(
        actor=actor,
        action="documents.update",
        obj=document,
        before=before,
        after=audit.snapshot(document, DOCUMENT_FIELDS),
    )
    return document


@transaction.atomic
def attach_scan(*, actor: User, document: TravelDocument, scan: UploadedFile) -> TravelDocument:
    content_type = check_scan(scan)
    previous = document.scan.name
    _store_scan(document, scan, content_type)
    audit.record(
        actor=actor,
        action="documents.attach_scan",
        obj=document,
        changes={"scan": [previous, document.scan.name]},
        extra={"content_type": content_type, "size": document.scan_size},
    )
    return document


@transaction.atomic
def cancel_document(
    *, actor: User, document: TravelDocument, reason: str, on: dt.date | None = None
) -> TravelDocument:
    if document.cancelled:
        raise ConflictError(_("The document is already cancelled."), code="cancelled")
    if not reason.strip():
        raise ActionError(_("Say why the document is cancelled."), field="reason")
    before = audit.snapshot(document, DOCUMENT_FIELDS)
    document.cancelled_on = on or timezone.localdate()
    document.cancel_reason = reason.strip()[:300]
    document.save(update_fields=["cancelled_on", "cancel_reason"])
    audit.record(
        actor=actor,
        action="documents.cancel",
        obj=document,
        before=before,
        after=audit.snapshot(document, DOCUMENT_FIELDS),
    )
    return document


# ---- applications -------------------------------------------------------------------------


def _check_application(app: DocumentApplication) -> None:
    if not app.authority.strip():
        raise ActionError(_("Name the authority the application goes to."), field="authority")
    app.valid_for_country = _country(app.valid_for_country)
    if app.person_id is None and not app.doc_type.per_family:
        raise ActionError(_("Choose whose document this is."), field="person")
    if (
        app.person_id is not None
        and not app.case.memberships.filter(person_id=app.person_id, ended_at__isnull=True).exists()
    ):
        raise ActionError(_("This person is not a member of the case."), field="person")
    if app.submitted_on and app.expected_on and app.expected_on < app.submitted_on:
        raise ActionError(
            _("The decision cannot be expected before submission."), field="expected_on"
        )


@transaction.atomic
def open_application(
    *,
    actor: User | None,
    case: Case,
    doc_type: DocumentType,
    authority: str,
    person: Person | None = None,
    valid_for_country: str = "",
    expected_on: dt.date | None = None,
    reference: str = "",
    notes: str = "",
) -> DocumentApplication:
    app = DocumentApplication(
        case=case,
        person=person,
        doc_type=doc_type,
        authority=authority.strip(),
        valid_for_country=valid_for_country,
        expected_on=expected_on,
        reference=reference,
        notes=notes,
        created_by=actor if actor and actor.pk else None,
    )
    _check_application(app)
    app.save()
    ApplicationStatusChange.objects.create(
        application=app, to_status=app.status, actor=app.created_by, at=app.status_changed_at
    )
    audit.record(
        actor=actor,
        action="documents.open_application",
        obj=app,
        after=audit.snapshot(app, APPLICATION_FIELDS),
    )
    return app


@transaction.atomic
def move_application(
    *,
    actor: User | None,
    application: DocumentApplication,
    to: str,
    on: dt.date | None = None,
    expected_on: dt.date | None = None,
    document: TravelDocument | None = None,
    note: str = "",
) -> DocumentApplication:
    """Move an application through its statuses, with the dates each step needs."""
    app = DocumentApplication.objects.select_for_update().get(pk=application.pk)
    check_transition(APPLICATION_TRANSITIONS, ApplicationStatus, app.status, to)
    before = audit.snapshot(app, APPLICATION_FIELDS)
    on = on or timezone.localdate()
    if to == ApplicationStatus.SUBMITTED:
        app.submitted_on = on
        app.expected_on = expected_on or app.expected_on
    elif to == ApplicationStatus.ISSUED:
        if document is None:
            raise ActionError(
                _("Record the issued document first, then choose it."), field="document"
            )
        if document.doc_type_id != app.doc_type_id:
            raise ActionError(_("The document is not of the type applied for."), field="document")
        app.document, app.decided_on = document, on
    elif to in (ApplicationStatus.REFUSED, ApplicationStatus.WITHDRAWN):
        app.decided_on = on
    elif to == ApplicationStatus.PREPARING:
        app.submitted_on, app.decided_on = None, None
    _check_application(app)
    old = app.status
    app.status, app.status_changed_at = to, timezone.now()
    app.save()
    ApplicationStatusChange.objects.create(
        application=app,
        from_status=old,
        to_status=to,
        actor=actor if actor and actor.pk else None,
        at=app.status_changed_at,
        note=note[:300],
    )
    audit.record(
        actor=actor,
        action="documents.move_application",
        obj=app,
        before=before,
        after=audit.snapshot(app, APPLICATION_FIELDS),
        extra={"note": note},
    )
    application.refresh_from_db()
    return application
