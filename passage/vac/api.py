"""Staff endpoints of the visa application centre. Thin: they call the same actions."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from passage.core import policy
from passage.core.errors import ActionError
from passage.core.utils import api_user
from passage.ledger.choices import PaymentMethod
from passage.vac import actions, queries
from passage.vac.models import Application, Appointment, Custody

router = Router()
TAG = "visa application centre"


class ErrorOut(Schema):
    code: str
    message: str


class AppointmentOut(Schema):
    id: int
    reference: str
    service: str = Field(..., alias="slot.service")
    starts_at: datetime = Field(..., alias="slot.starts_at")
    people: int
    full_name: str
    status: str


@router.get(
    "/vac/appointments",
    response={200: list[AppointmentOut], 403: ErrorOut},
    summary="The day's appointments",
)
def list_appointments(request: HttpRequest, day: date | None = None) -> Any:
    user = api_user(request)
    policy.require(user, "vac.staff")
    return list(queries.day_schedule(user, day or timezone.localdate()))


class TicketOut(Schema):
    id: int
    label: str
    service: str
    people: int
    status: str
    desk: str


@router.post(
    "/vac/appointments/{appointment_id}/check-in",
    response={201: TicketOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Check a booked applicant in: a queue ticket",
)
def check_in(request: HttpRequest, appointment_id: int) -> Any:
    user = api_user(request)
    appointment = policy.get_object_for(user, Appointment, appointment_id, "vac.run_day")
    return Status(201, actions.check_in(actor=user, appointment=appointment))


class TicketIn(Schema):
    service: str
    name: str = ""
    people: int = Field(1, ge=1, le=20)


@router.post(
    "/vac/tickets",
    response={201: TicketOut, 400: ErrorOut, 403: ErrorOut},
    summary="Issue a walk-in ticket",
)
def issue_ticket(request: HttpRequest, payload: TicketIn) -> Any:
    user = api_user(request)
    policy.require(user, "vac.run_day")
    result = actions.issue_ticket(
        actor=user, service=payload.service, name=payload.name, people=payload.people
    )
    return Status(201, result)


class CallIn(Schema):
    desk: str = Field(..., min_length=1, max_length=10)
    service: str = ""


@router.post(
    "/vac/queue/call",
    response={200: TicketOut, 204: None, 400: ErrorOut, 403: ErrorOut},
    summary="Call the next ticket to a desk",
)
def call_next(request: HttpRequest, payload: CallIn) -> Any:
    user = api_user(request)
    policy.require(user, "vac.run_day")
    ticket = actions.call_next(actor=user, desk=payload.desk, service=payload.service)
    return Status(204, None) if ticket is None else Status(200, ticket)


class ApplicantIn(Schema):
    given_names: str = Field(..., min_length=1, max_length=120)
    family_name: str = Field(..., min_length=1, max_length=120)
    date_of_birth: date
    nationality: str = "KGZ"
    passport_number: str = ""
    resettled_refugee: bool = False
    previous_biometrics_on: date | None = None


class ApplicationIn(Schema):
    application_type: str
    applicants: list[ApplicantIn]
    appointment_id: int | None = None
    letter_reference: str = ""
    family: bool = False
    email: str = ""
    phone: str = ""
    language: str = "en"


class ApplicantOut(Schema):
    id: int
    given_names: str
    family_name: str
    date_of_birth: date
    outcome: str | None
    fee: Decimal | None
    custody_code: str | None
    custody_status: str | None

    @staticmethod
    def resolve_outcome(obj: Any) -> str | None:
        record = getattr(obj, "biometrics", None)
        return record.outcome if record else None

    @staticmethod
    def resolve_fee(obj: Any) -> Decimal | None:
        record = getattr(obj, "biometrics", None)
        return record.fee if record else None

    @staticmethod
    def resolve_custody_code(obj: Any) -> str | None:
        custody = getattr(obj, "custody", None)
        return custody.code if custody else None

    @staticmethod
    def resolve_custody_status(obj: Any) -> str | None:
        custody = getattr(obj, "custody", None)
        return custody.status if custody else None


class ApplicationOut(Schema):
    id: int
    reference: str
    application_type: str
    family: bool
    applicants: list[ApplicantOut]

    @staticmethod
    def resolve_applicants(obj: Application) -> list[Any]:
        return list(obj.applicants.select_related("biometrics", "custody"))


@router.post(
    "/vac/applications",
    response={201: ApplicationOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Take in an application",
)
def open_application(request: HttpRequest, payload: ApplicationIn) -> Any:
    user = api_user(request)
    policy.require(user, "vac.intake")
    appointment = (
        policy.get_object_for(user, Appointment, payload.appointment_id)
        if payload.appointment_id
        else None
    )
    data = payload.dict(exclude={"applicants", "appointment_id"})
    application = actions.open_application(
        actor=user,
        appointment=appointment,
        applicants=[actions.ApplicantIn(**a.dict()) for a in payload.applicants],
        **data,
    )
    return Status(201, application)


@router.get(
    "/vac/applications/{application_id}",
    response={200: ApplicationOut, 404: ErrorOut},
    summary="One application, its applicants, biometrics and passports",
)
def get_application(request: HttpRequest, application_id: int) -> Any:
    return policy.get_object_for(api_user(request), Application, application_id)


@router.post(
    "/vac/applications/{application_id}/fees",
    response={201: ApplicationOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Assess biometrics and charge the fees",
)
def assess_fees(request: HttpRequest, application_id: int) -> Any:
    user = api_user(request)
    application = policy.get_object_for(user, Application, application_id, "vac.intake")
    actions.assess_fees(actor=user, application=application)
    return Status(201, application)


class PaymentIn(Schema):
    amount: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2)
    currency: str = Field(..., min_length=3, max_length=3)
    method: str = PaymentMethod.CASH


class PaymentOut(Schema):
    id: int
    receipt_number: str
    amount: Decimal
    currency: str
    paid_amount: Decimal | None
    paid_currency: str
    rate: Decimal | None


@router.post(
    "/vac/applications/{application_id}/payments",
    response={201: PaymentOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Take a payment (CAD, or KGS at the day's rate)",
)
def take_payment(request: HttpRequest, application_id: int, payload: PaymentIn) -> Any:
    user = api_user(request)
    application = policy.get_object_for(user, Application, application_id, "vac.intake")
    policy.require(user, "ledger.take_payment")
    result = actions.take_payment(
        actor=user,
        application=application,
        amount=payload.amount,
        currency=payload.currency.upper(),
        method=payload.method,
    )
    return Status(201, result)


class CustodyOut(Schema):
    id: int
    code: str
    status: str
    place: str
    passport_number: str
    since: datetime
    received_at: datetime


class CustodyRowOut(Schema):
    custody: CustodyOut
    days_held: int
    overdue: bool


@router.get(
    "/vac/custody",
    response={200: list[CustodyRowOut], 403: ErrorOut},
    summary="Passports in custody, oldest first, flagged when held too long",
)
def custody_report(request: HttpRequest) -> Any:
    user = api_user(request)
    policy.require(user, "vac.custody")
    return queries.custody_report(user)


class StepIn(Schema):
    status: str
    envelope: str = ""
    collected_by: str = ""
    identity_document: str = ""
    waybill: str = ""
    note: str = ""


@router.post(
    "/vac/custody/{code}/steps",
    response={200: CustodyOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Move a scanned passport one step",
)
def custody_step(request: HttpRequest, code: str, payload: StepIn) -> Any:
    user = api_user(request)
    policy.require(user, "vac.custody")
    found = actions.find(code)
    custody = policy.get_object_for(user, Custody, found.pk, "vac.custody")
    data = payload.dict()
    return actions.move_passport(actor=user, custody=custody, status=data.pop("status"), **data)


class BatchIn(Schema):
    codes: list[str] = Field(..., min_length=1)
    waybill: str = Field(..., min_length=1, max_length=60)


class BatchOut(Schema):
    id: int
    waybill: str
    sent_at: datetime
    passports: int

    @staticmethod
    def resolve_passports(obj: Any) -> int:
        return int(obj.passports.count())


@router.post(
    "/vac/batches",
    response={201: BatchOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    summary="Send scanned passports to the visa office under one waybill",
)
def dispatch_batch(request: HttpRequest, payload: BatchIn) -> Any:
    user = api_user(request)
    policy.require(user, "vac.custody")
    return Status(
        201, actions.dispatch_batch(actor=user, codes=payload.codes, waybill=payload.waybill)
    )


class DayOut(Schema):
    day: date
    booked: int
    kept: int
    missed: int
    cancelled: int
    walk_ins: int
    people_served: int


@router.get(
    "/vac/reports/activity",
    response={200: list[DayOut], 400: ErrorOut, 403: ErrorOut},
    summary="Appointments kept and missed, and walk-ins, per day",
)
def activity(request: HttpRequest, start: date, end: date) -> Any:
    user = api_user(request)
    policy.require(user, "vac.reports")
    if end < start or (end - start).days > 366:
        raise ActionError("Give a range of at most a year, start before end.", field="end")
    return queries.activity_report(user, start, end)
