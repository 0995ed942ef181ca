"""Writes of the assessment flow: schedule, no-show, exam, TB tests, conditions, outcome.

Every action is atomic, checks everything before writing, audits, and moves the case
through the registry's table where it allows (medical scheduled, examined, pending,
cleared, held). Other health writes are in ``passage.health.records``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core import audit
from passage.core.errors import ActionError, ConflictError
from passage.core.models import User
from passage.core.workflow import check_transition
from passage.health import checks
from passage.health.casesync import sync_case
from passage.health.choices import (
    ASSESSMENT_TRANSITIONS,
    AssessmentStatus,
    ConditionClass,
    ExamType,
    LabResult,
    TbClass,
)
from passage.health.models import (
    Assessment,
    AssessmentStatusChange,
    Clinic,
    Condition,
    TbTest,
    Treatment,
)
from passage.outbox.actions import queue_sms
from passage.profiles.queries import medical_valid_until, profile_for
from passage.profiles.workdays import add_months
from passage.registry.models import Case, Membership, Person
from passage.registry.services import require_service

A = AssessmentStatus
OPEN = frozenset({A.SCHEDULED, A.NO_SHOW, A.EXAMINED, A.RESULTS_PENDING})


def _move(assessment: Assessment, actor: User | None, to: str, reason: str = "") -> None:
    check_transition(ASSESSMENT_TRANSITIONS, AssessmentStatus, assessment.status, to)
    before = assessment.status
    assessment.status = to
    assessment.status_changed_at = timezone.now()
    AssessmentStatusChange.objects.create(
        assessment=assessment, from_status=before, to_status=to, actor=actor, reason=reason
    )


def _check_capacity(clinic: Clinic, day: date, exclude: int | None = None) -> None:
    if not clinic.active:
        raise ActionError(
            _("The clinic %(clinic)s is closed.") % {"clinic": clinic}, field="clinic"
        )
    taken = (
        Assessment.objects.select_for_update()
        .filter(clinic=clinic, scheduled_for=day)
        .exclude(status=A.CANCELLED)
        .exclude(pk=exclude or 0)
        .count()
    )
    if taken >= clinic.daily_capacity:
        raise ConflictError(
            _("%(clinic)s is full on %(day)s (%(n)s exams a day).")
            % {"clinic": clinic, "day": day.isoformat(), "n": clinic.daily_capacity},
            code="clinic_full",
            field="scheduled_for",
        )


@transaction.atomic
def schedule_assessment(
    *,
    actor: User,
    case: Case,
    person: Person,
    exam_type: str,
    clinic: Clinic,
    on: date,
    reexam_of: Assessment | None = None,
) -> Assessment:
    """Book an exam appointment for a member of a case, under the embassy's request."""
    if exam_type not in ExamType.values:
        raise ActionError(_("Choose an exam type."), field="exam_type")
    if not Membership.objects.filter(case=case, person=person, ended_at__isnull=True).exists():
        raise ActionError(
            _("%(person)s is not a member of case %(case)s.")
            % {"person": person, "case": case.file_number},
            field="person",
        )
    request = require_service(case, "medical", on)
    open_one = Assessment.objects.filter(person=person, status__in=OPEN).first()
    if open_one is not None:
        raise ConflictError(
            _("%(person)s already has an open assessment (%(status)s).")
            % {"person": person, "status": open_one.get_status_display()},
            field="person",
        )
    if reexam_of is not None and reexam_of.status != A.CLASS_A_HOLD:
        raise ActionError(_("Only an assessment on hold is examined again."), field="reexam_of")
    _check_capacity(clinic, on)
    assessment = Assessment.objects.create(
        person=person,
        case=case,
        programme=case.programme,
        destination_country=case.destination_country,
        exam_type=exam_type,
        clinic=clinic,
        scheduled_for=on,
        embassy_request=request.reference,
        reexam_of=reexam_of,
        created_by=actor,
    )
    AssessmentStatusChange.objects.create(
        assessment=assessment, from_status="", to_status=A.SCHEDULED, actor=actor
    )
    audit.record(
        actor=actor,
        action="health.schedule",
        obj=assessment,
        after=audit.snapshot(
            assessment, ["person_id", "case_id", "exam_type", "clinic_id", "scheduled_for"]
        ),
    )
    sync_case(case, actor)
    return assessment


