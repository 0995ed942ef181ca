"""Travel documents, applications, the MRZ check and readiness over the API.

Profiles have their own endpoints (``/profiles``, in passage.profiles).
"""

from datetime import date
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from passage.core import policy
from passage.core.pagination import MAX_OFFSET
from passage.core.utils import api_user
from passage.documents import actions, queries
from passage.documents.models import DocumentApplication, DocumentType, TravelDocument
from passage.documents.mrz import compare_with_record, parse_mrz
from passage.documents.readiness import Result, collector_paused, readiness_for_case
from passage.registry.models import Case, Person

router = Router()
TAG = "documents"


class ErrorOut(Schema):
    code: str
    message: str


class DocumentTypeOut(Schema):
    code: str
    name: str
    category: str
    per_family: bool
    single_journey: bool
    machine_readable: bool
    valid_for_destination: bool


class DocumentOut(Schema):
    id: int
    person_id: int
    case_id: int | None
    type: str = Field(..., alias="doc_type.code")
    number: str
    issuing_state: str
    issued_on: date | None
    expires_on: date | None
    single_journey: bool
    valid_for_country: str
    has_scan: bool
    cancelled_on: date | None

    @staticmethod
    def resolve_has_scan(obj: TravelDocument) -> bool:
        return bool(obj.scan)


class DocumentIn(Schema):
    person_id: int
    type: str = Field(..., description="Document type code, e.g. passport, exit_visa")
    case_id: int | None = Field(None, description="The case a per-family document covers")
    number: str = ""
    issuing_state: str = Field("", max_length=3)
    issued_on: date | None = None
    expires_on: date | None = None
    single_journey: bool | None = None
    valid_for_country: str = Field("", max_length=2)
    mrz: str = ""
    notes: str = ""


class DocumentFilter(Schema):
    case: int | None = None
    person: int | None = None
    expiring_within: int | None = Field(None, ge=0, le=3650)


class CancelIn(Schema):
    reason: str = Field(..., min_length=1, max_length=300)


@router.get("/document-types", response=list[DocumentTypeOut], summary="Document types")
def list_types(request: HttpRequest) -> Any:
    return policy.visible_to(DocumentType.objects.all(), api_user(request))


@router.get("/documents", response=list[DocumentOut], summary="Travel documents")
def list_documents(request: HttpRequest, filters: Query[DocumentFilter]) -> Any:
    user = api_user(request)
    policy.require(user, "documents.view")
    if filters.expiring_within is not None:
        rows = queries.expiring_soon(user, filters.expiring_within)
    else:
        rows = queries.visible_documents(user).select_related("doc_type")
    if filters.case:
        case = policy.get_object_for(user, Case, filters.case, "documents.view")
        rows = rows.filter(person__memberships__case=case, person__memberships__ended_at=None)
    if filters.person:
        rows = rows.filter(person_id=filters.person)
    return rows[:1000]


@router.get(
    "/documents/{document_id}",
    response={200: DocumentOut, 404: ErrorOut},
    summary="One travel document",
)
def get_document(request: HttpRequest, document_id: int) -> Any:
    return policy.get_object_for(
        api_user(request), TravelDocument.objects.select_related("doc_type"), document_id
    )


