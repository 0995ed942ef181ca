"""The assessment flow with its refusals, and the case moving along with it."""

from __future__ import annotations

import datetime as dt

import pytest

from passage.core.errors import ActionError, ConflictError
from passage.core.models import AuditEvent
from passage.health import actions
from passage.health.choices import (
    AssessmentStatus,
    ConditionClass,
    ExamType,
    LabResult,
    TbClass,
    TbTestKind,
)
from passage.health.models import Assessment, AssessmentStatusChange, Condition, TbTest
from passage.health.tests.conftest import TODAY, Family
from passage.health.tests.helpers import cleared
from passage.registry.choices import CaseStatus
from passage.registry.models import EmbassyRequest
from passage.registry.tests.factories import CaseFactory

A = AssessmentStatus


def _schedule(personas, family: Family, person=None, on=TODAY) -> Assessment:
    return actions.schedule_assessment(
        actor=personas.medical_officer,
        case=family.case,
        person=person or family.adult,
        exam_type=ExamType.US_PANEL,
        clinic=family.clinic,
        on=on,
    )


def _examined(personas, family: Family, person=None) -> Assessment:
    a = _schedule(personas, family, person)
    return actions.record_exam(
        actor=personas.medical_officer, assessment=a, examined_on=TODAY, physician="Dr Asanova"
    )


def test_schedule_moves_case_and_audits(personas, family):
    a = _schedule(personas, family)
    assert a.status == A.SCHEDULED and a.embassy_request.startswith("REQ-")
    family.case.refresh_from_db()
    assert family.case.status == CaseStatus.MEDICAL_SCHEDULED
    assert AuditEvent.objects.filter(action="health.schedule", object_id=str(a.pk)).exists()
    assert AssessmentStatusChange.objects.filter(assessment=a, to_status=A.SCHEDULED).exists()


def test_schedule_needs_embassy_request(personas, family):
    EmbassyRequest.objects.update(medical=False)
    with pytest.raises(ActionError) as err:
        _schedule(personas, family)
    assert err.value.field == "embassy_request"
    assert not Assessment.objects.exists()


def test_schedule_outside_request_dates(personas, family):
    with pytest.raises(ActionError) as err:
        _schedule(personas, family, on=dt.date(2027, 1, 4))
    assert "not on 2027-01-04" in err.value.message


def test_schedule_refuses_non_member_and_full_clinic(personas, family):
    other = CaseFactory()
    with pytest.raises(ActionError) as err:
        actions.schedule_assessment(
            actor=personas.medical_officer,
            case=other,
            person=family.adult,
            exam_type=ExamType.US_PANEL,
            clinic=family.clinic,
            on=TODAY,
        )
    assert err.value.field == "person"
    family.clinic.daily_capacity = 1
    family.clinic.save()
    _schedule(personas, family)
    with pytest.raises(ConflictError) as full:
        _schedule(personas, family, family.child)
    assert full.value.code == "clinic_full" and full.value.field == "scheduled_for"
    assert Assessment.objects.count() == 1


def test_one_open_assessment_per_person(personas, family):
    _schedule(personas, family)
    with pytest.raises(ConflictError):
        _schedule(personas, family)


def test_no_show_and_reschedule(personas, family):
    a = _schedule(personas, family)
    actions.set_status(actor=personas.medical_officer, assessment=a, to=A.NO_SHOW)
    a = actions.reschedule(
        actor=personas.medical_officer,
        assessment=a,
        clinic=family.clinic,
        on=dt.date(2026, 3, 4),
    )
    assert a.status == A.SCHEDULED and a.scheduled_for == dt.date(2026, 3, 4)


def test_exam_requires_physician_and_past_date(personas, family):
    a = _schedule(personas, family)
    with pytest.raises(ActionError) as err:
        actions.record_exam(
            actor=personas.medical_officer, assessment=a, examined_on=TODAY, physician=" "
        )
    assert err.value.field == "physician"
    with pytest.raises(ActionError) as err:
        actions.record_exam(
            actor=personas.medical_officer,
            assessment=a,
            examined_on=TODAY + dt.timedelta(days=1),
            physician="Dr A",
        )
    assert err.value.field == "examined_on"
    a.refresh_from_db()
    assert a.status == A.SCHEDULED


def test_result_before_sample_is_refused(personas, family):
    a = _examined(personas, family)
    with pytest.raises(ActionError) as err:
        actions.record_tb_test(
            actor=personas.medical_officer,
            assessment=a,
            kind=TbTestKind.SMEAR,
            collected_on=TODAY,
            result=LabResult.NEGATIVE,
            result_on=TODAY - dt.timedelta(days=1),
        )
    assert err.value.field == "result_on" and "before the sample date" in err.value.message
    assert not TbTest.objects.exists()