@transaction.atomic
def reschedule(*, actor: User, assessment: Assessment, clinic: Clinic, on: date) -> Assessment:
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status not in {A.SCHEDULED, A.NO_SHOW}:
        raise ConflictError(_("Only a scheduled exam can be moved."), field="status")
    require_service(assessment.case, "medical", on)
    _check_capacity(clinic, on, exclude=assessment.pk)
    before = audit.snapshot(assessment, ["clinic_id", "scheduled_for", "status"])
    if assessment.status == A.NO_SHOW:
        _move(assessment, actor, A.SCHEDULED, _("rescheduled after a no-show"))
    assessment.clinic, assessment.scheduled_for = clinic, on
    assessment.reminder_sent_at = None
    assessment.save()
    audit.record(
        actor=actor,
        action="health.reschedule",
        obj=assessment,
        before=before,
        after=audit.snapshot(assessment, list(before)),
    )
    return assessment


@transaction.atomic
def set_status(*, actor: User, assessment: Assessment, to: str, reason: str = "") -> Assessment:
    """No-show or cancel (the exam and the outcome have their own actions)."""
    if to not in {A.NO_SHOW, A.CANCELLED}:
        raise ActionError(_("Use the exam or outcome form for this status."), field="status")
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    before = assessment.status
    _move(assessment, actor, to, reason)
    assessment.save()
    audit.record(
        actor=actor,
        action="health.status",
        obj=assessment,
        changes={"status": [before, to]},
        extra={"reason": reason},
    )
    return assessment


@transaction.atomic
def send_reminders(*, actor: User, assessments: list[Assessment]) -> tuple[int, int]:
    """Text each booked person a reminder through the outbox (sent after commit).

    The text names the clinic and the day only. Returns (reminded, without a phone);
    people without a phone number are left for a call and not marked.
    """
    now = timezone.now()
    sent = missing = 0
    for a in assessments:
        if a.status != A.SCHEDULED or a.reminder_sent_at is not None or a.clinic is None:
            continue
        phones = list(a.person.phones or [])
        if not phones:
            missing += 1
            continue
        text = _("Reminder: your appointment at %(clinic)s on %(day)s. IOM") % {
            "clinic": a.clinic.name,
            "day": a.scheduled_for.isoformat() if a.scheduled_for else "",
        }
        queue_sms(actor=actor, to=phones[0], text=text, kind="health.reminder")
        Assessment.objects.filter(pk=a.pk).update(reminder_sent_at=now)
        audit.record(
            actor=actor, action="health.remind", object_type="health.assessment",
            object_id=str(a.pk),
        )  # fmt: skip
        sent += 1
    return sent, missing


@transaction.atomic
def record_exam(
    *,
    actor: User,
    assessment: Assessment,
    examined_on: date,
    physician: str,
    forms: list[str] | None = None,
) -> Assessment:
    assessment = Assessment.objects.select_for_update().select_related("case").get(pk=assessment.pk)
    if not physician.strip():
        raise ActionError(_("Name the examining physician."), field="physician")
    if examined_on > timezone.localdate():
        raise ActionError(_("The exam date is in the future."), field="examined_on")
    require_service(assessment.case, "medical", examined_on)
    before = audit.snapshot(assessment, ["status", "examined_on", "physician", "forms"])
    _move(assessment, actor, A.EXAMINED)
    assessment.examined_on, assessment.physician = examined_on, physician.strip()
    assessment.forms = [f.strip() for f in forms or [] if f.strip()]
    assessment.save()
    audit.record(
        actor=actor,
        action="health.exam",
        obj=assessment,
        before=before,
        after=audit.snapshot(assessment, list(before)),
    )
    sync_case(assessment.case, actor)
    return assessment


@transaction.atomic
def record_tb_test(
    *,
    actor: User,
    assessment: Assessment,
    kind: str,
    collected_on: date,
    result: str = LabResult.PENDING,
    result_on: date | None = None,
    finding: str = "",
    reason: str = "",
) -> TbTest:
    assessment = (
        Assessment.objects.select_for_update()
        .select_related("person", "case")
        .get(pk=assessment.pk)
    )
    checks.check_test(assessment, kind, collected_on, result, result_on, reason)
    test = TbTest.objects.create(
        assessment=assessment,
        kind=kind,
        collected_on=collected_on,
        result=result,
        result_on=result_on,
        finding=finding.strip(),
        reason=reason.strip(),
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="health.tb_test",
        obj=test,
        after=audit.snapshot(test, ["assessment_id", "collected_on", "result_on"]),
    )
    if result == LabResult.PENDING and assessment.status == A.EXAMINED:
        _move(
            assessment,
            actor,
            A.RESULTS_PENDING,
            _("waiting on %(test)s") % {"test": test.get_kind_display()},
        )
        assessment.save()
        sync_case(assessment.case, actor)
    return test