@router.post(
    "/documents",
    response={201: DocumentOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Record a travel document",
)
def create_document(request: HttpRequest, payload: DocumentIn) -> Any:
    user = api_user(request)
    policy.require(user, "documents.manage")
    person = policy.get_object_for(user, Person, payload.person_id, "documents.manage")
    case = (
        policy.get_object_for(user, Case, payload.case_id, "documents.manage")
        if payload.case_id
        else None
    )
    doc_type = policy.get_object_for(user, DocumentType.objects.all(), _type_pk(payload.type))
    values = payload.dict(exclude={"person_id", "type", "case_id"})
    document = actions.record_document(
        actor=user, person=person, case=case, doc_type=doc_type, **values
    )
    return Status(201, document)


@router.post(
    "/documents/{document_id}/scan",
    response={200: DocumentOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Attach a scan to a travel document (multipart: a PDF, JPEG or PNG file)",
    description="The same checks as the page: the type is read from the file's first bytes "
    "(PDF, JPEG or PNG), the size is limited (setting PASSAGE_SCAN_MAX_BYTES, 10 MB by "
    "default); a refused file gives 400 with field `scan`. The upload is audited.",
)
def upload_scan(request: HttpRequest, document_id: int, scan: File[UploadedFile]) -> Any:
    user = api_user(request)
    policy.require(user, "documents.manage")
    document = policy.get_object_for(
        user, TravelDocument.objects.select_related("doc_type"), document_id, "documents.manage"
    )
    return actions.attach_scan(actor=user, document=document, scan=scan)


def _type_pk(code: str) -> int:
    found = DocumentType.objects.filter(code=code).values_list("pk", flat=True).first()
    return found if found is not None else 0


@router.post(
    "/documents/{document_id}/cancel",
    response={200: DocumentOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Cancel a document",
)
def cancel_document(request: HttpRequest, document_id: int, payload: CancelIn) -> Any:
    user = api_user(request)
    document = policy.get_object_for(user, TravelDocument, document_id, "documents.manage")
    return actions.cancel_document(actor=user, document=document, reason=payload.reason)


class MrzIn(Schema):
    mrz: str = Field(..., max_length=200)
    person_id: int | None = Field(None, description="Compare with this person's record")


class ProblemOut(Schema):
    field: str
    message: str


class MismatchOut(Schema):
    field: str
    mrz: str
    record: str
    message: str


class MrzOut(Schema):
    valid: bool
    format: str
    document_code: str
    issuing_state: str
    document_number: str
    surname: str
    given_names: str
    nationality: str
    birth_date: date | None
    sex: str
    expiry_date: date | None
    optional_data: str
    problems: list[ProblemOut]
    mismatches: list[MismatchOut] = []


@router.post(
    "/mrz/check",
    response={200: MrzOut, 403: ErrorOut, 404: ErrorOut},
    summary="Parse a machine-readable zone and check every check digit",
)
def check_mrz(request: HttpRequest, payload: MrzIn) -> Any:
    user = api_user(request)
    policy.require(user, "documents.manage")
    result = parse_mrz(payload.mrz)
    data: dict[str, Any] = {**result.__dict__, "valid": result.valid, "mismatches": []}
    if payload.person_id:
        person = policy.get_object_for(user, Person, payload.person_id)
        data["mismatches"] = compare_with_record(
            result,
            surname=person.latin_surname or person.surname,
            given_names=person.latin_given_names or person.given_names,
            birth_date=person.date_of_birth,
            birth_date_estimated=person.date_of_birth_estimated,
            sex=person.sex,
            nationality=person.nationality,
        )
    return data


class ApplicationOut(Schema):
    id: int
    case_id: int
    person_id: int | None
    type: str = Field(..., alias="doc_type.code")
    authority: str
    valid_for_country: str
    status: str
    submitted_on: date | None
    expected_on: date | None
    decided_on: date | None
    document_id: int | None
    reference: str


class ApplicationIn(Schema):
    case_id: int
    type: str
    authority: str = Field(..., min_length=1, max_length=200)
    person_id: int | None = None
    valid_for_country: str = Field("", max_length=2)
    expected_on: date | None = None
    reference: str = ""
    notes: str = ""


class MoveIn(Schema):
    to: str
    on: date | None = None
    expected_on: date | None = None
    document_id: int | None = None
    note: str = ""


class ApplicationFilter(Schema):
    case: int | None = None
    overdue: bool = False


@router.get(
    "/document-applications",
    response=list[ApplicationOut],
    summary="Applications for documents and visas",
)
def list_applications(request: HttpRequest, filters: Query[ApplicationFilter]) -> Any:
    user = api_user(request)
    policy.require(user, "documents.view")
    if filters.overdue:
        rows = queries.overdue_applications(user)
    else:
        rows = policy.visible_to(DocumentApplication.objects.select_related("doc_type"), user)
    if filters.case:
        rows = rows.filter(case_id=filters.case)
    return rows[:1000]


@router.post(
    "/document-applications",
    response={201: ApplicationOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Record an application",
)
def create_application(request: HttpRequest, payload: ApplicationIn) -> Any:
    user = api_user(request)
    policy.require(user, "documents.manage")
    case = policy.get_object_for(user, Case, payload.case_id, "documents.manage")
    person = policy.get_object_for(user, Person, payload.person_id) if payload.person_id else None
    doc_type = policy.get_object_for(user, DocumentType.objects.all(), _type_pk(payload.type))
    values = payload.dict(exclude={"case_id", "type", "person_id"})
    application = actions.open_application(
        actor=user, case=case, person=person, doc_type=doc_type, **values
    )
    return Status(201, application)


@router.post(
    "/document-applications/{application_id}/status",
    response={200: ApplicationOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Move an application to another status",
)
def move_application(request: HttpRequest, application_id: int, payload: MoveIn) -> Any:
    user = api_user(request)
    app = policy.get_object_for(user, DocumentApplication, application_id, "documents.manage")
    document = (
        policy.get_object_for(user, TravelDocument, payload.document_id)
        if payload.document_id
        else None
    )
    return actions.move_application(
        actor=user,
        application=app,
        to=payload.to,
        on=payload.on,
        expected_on=payload.expected_on,
        document=document,
        note=payload.note,
    )


class RangeOut(Schema):
    start: date | None
    end: date | None


class ItemOut(Schema):
    source: str
    code: str
    label: str
    reason: str
    resolve: str
    person_id: int | None
    person_name: str


class PersonOut(Schema):
    person_id: int
    name: str
    ready: bool
    window: RangeOut | None
    blockers: list[ItemOut]


class ReadinessOut(Schema):
    case_id: int
    file_number: str
    ready: bool
    departure: date | None
    window: RangeOut | None
    blockers: list[ItemOut]
    warnings: list[ItemOut]
    people: list[PersonOut]


def _range(window: Any) -> dict[str, Any] | None:
    if window.empty or window.start is None:
        return None
    return {"start": window.start, "end": window.end}


def readiness_out(case: Case, result: Result) -> dict[str, Any]:
    return {
        "case_id": case.pk,
        "file_number": case.file_number,
        "ready": result.ready,
        "departure": result.departure,
        "window": _range(result.window),
        "blockers": result.blockers,
        "warnings": result.warnings,
        "people": [{**p.__dict__, "window": _range(p.window)} for p in result.people],
    }


class ReadinessQuery(Schema):
    departure: date | None = Field(None, description="Empty: as soon as possible")


@router.get(
    "/cases/{case_id}/readiness",
    response={200: ReadinessOut, 404: ErrorOut},
    summary="Travel readiness of a case for a date, or as soon as possible",
)
def case_readiness(request: HttpRequest, case_id: int, params: Query[ReadinessQuery]) -> Any:
    user = api_user(request)
    case = policy.get_object_for(user, Case, case_id, "documents.view_readiness")
    return readiness_out(case, readiness_for_case(case, params.departure))


class BoardQuery(Schema):
    destination: str = Field("", max_length=2)
    programme: str = ""
    readiness: str = Field("", pattern="^(|ready|blocked)$")
    departure: date | None = None
    sort: str = "earliest"


class BoardPageQuery(BoardQuery):
    limit: int = Field(100, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class BoardPageOut(Schema):
    count: int = Field(description="Cases on the board with these filters")
    ready_count: int = Field(description="Of which ready")
    items: list[ReadinessOut]


@router.get(
    "/readiness",
    response={200: BoardPageOut, 403: ErrorOut},
    summary="The readiness board: every active case, a page at a time",
    description=(
        "Readiness is computed for every case on the board (filters, sorting and counts "
        "cover them all); ``items`` hold the cases from ``offset``, at most ``limit``, "
        "each with its blockers, warnings and people."
    ),
)
def board(request: HttpRequest, params: Query[BoardPageQuery]) -> Any:
    user = api_user(request)
    policy.require(user, "documents.board")
    filters = params.dict(exclude={"limit", "offset"})
    with collector_paused():  # the results are freed before the collector resumes
        rows = queries.board(user, queries.BoardFilters(**filters))
        page = rows[params.offset : params.offset + params.limit]
        out = {
            "count": len(rows),
            "ready_count": sum(1 for r in rows if r.result.ready),
            "items": [readiness_out(row.case, row.result) for row in page],
        }
        del rows, page
    return out