def test_xray_for_child_needs_reason(personas, family):
    a = _examined(personas, family, family.child)
    with pytest.raises(ActionError) as err:
        actions.record_tb_test(
            actor=personas.medical_officer, assessment=a, kind=TbTestKind.XRAY, collected_on=TODAY
        )
    assert err.value.field == "reason" and "from age 15" in err.value.message
    assert not TbTest.objects.exists()
    actions.record_tb_test(
        actor=personas.medical_officer,
        assessment=a,
        kind=TbTestKind.XRAY,
        collected_on=TODAY,
        reason="symptoms, IGRA positive",
    )
    assert TbTest.objects.count() == 1


def test_xray_age_edge(personas, family):
    """Fifteen on the day of the X-ray is old enough; the day before is not."""
    family.child.date_of_birth = dt.date(2011, 3, 2)
    family.child.save()
    a = _examined(personas, family, family.child)
    actions.record_tb_test(
        actor=personas.medical_officer, assessment=a, kind=TbTestKind.XRAY, collected_on=TODAY
    )
    family.child.date_of_birth = dt.date(2011, 3, 3)
    family.child.save()
    with pytest.raises(ActionError):
        actions.record_tb_test(
            actor=personas.medical_officer, assessment=a, kind=TbTestKind.XRAY, collected_on=TODAY
        )


def test_igra_outside_ages_needs_reason(personas, family):
    a = _examined(personas, family)
    with pytest.raises(ActionError) as err:
        actions.record_tb_test(
            actor=personas.medical_officer, assessment=a, kind=TbTestKind.IGRA, collected_on=TODAY
        )
    assert err.value.field == "reason"


def test_wrong_result_for_test(personas, family):
    a = _examined(personas, family)
    with pytest.raises(ActionError) as err:
        actions.record_tb_test(
            actor=personas.medical_officer,
            assessment=a,
            kind=TbTestKind.XRAY,
            collected_on=TODAY,
            result=LabResult.POSITIVE,
            result_on=TODAY,
        )
    assert err.value.field == "result"


def test_pending_culture_holds_case_then_clearance(personas, family, time_machine):
    a = _examined(personas, family)
    actions.record_tb_test(
        actor=personas.medical_officer,
        assessment=a,
        kind=TbTestKind.XRAY,
        collected_on=TODAY,
        result=LabResult.ABNORMAL,
        result_on=TODAY,
    )
    culture = actions.record_tb_test(
        actor=personas.medical_officer, assessment=a, kind=TbTestKind.CULTURE, collected_on=TODAY
    )
    a.refresh_from_db()
    assert a.status == A.RESULTS_PENDING
    family.case.refresh_from_db()
    assert family.case.status == CaseStatus.MEDICAL_PENDING
    with pytest.raises(ActionError) as err:
        actions.decide_outcome(
            actor=personas.medical_officer,
            assessment=a,
            outcome=A.CLEARED_FOLLOW_UP,
            tb_class=TbClass.B1,
        )
    assert err.value.field == "results"
    time_machine.move_to(dt.datetime(2026, 4, 10, 9, tzinfo=dt.UTC), tick=False)
    actions.record_test_result(
        actor=personas.medical_officer,
        test=culture,
        result=LabResult.NEGATIVE,
        result_on=dt.date(2026, 4, 10),
    )
    a = actions.decide_outcome(
        actor=personas.medical_officer,
        assessment=a,
        outcome=A.CLEARED_FOLLOW_UP,
        tb_class=TbClass.B1,
    )
    # US: 6 months from the exam, 3 months for B1 (the shorter applies).
    assert a.valid_until == dt.date(2026, 6, 2)


def test_clearance_without_results_is_refused(personas, family):
    a = _examined(personas, family)
    with pytest.raises(ActionError) as err:
        actions.decide_outcome(actor=personas.medical_officer, assessment=a, outcome=A.CLEARED)
    assert err.value.field == "results" and "needs results" in err.value.message
    a.refresh_from_db()
    assert a.status == A.EXAMINED and a.valid_until is None