@transaction.atomic
def record_test_result(
    *, actor: User, test: TbTest, result: str, result_on: date | None, finding: str = ""
) -> TbTest:
    test = TbTest.objects.select_for_update().select_related("assessment").get(pk=test.pk)
    if test.result != LabResult.PENDING:
        raise ConflictError(_("This test already has its result."), field="result")
    if result == LabResult.PENDING:
        raise ActionError(_("Choose a result."), field="result")
    checks.check_result(test.kind, test.collected_on, result, result_on)
    before = audit.snapshot(test, ["result_on"])
    test.result, test.result_on = result, result_on
    test.finding = finding.strip() or test.finding
    test.save()
    audit.record(
        actor=actor,
        action="health.tb_result",
        obj=test,
        before=before,
        after=audit.snapshot(test, list(before)),
    )
    return test


@transaction.atomic
def add_condition(
    *, actor: User, assessment: Assessment, condition_class: str, description: str
) -> Condition:
    if condition_class not in ConditionClass.values:
        raise ActionError(_("Choose Class A or B."), field="condition_class")
    if not description.strip():
        raise ActionError(_("Describe the condition."), field="description")
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status not in {A.EXAMINED, A.RESULTS_PENDING, A.CLASS_A_HOLD}:
        raise ConflictError(_("Record the exam before its findings."), field="status")
    row = Condition.objects.create(
        assessment=assessment, condition_class=condition_class, description=description.strip()
    )
    audit.record(
        actor=actor,
        action="health.condition",
        obj=row,
        after=audit.snapshot(row, ["assessment_id"]),
    )
    return row


@transaction.atomic
def grant_waiver(*, actor: User, condition: Condition, on: date, reference: str) -> Condition:
    if not reference.strip():
        raise ActionError(_("Give the waiver reference."), field="waiver_reference")
    if condition.waiver_granted_on is not None:
        raise ConflictError(_("The waiver is already recorded."), field="waiver_granted_on")
    condition.waiver_granted_on, condition.waiver_reference = on, reference.strip()
    condition.save(update_fields=["waiver_granted_on", "waiver_reference"])
    audit.record(
        actor=actor,
        action="health.waiver",
        obj=condition,
        after=audit.snapshot(condition, ["waiver_granted_on", "waiver_reference"]),
    )
    return condition


@transaction.atomic
def record_treatment(
    *,
    actor: User,
    assessment: Assessment,
    regimen: str,
    started_on: date,
    completed_on: date | None = None,
) -> Treatment:
    if not regimen.strip():
        raise ActionError(_("Name the treatment."), field="regimen")
    if completed_on is not None and completed_on < started_on:
        raise ActionError(_("Treatment ends before it starts."), field="completed_on")
    row = Treatment.objects.create(
        assessment=assessment,
        regimen=regimen.strip(),
        started_on=started_on,
        completed_on=completed_on,
    )
    audit.record(
        actor=actor,
        action="health.treatment",
        obj=row,
        after=audit.snapshot(row, ["assessment_id", "started_on", "completed_on"]),
    )
    return row


@transaction.atomic
def decide_outcome(
    *, actor: User, assessment: Assessment, outcome: str, tb_class: str = "", reason: str = ""
) -> Assessment:
    """Clear, hold, clear with follow-up, or find unfit; a clearance gets its validity."""
    assessment = Assessment.objects.select_for_update().select_related("case").get(pk=assessment.pk)
    checks.check_outcome(assessment, outcome, tb_class)
    check_transition(ASSESSMENT_TRANSITIONS, AssessmentStatus, assessment.status, outcome)
    values: dict[str, Any] = {"valid_from": None, "valid_until": None}
    if outcome in {A.CLEARED, A.CLEARED_FOLLOW_UP}:
        assert assessment.examined_on is not None
        profile = profile_for(
            assessment.destination_country, assessment.programme, assessment.examined_on
        )
        values["valid_until"] = medical_valid_until(
            profile, assessment.examined_on, tb_class_b1=tb_class == TbClass.B1
        )
        if profile.medical_min_months_before_departure:
            values["valid_from"] = add_months(
                assessment.examined_on, profile.medical_min_months_before_departure
            )
    before = audit.snapshot(assessment, ["status", "valid_from", "valid_until"])
    _move(assessment, actor, outcome, reason)
    assessment.tb_class = tb_class
    assessment.outcome_on = timezone.localdate()
    assessment.valid_from, assessment.valid_until = values["valid_from"], values["valid_until"]
    assessment.save()
    audit.record(
        actor=actor,
        action="health.outcome",
        obj=assessment,
        before=before,
        after=audit.snapshot(assessment, list(before)),
        extra={"reason": reason},
    )
    sync_case(assessment.case, actor)
    return assessment
