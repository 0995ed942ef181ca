"""Travel loans over the API: lists, one loan, a case's loan, notes, signatures, handover."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from passage.core import audit, policy
from passage.core.api import ErrorOut
from passage.core.errors import ActionError
from passage.core.utils import api_user
from passage.loans import actions, compute, pdf, queries
from passage.loans.choices import LoanStatus
from passage.loans.models import Loan, PromissoryNote
from passage.registry.models import Case, Person

router = Router()
TAG = "loans"
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class NoteOut(Schema):
    id: int
    person_id: int
    name: str
    round: int
    amount: Decimal
    currency: str
    language: str
    status: str
    signed_on: dt.date | None
    witness: str
    has_scan: bool


class SignerOut(Schema):
    person_id: int
    name: str
    age: int | None
    adult: bool
    date_of_birth_estimated: bool
    note_id: int | None
    signed: bool


class EntryOut(Schema):
    day: dt.date
    kind: str
    description: str
    amount: Decimal


class LoanOut(Schema):
    id: int
    case_id: int
    file_number: str
    booking_id: int
    departure_date: dt.date
    status: str
    currency: str
    amount: Decimal
    round: int
    all_signed: bool
    interest_free: bool
    repayment_starts: dt.date | None
    arrived_on: dt.date | None
    servicer: str
    handed_over_on: dt.date | None
    handover_reference: str


class LoanDetailOut(LoanOut):
    signers: list[SignerOut]
    notes: list[NoteOut]
    entries: list[EntryOut]


def _note(n: PromissoryNote) -> dict[str, Any]:
    return {
        "id": n.pk,
        "person_id": n.person_id,
        "name": n.person.display_name,
        "round": n.round,
        "amount": n.amount,
        "currency": n.currency,
        "language": n.language,
        "status": n.status,
        "signed_on": n.signed_on,
        "witness": n.witness,
        "has_scan": bool(n.scan),
    }


def _loan_out(loan: Loan, amount: Decimal | None = None, detail: bool = False) -> dict[str, Any]:
    """A loan as the API shows it; a list passes the amounts read in one query."""
    arrival = loan.arrived_on or loan.booking.arrival_date
    data: dict[str, Any] = {
        "id": loan.pk,
        "case_id": loan.case_id,
        "file_number": loan.case.file_number,
        "booking_id": loan.booking_id,
        "departure_date": loan.booking.departure_date,
        "status": loan.status,
        "currency": loan.currency,
        "amount": amount,
        "round": loan.round,
        "all_signed": loan.status != LoanStatus.PENDING,
        "interest_free": loan.profile.loan_interest_free,
        "repayment_starts": compute.repayment_starts(loan.profile, arrival),
        "arrived_on": loan.arrived_on,
        "servicer": loan.servicer,
        "handed_over_on": loan.handed_over_on,
        "handover_reference": loan.handover_reference,
    }
    if detail:
        s = queries.summary(loan)
        data["amount"], data["all_signed"] = s.amount, s.all_signed
        data["signers"] = [
            {
                "person_id": sg.person.pk,
                "name": sg.person.display_name,
                "age": sg.age,
                "adult": sg.adult,
                "date_of_birth_estimated": sg.person.date_of_birth_estimated,
                "note_id": sg.note.pk if sg.note else None,
                "signed": sg.signed,
            }
            for sg in s.signers
        ]
        notes = loan.notes.select_related("person").order_by("-round", "id")
        data["notes"] = [_note(n) for n in notes]
        data["entries"] = [
            {
                "day": e.business_date,
                "kind": e.kind,
                "description": e.description,
                "amount": e.amount,
            }
            for e in s.entries
        ]
    return data


class LoanFilter(Schema):
    status: LoanStatus | None = None
    due_within_days: int | None = Field(
        default=None, ge=1, le=365, description="Only loans with notes to sign, departing soon"
    )


@router.get("/loans", response={200: list[LoanOut], 403: ErrorOut}, summary="Travel loans")
def list_loans(request: HttpRequest, filters: Query[LoanFilter]) -> Any:
    user = api_user(request)
    policy.require(user, "loans.view")
    if filters.due_within_days:
        rows = queries.due_for_signing(user, filters.due_within_days)
    else:
        status = filters.status.value if filters.status else ""
        rows = queries.rows_for(list(queries.by_status(user, status)[:500]))
    return [_loan_out(r.loan, r.amount) for r in rows]


def _get(request: HttpRequest, loan_id: int, permission: str | None = None) -> Loan:
    return policy.get_object_for(
        api_user(request), Loan.objects.select_related(*queries.LIST_RELATED), loan_id, permission
    )


@router.get("/loans/{loan_id}", response={200: LoanDetailOut, **ERRORS}, summary="One loan")
def get_loan(request: HttpRequest, loan_id: int) -> Any:
    return _loan_out(_get(request, loan_id), detail=True)


@router.get(
    "/loans/cases/{case_id}", response={200: LoanDetailOut, **ERRORS}, summary="A case's loan"
)
def case_loan(request: HttpRequest, case_id: int) -> Any:
    user = api_user(request)
    case = policy.get_object_for(user, Case, case_id)
    policy.require(user, "loans.view")
    loan = queries.live_loan(case)
    if loan is None:
        raise ActionError(_("No travel loan for this case."), code="no_loan", field="case")
    return _loan_out(loan, detail=True)


@router.post(
    "/loans/cases/{case_id}/compute",
    response={200: LoanDetailOut, **ERRORS},
    summary="Compute (or recompute) a case's loan from its open booking",
)
def compute_loan(request: HttpRequest, case_id: int) -> Any:
    user = api_user(request)
    case = policy.get_object_for(user, Case, case_id)
    policy.require(user, "loans.manage")
    loan = actions.sync_loan(actor=user, case=case)
    return _loan_out(queries.live_loan(case) or loan, detail=True)


class GenerateIn(Schema):
    on: dt.date | None = Field(default=None, description="Signing date (today by default)")
    person_ids: list[int] | None = Field(
        default=None, max_length=50, description="Only these travellers (each must be an adult)"
    )


@router.post(
    "/loans/{loan_id}/notes",
    response={201: list[NoteOut], **ERRORS},
    summary="Generate the promissory notes of the adults",
)
def generate_notes(request: HttpRequest, loan_id: int, payload: GenerateIn) -> Any:
    user = api_user(request)
    loan = _get(request, loan_id, "loans.manage")
    people = None
    if payload.person_ids is not None:
        people = list(Person.objects.filter(pk__in=payload.person_ids))
        if len(people) != len(set(payload.person_ids)):
            raise ActionError(_("Unknown person."), field="person_ids")
    notes = actions.generate_notes(actor=user, loan=loan, on=payload.on, people=people)
    return Status(201, [_note(n) for n in notes])


def _get_note(request: HttpRequest, note_id: int, permission: str | None = None) -> PromissoryNote:
    return policy.get_object_for(
        api_user(request),
        PromissoryNote.objects.select_related("person", "loan"),
        note_id,
        permission,
    )


class SignatureIn(Schema):
    signed_on: dt.date
    witness: str = Field("", max_length=200)


@router.post(
    "/loans/notes/{note_id}/signature",
    response={200: NoteOut, **ERRORS},
    summary="Record that the traveller signed the note",
)
def sign_note(request: HttpRequest, note_id: int, payload: SignatureIn) -> Any:
    user = api_user(request)
    note = _get_note(request, note_id, "loans.manage")
    note = actions.record_signature(
        actor=user, note=note, signed_on=payload.signed_on, witness=payload.witness
    )
    return _note(note)


@router.post(
    "/loans/notes/{note_id}/scan",
    response={200: NoteOut, **ERRORS},
    summary="Attach the scan of a signed note (PDF, JPEG or PNG)",
)
def note_scan(request: HttpRequest, note_id: int, scan: File[UploadedFile]) -> Any:
    user = api_user(request)
    note = _get_note(request, note_id, "loans.manage")
    return _note(actions.attach_scan(actor=user, note=note, scan=scan))


@router.get(
    "/loans/notes/{note_id}/pdf",
    response={200: None, **ERRORS},
    summary="The note as PDF (traveller's language, then English)",
)
def note_pdf(request: HttpRequest, note_id: int) -> Any:
    user = api_user(request)
    note = policy.get_object_for(
        user,
        PromissoryNote.objects.select_related(
            "loan__case", "loan__booking", "loan__profile", "person"
        ),
        note_id,
        "loans.manage",
    )
    audit.record(actor=user, action="loans.note_download", obj=note)
    return HttpResponse(pdf.note_pdf(note), content_type="application/pdf")


class HandoverIn(Schema):
    servicer: str = Field(..., max_length=200)
    on: dt.date
    reference: str = Field(..., max_length=100)


@router.post(
    "/loans/{loan_id}/handover",
    response={200: LoanDetailOut, **ERRORS},
    summary="Record the handover to the servicing organisation (after arrival)",
)
def hand_over(request: HttpRequest, loan_id: int, payload: HandoverIn) -> Any:
    user = api_user(request)
    loan = _get(request, loan_id, "loans.manage")
    actions.hand_over(
        actor=user, loan=loan, servicer=payload.servicer, on=payload.on, reference=payload.reference
    )
    return _loan_out(_get(request, loan_id), detail=True)


class CancelIn(Schema):
    reason: str = Field(..., max_length=300)


@router.post(
    "/loans/{loan_id}/cancel", response={200: LoanDetailOut, **ERRORS}, summary="Cancel a loan"
)
def cancel_loan(request: HttpRequest, loan_id: int, payload: CancelIn) -> Any:
    user = api_user(request)
    loan = _get(request, loan_id, "loans.manage")
    actions.cancel_loan(actor=user, loan=loan, reason=payload.reason)
    return _loan_out(_get(request, loan_id), detail=True)


@router.get(
    "/loans/{loan_id}/statement.csv",
    response={200: None, **ERRORS},
    summary="The loan's statement: ledger entries and balance (CSV)",
)
def statement_csv(request: HttpRequest, loan_id: int) -> Any:
    user = api_user(request)
    loan = _get(request, loan_id, "loans.manage")
    audit.record(actor=user, action="loans.statement", obj=loan, extra={"format": "csv"})
    return HttpResponse(pdf.statement_csv(loan), content_type="text/csv; charset=utf-8")