def test_class_a_hold_then_reexam(personas, family):
    a = _examined(personas, family)
    actions.record_tb_test(
        actor=personas.medical_officer,
        assessment=a,
        kind=TbTestKind.SMEAR,
        collected_on=TODAY,
        result=LabResult.POSITIVE,
        result_on=TODAY,
    )
    with pytest.raises(ActionError):
        actions.decide_outcome(
            actor=personas.medical_officer, assessment=a, outcome=A.CLEARED, tb_class=TbClass.A
        )
    with pytest.raises(ActionError):
        actions.decide_outcome(actor=personas.medical_officer, assessment=a, outcome=A.CLASS_A_HOLD)
    a = actions.decide_outcome(
        actor=personas.medical_officer, assessment=a, outcome=A.CLASS_A_HOLD, tb_class=TbClass.A
    )
    family.case.refresh_from_db()
    assert family.case.status == CaseStatus.MEDICAL_HELD
    actions.record_treatment(
        actor=personas.medical_officer, assessment=a, regimen="2HRZE/4HR", started_on=TODAY
    )
    again = actions.schedule_assessment(
        actor=personas.medical_officer,
        case=family.case,
        person=family.adult,
        exam_type=ExamType.US_PANEL,
        clinic=family.clinic,
        on=dt.date(2026, 9, 1),
        reexam_of=a,
    )
    assert again.reexam_of == a
    family.case.refresh_from_db()
    assert family.case.status == CaseStatus.MEDICAL_SCHEDULED


def test_class_a_condition_waived_can_clear(personas, family):
    a = _examined(personas, family)
    actions.record_tb_test(
        actor=personas.medical_officer,
        assessment=a,
        kind=TbTestKind.XRAY,
        collected_on=TODAY,
        result=LabResult.NORMAL,
        result_on=TODAY,
    )
    condition = actions.add_condition(
        actor=personas.medical_officer,
        assessment=a,
        condition_class=ConditionClass.A,
        description="Untreated syphilis",
    )
    with pytest.raises(ActionError):
        actions.decide_outcome(actor=personas.medical_officer, assessment=a, outcome=A.CLEARED)
    actions.grant_waiver(
        actor=personas.medical_officer, condition=condition, on=TODAY, reference="I-601 123"
    )
    a = actions.decide_outcome(actor=personas.medical_officer, assessment=a, outcome=A.CLEARED)
    assert a.status == A.CLEARED
    assert Condition.objects.get().waiver_reference == "I-601 123"


def test_family_cleared_when_every_member_is(personas, family):
    cleared(personas.medical_officer, family.case, family.adult, family.clinic, TODAY)
    family.case.refresh_from_db()
    assert family.case.status == CaseStatus.MEDICAL_EXAMINED
    cleared(personas.medical_officer, family.case, family.child, family.clinic, TODAY)
    family.case.refresh_from_db()
    assert family.case.status == CaseStatus.MEDICAL_CLEARED
    assert family.case.status_history.filter(reason__startswith="Migration health").count() == 3


def test_follow_up_needs_class_b(personas, family):
    a = _examined(personas, family)
    actions.record_tb_test(
        actor=personas.medical_officer,
        assessment=a,
        kind=TbTestKind.XRAY,
        collected_on=TODAY,
        result=LabResult.NORMAL,
        result_on=TODAY,
    )
    with pytest.raises(ActionError) as err:
        actions.decide_outcome(
            actor=personas.medical_officer, assessment=a, outcome=A.CLEARED_FOLLOW_UP
        )
    assert err.value.field == "outcome"


def test_adult_clearance_needs_a_chest_xray(personas, family):
    a = _examined(personas, family)
    actions.record_tb_test(
        actor=personas.medical_officer,
        assessment=a,
        kind=TbTestKind.IGRA,
        collected_on=TODAY,
        result=LabResult.NEGATIVE,
        result_on=TODAY,
        reason="contact tracing",
    )
    with pytest.raises(ActionError) as err:
        actions.decide_outcome(actor=personas.medical_officer, assessment=a, outcome=A.CLEARED)
    assert err.value.field == "results" and "chest X-ray" in err.value.message
    a.refresh_from_db()
    assert a.status == A.EXAMINED


def test_xray_age_follows_the_destination_rules(personas, today):
    from passage.health.tests.conftest import make_family

    fam = make_family("CA", "ca_gar")
    fam.child.date_of_birth = dt.date(2014, 3, 2)  # 12 on the exam day
    fam.child.save()
    a = _schedule(personas, fam, fam.child)
    a = actions.record_exam(
        actor=personas.medical_officer, assessment=a, examined_on=TODAY, physician="Dr A"
    )
    actions.record_tb_test(
        actor=personas.medical_officer,
        assessment=a,
        kind=TbTestKind.XRAY,
        collected_on=TODAY,
        result=LabResult.NORMAL,
        result_on=TODAY,
    )
    assert TbTest.objects.filter(assessment=a).count() == 1
