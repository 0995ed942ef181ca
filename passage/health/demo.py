"""Demo data of migration health: clinics, and health records that match each demo case's
step in the workflow (scheduled today, pending a culture, on hold, cleared, fit to fly),
and one travel-ready traveller in week 29 of pregnancy with a fit-to-fly certificate.

The registry's demo sets the case statuses; this one writes the records that go with
them directly (the cases are already at their step, so the actions' case moves and
embassy-request checks do not apply to seeding). Running it twice creates nothing new.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.management.base import OutputWrapper
from django.db import transaction
from django.utils import timezone

from passage.core.choices import Role
from passage.core.errors import ActionError
from passage.core.models import User
from passage.health import records
from passage.health.choices import (
    AssessmentStatus,
    CheckKind,
    CheckOutcome,
    ExamType,
    LabResult,
    TbClass,
    TbTestKind,
)
from passage.health.models import (
    Assessment,
    AssessmentStatusChange,
    Clinic,
    DepartureCheck,
    FitToFlyCertificate,
    TbTest,
    TravelNeeds,
    Treatment,
)
from passage.health.rules import age_on
from passage.profiles.queries import medical_valid_until, profile_for
from passage.registry.choices import CaseStatus, Sex
from passage.registry.models import Case, Person

A = AssessmentStatus
S = CaseStatus

# Which exam the demo's destinations use (demo data only; the form asks the physician).
DEMO_EXAM_TYPE = {"US": ExamType.US_PANEL, "CA": ExamType.CA_IME, "AU": ExamType.AU_HEALTH}

# The assessment status that goes with each case status; later steps are cleared.
STEP: dict[str, str] = {
    S.MEDICAL_SCHEDULED: A.SCHEDULED,
    S.MEDICAL_EXAMINED: A.EXAMINED,
    S.MEDICAL_PENDING: A.RESULTS_PENDING,
    S.MEDICAL_HELD: A.CLASS_A_HOLD,
    S.MEDICAL_FOLLOW_UP: A.CLEARED_FOLLOW_UP,
}
BEFORE_MEDICAL = {
    S.REFERRED, S.OPENED, S.INTERVIEW_SCHEDULED, S.INTERVIEWED, S.CONDITIONALLY_APPROVED,
    S.APPROVED, S.WITHDRAWN, S.CLOSED,
}  # fmt: skip
CLINICS = [("IOM Migration Health Assessment Centre, Bishkek", "Bishkek, Toktogul St", 12),
           ("Partner clinic, Osh", "Osh, Kurmanjan Datka St", 6)]  # fmt: skip


def load(stdout: OutputWrapper) -> int:
    clinics = [
        Clinic.objects.get_or_create(
            name=name, defaults={"address": address, "daily_capacity": cap}
        )[0]
        for name, address, cap in CLINICS
    ]
    added = 0
    today = timezone.localdate()
    cases = Case.objects.exclude(status__in=BEFORE_MEDICAL).prefetch_related("memberships__person")
    for case in cases:
        for m in case.memberships.all():
            if m.ended_at is None and not m.person.assessments.exists():
                added += _seed(case, m.person, clinics[0], today)
    added += _pregnant_traveller(today, stdout)
    stdout.write(f"  health records added: {added}")
    return added


PREGNANCY_WEEK_TODAY = 29  # week 29 or 30 on a flight in the next days: a certificate is needed


def _pregnant_traveller(today: date, stdout: OutputWrapper) -> int:
    """One travel-ready traveller in week 29, with a fit-to-fly certificate dated today.

    The movements demo books the first travel-ready cases on the first flights it can:
    on a flight within the agreement's 7 days the certificate serves; on a later one the
    booking page says from which day a new certificate is due (docs/movements.md).
    """
    if FitToFlyCertificate.objects.exists():
        return 0
    officer = User.objects.filter(role=Role.MEDICAL_OFFICER, is_active=True).order_by("pk").first()
    if officer is None:
        return 0
    for case in Case.objects.filter(status=S.TRAVEL_READY).order_by("pk"):
        for m in case.memberships.filter(ended_at__isnull=True).select_related("person"):
            person = m.person
            born = person.date_of_birth
            if person.sex != Sex.FEMALE or born is None or not 18 <= age_on(born, today) <= 42:
                continue
            expected = today + timedelta(days=280 - 7 * PREGNANCY_WEEK_TODAY - 3)
            with transaction.atomic():
                pregnancy = records.record_pregnancy(
                    actor=officer, person=person, expected_delivery=expected, recorded_on=today
                )
                records.record_fit_to_fly_certificate(
                    actor=officer,
                    pregnancy=pregnancy,
                    issued_on=today,
                    issued_by="Dr Gulnara Isakova, " + CLINICS[0][0],
                    gestation_week=PREGNANCY_WEEK_TODAY,
                    notes="Singleton pregnancy, no complications; fit to fly.",
                )
            stdout.write(
                f"  pregnant traveller (week {PREGNANCY_WEEK_TODAY}, certificate today): "
                f"case {case.file_number}"
            )
            return 2
    return 0


@transaction.atomic
def _seed(case: Case, person: Person, clinic: Clinic, today: date) -> int:
    status = STEP.get(case.status, A.CLEARED)
    examined = None if status == A.SCHEDULED else today - timedelta(days=30)
    if status in {A.EXAMINED, A.RESULTS_PENDING}:
        examined = today - timedelta(days=3)
    a = Assessment.objects.create(
        person=person, case=case, programme=case.programme,
        destination_country=case.destination_country,
        exam_type=DEMO_EXAM_TYPE.get(case.destination_country, ExamType.OTHER),
        status=status, clinic=clinic, scheduled_for=examined or today,
        physician="Dr Gulnara Isakova" if examined else "", examined_on=examined,
        forms=["DS-3025", "DS-3026"] if examined and case.destination_country == "US" else [],
        tb_class=TbClass.A if status == A.CLASS_A_HOLD else (
            TbClass.B1 if status == A.CLEARED_FOLLOW_UP else ""),
        outcome_on=examined if status in {A.CLEARED, A.CLEARED_FOLLOW_UP, A.CLASS_A_HOLD} else None,
    )  # fmt: skip
    AssessmentStatusChange.objects.create(assessment=a, to_status=status, reason="demo")
    if examined is not None:
        _tests(a, person, examined, status)
    if status in {A.CLEARED, A.CLEARED_FOLLOW_UP} and examined is not None:
        try:
            profile = profile_for(case.destination_country, case.programme, examined)
        except ActionError:
            profile = None
        if profile is not None:
            a.valid_until = medical_valid_until(
                profile, examined, tb_class_b1=status == A.CLEARED_FOLLOW_UP
            )
            a.save(update_fields=["valid_until"])
    if person.date_of_birth and age_on(person.date_of_birth, today) >= 65:
        TravelNeeds.objects.get_or_create(person=person, defaults={"ssr_codes": ["WCHR"]})
    if case.status in {S.FIT_TO_TRAVEL, S.DEPARTED}:
        departure = timezone.make_aware(datetime.combine(today + timedelta(days=1), time(6)))
        DepartureCheck.objects.create(
            person=person,
            case=case,
            kind=CheckKind.FIT_TO_FLY,
            outcome=CheckOutcome.FIT,
            checked_at=departure - timedelta(hours=30),
            departure_at=departure,
        )
    return 1


def _tests(a: Assessment, person: Person, on: date, status: str) -> None:
    adult = person.date_of_birth is None or age_on(person.date_of_birth, on) >= 15
    if status == A.CLASS_A_HOLD:
        TbTest.objects.create(
            assessment=a,
            kind=TbTestKind.SMEAR,
            collected_on=on,
            result=LabResult.POSITIVE,
            result_on=on + timedelta(days=1),
        )
        Treatment.objects.create(
            assessment=a, regimen="2HRZE/4HR", started_on=on + timedelta(days=3)
        )
        return
    if status == A.EXAMINED:
        return
    kind = TbTestKind.XRAY if adult else TbTestKind.IGRA
    abnormal = status in {A.RESULTS_PENDING, A.CLEARED_FOLLOW_UP}
    result = (LabResult.ABNORMAL if abnormal else LabResult.NORMAL) if adult else LabResult.NEGATIVE
    TbTest.objects.create(assessment=a, kind=kind, collected_on=on, result=result, result_on=on)
    if abnormal:
        TbTest.objects.create(
            assessment=a, kind=TbTestKind.CULTURE, collected_on=on,
            result=LabResult.PENDING if status == A.RESULTS_PENDING else LabResult.NEGATIVE,
            result_on=None if status == A.RESULTS_PENDING else on + timedelta(days=1),
        )  # fmt: skip
