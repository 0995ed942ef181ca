"""Migration health over the API, with the same need-to-know split as the pages.

``/health/cases/{id}/summary`` is the clearance summary (case workers, movement,
administrators, partners for their cases). Everything else is medical detail for
medical officers; reading a person's record is audited.
"""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from passage.core import policy
from passage.core.errors import ActionError
from passage.core.models import User
from passage.core.utils import api_user
from passage.health import actions, queries, records
from passage.health.access import require_detail
from passage.health.choices import LabResult
from passage.health.models import Assessment, Clinic, FitToFlyCertificate, Pregnancy, TbTest
from passage.registry.models import Case, Membership, Person

router = Router()
TAG = "health"


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


class SummaryOut(Schema):
    person_id: int
    status: str
    label: str
    valid_from: date | None
    valid_until: date | None
    ssr_codes: list[str]
    escort_required: bool
    oxygen: bool
    stretcher: bool
    medif_status: str
    departure_not_before: date | None
    certificate_from: date | None
    travel_until: date | None


class TbTestOut(Schema):
    id: int
    kind: str
    collected_on: date
    result: str
    result_on: date | None
    finding: str
    reason: str


class AssessmentOut(Schema):
    id: int
    person_id: int
    case_id: int
    exam_type: str
    status: str
    clinic_id: int | None
    scheduled_for: date | None
    physician: str
    examined_on: date | None
    forms: list[str]
    tb_class: str
    valid_from: date | None
    valid_until: date | None
    tb_tests: list[TbTestOut]


class VaccinationOut(Schema):
    id: int
    antigen: str
    dose_number: int
    given_on: date
    lot: str
    live: bool
    outbreak_response: bool


class CertificateOut(Schema):
    id: int
    pregnancy_id: int
    issued_on: date
    issued_by: str
    gestation_week: int
    valid_until: date | None
    notes: str


class PregnancyOut(Schema):
    id: int
    expected_delivery: date
    recorded_on: date
    ended_on: date | None
    certificates: list[CertificateOut]


class RecordOut(Schema):
    person_id: int
    summary: SummaryOut
    assessments: list[AssessmentOut]
    vaccinations: list[VaccinationOut]
    pregnancies: list[PregnancyOut]


def _summary_out(s: queries.Summary) -> SummaryOut:
    return SummaryOut(
        person_id=s.person_id,
        status=s.status,
        label=s.label,
        valid_from=s.valid_from,
        valid_until=s.valid_until,
        ssr_codes=list(s.ssr_codes),
        escort_required=s.escort_required,
        oxygen=s.oxygen,
        stretcher=s.stretcher,
        medif_status=s.medif_status,
        departure_not_before=s.departure_not_before,
        certificate_from=s.certificate_from,
        travel_until=s.travel_until,
    )


def _assessment_out(a: Assessment) -> AssessmentOut:
    return AssessmentOut(
        id=a.pk,
        person_id=a.person_id,
        case_id=a.case_id,
        exam_type=a.exam_type,
        status=a.status,
        clinic_id=a.clinic_id,
        scheduled_for=a.scheduled_for,
        physician=a.physician,
        examined_on=a.examined_on,
        forms=list(a.forms),
        tb_class=a.tb_class,
        valid_from=a.valid_from,
        valid_until=a.valid_until,
        tb_tests=[TbTestOut.from_orm(t) for t in a.tb_tests.all()],
    )


@router.get("/health/cases/{case_id}/summary", response={200: list[SummaryOut], 404: ErrorOut})
def case_summary(request: HttpRequest, case_id: int) -> list[SummaryOut]:
    """The clearance summary of each current member of a case (no medical detail)."""
    user = api_user(request)
    policy.require(user, "health.view_summary")
    case = policy.get_object_for(user, Case, case_id)
    return [_summary_out(s) for s in queries.clearance_summaries([case]).values()]


@router.get("/health/people/{person_id}/record", response={200: RecordOut, 403: ErrorOut})
def person_record(request: HttpRequest, person_id: int) -> RecordOut:
    """A person's medical detail (medical officers); every read is audited."""
    user = api_user(request)
    record = queries.health_record(user, person_id, via="api")
    certificates: dict[int, list[CertificateOut]] = {}
    for c in policy.visible_to(FitToFlyCertificate.objects.filter(person_id=person_id), user):
        certificates.setdefault(c.pregnancy_id, []).append(CertificateOut.from_orm(c))
    return RecordOut(
        person_id=record.person.pk,
        summary=_summary_out(record.summary),
        assessments=[_assessment_out(a) for a in record.assessments],
        vaccinations=[VaccinationOut.from_orm(v) for v in record.vaccinations],
        pregnancies=[
            PregnancyOut(
                id=p.pk,
                expected_delivery=p.expected_delivery,
                recorded_on=p.recorded_on,
                ended_on=p.ended_on,
                certificates=certificates.get(p.pk, []),
            )
            for p in record.pregnancies
        ],
    )


@router.get("/health/day", response={200: list[AssessmentOut], 403: ErrorOut})
def day_list(request: HttpRequest, day: date, clinic: int | None = None) -> list[AssessmentOut]:
    user = api_user(request)
    require_detail(user)
    rows = queries.assessments_for(user).filter(scheduled_for=day).prefetch_related("tb_tests")
    if clinic:
        rows = rows.filter(clinic_id=clinic)
    found = list(rows.order_by("id"))
    queries.audit_list_read(user, found, via="api:day")
    return [_assessment_out(a) for a in found]


@router.get("/health/pending", response={200: list[AssessmentOut], 403: ErrorOut})
def pending(request: HttpRequest) -> list[AssessmentOut]:
    user = api_user(request)
    require_detail(user)
    found = queries.pending_results(user)
    queries.audit_list_read(user, found, via="api:pending")
    return [_assessment_out(a) for a in found]


class ScheduleIn(Schema):
    person_id: int
    exam_type: str
    clinic_id: int
    on: date


def _for_record(user: User, model: type[Assessment] | type[TbTest], pk: int) -> object:
    return policy.get_object_for(user, model, pk, "health.record")


@router.post(
    "/health/assessments",
    response={201: AssessmentOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def schedule(request: HttpRequest, payload: ScheduleIn) -> Any:
    user = api_user(request)
    policy.require(user, "health.record")
    person = policy.get_object_for(user, Person, payload.person_id)
    membership = Membership.objects.filter(person=person, ended_at__isnull=True).first()
    if membership is None:
        raise ActionError("This person is in no open case.", field="person_id")
    clinic = get_object_or_404(Clinic, pk=payload.clinic_id, active=True)
    a = actions.schedule_assessment(
        actor=user,
        case=membership.case,
        person=person,
        exam_type=payload.exam_type,
        clinic=clinic,
        on=payload.on,
    )
    return Status(201, _assessment_out(a))


class ExamIn(Schema):
    examined_on: date
    physician: str = Field(..., max_length=150)
    forms: list[str] = []


@router.post(
    "/health/assessments/{assessment_id}/exam",
    response={200: AssessmentOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def exam(request: HttpRequest, assessment_id: int, payload: ExamIn) -> AssessmentOut:
    user = api_user(request)
    a = policy.get_object_for(user, Assessment, assessment_id, "health.record")
    a = actions.record_exam(
        actor=user,
        assessment=a,
        examined_on=payload.examined_on,
        physician=payload.physician,
        forms=payload.forms,
    )
    return _assessment_out(a)


class TbTestIn(Schema):
    kind: str
    collected_on: date
    result: str = LabResult.PENDING
    result_on: date | None = None
    finding: str = ""
    reason: str = ""


@router.post(
    "/health/assessments/{assessment_id}/tests",
    response={201: TbTestOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def tb_test(request: HttpRequest, assessment_id: int, payload: TbTestIn) -> Any:
    user = api_user(request)
    a = policy.get_object_for(user, Assessment, assessment_id, "health.record")
    return Status(201, actions.record_tb_test(actor=user, assessment=a, **payload.dict()))


class ResultIn(Schema):
    result: str
    result_on: date
    finding: str = ""


@router.post(
    "/health/tests/{test_id}/result",
    response={200: TbTestOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def test_result(request: HttpRequest, test_id: int, payload: ResultIn) -> TbTest:
    user = api_user(request)
    test = policy.get_object_for(user, TbTest, test_id, "health.record")
    return actions.record_test_result(actor=user, test=test, **payload.dict())


class OutcomeIn(Schema):
    outcome: str
    tb_class: str = ""
    reason: str = ""


@router.post(
    "/health/assessments/{assessment_id}/outcome",
    response={200: AssessmentOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def outcome(request: HttpRequest, assessment_id: int, payload: OutcomeIn) -> AssessmentOut:
    user = api_user(request)
    a = policy.get_object_for(user, Assessment, assessment_id, "health.record")
    return _assessment_out(actions.decide_outcome(actor=user, assessment=a, **payload.dict()))


class VaccinationIn(Schema):
    antigen: str = Field(..., max_length=60)
    dose_number: int = Field(..., ge=1, le=10)
    given_on: date
    lot: str = ""
    live: bool = False
    outbreak_response: bool = False
    planned_departure: date | None = None


@router.post(
    "/health/people/{person_id}/vaccinations",
    response={201: VaccinationOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def vaccination(request: HttpRequest, person_id: int, payload: VaccinationIn) -> Any:
    user = api_user(request)
    policy.require(user, "health.record")
    person = policy.get_object_for(user, Person, person_id)
    return Status(201, records.record_vaccination(actor=user, person=person, **payload.dict()))


class CheckIn(Schema):
    kind: str
    checked_at: datetime
    departure_at: datetime
    outcome: str
    notes: str = ""


class CheckOut(Schema):
    id: int
    kind: str
    checked_at: datetime
    departure_at: datetime
    outcome: str


@router.post(
    "/health/people/{person_id}/checks",
    response={201: CheckOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def departure_check(request: HttpRequest, person_id: int, payload: CheckIn) -> Any:
    user = api_user(request)
    policy.require(user, "health.record")
    person = policy.get_object_for(user, Person, person_id)
    membership = Membership.objects.filter(person=person, ended_at__isnull=True).first()
    if membership is None:
        raise ActionError("This person is in no open case.", field="person_id")
    row = records.record_departure_check(
        actor=user, case=membership.case, person=person, **payload.dict()
    )
    return Status(201, row)


class PregnancyIn(Schema):
    expected_delivery: date


@router.post(
    "/health/people/{person_id}/pregnancies",
    response={201: PregnancyOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def pregnancy(request: HttpRequest, person_id: int, payload: PregnancyIn) -> Any:
    """Record a pregnancy (an ongoing one is ended on the same day)."""
    user = api_user(request)
    policy.require(user, "health.record")
    person = policy.get_object_for(user, Person, person_id)
    row = records.record_pregnancy(
        actor=user, person=person, expected_delivery=payload.expected_delivery
    )
    return Status(
        201,
        PregnancyOut(
            id=row.pk,
            expected_delivery=row.expected_delivery,
            recorded_on=row.recorded_on,
            ended_on=row.ended_on,
            certificates=[],
        ),
    )


class CertificateIn(Schema):
    issued_on: date
    issued_by: str = Field(..., min_length=1, max_length=200)
    gestation_week: int = Field(..., ge=1, le=42)
    valid_until: date | None = None
    notes: str = Field("", max_length=2000)


@router.post(
    "/health/pregnancies/{pregnancy_id}/certificates",
    response={201: CertificateOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def certificate(request: HttpRequest, pregnancy_id: int, payload: CertificateIn) -> Any:
    """Record a fit-to-fly certificate for an ongoing pregnancy (medical officers)."""
    user = api_user(request)
    policy.require(user, "health.record")
    pregnancy = policy.get_object_for(user, Pregnancy, pregnancy_id)
    row = records.record_fit_to_fly_certificate(actor=user, pregnancy=pregnancy, **payload.dict())
    return Status(201, CertificateOut.from_orm(row))
