"""Walk an assessment through the flow with the real actions."""

from __future__ import annotations

import datetime as dt

from passage.core.models import User
from passage.health import actions
from passage.health.choices import AssessmentStatus, ExamType, LabResult, TbTestKind
from passage.health.models import Assessment, Clinic
from passage.registry.models import Case, Person


def cleared(
    actor: User,
    case: Case,
    person: Person,
    clinic: Clinic,
    on: dt.date,
    *,
    outcome: str = AssessmentStatus.CLEARED,
    tb_class: str = "",
) -> Assessment:
    a = actions.schedule_assessment(
        actor=actor, case=case, person=person, exam_type=ExamType.US_PANEL, clinic=clinic, on=on
    )
    actions.record_exam(actor=actor, assessment=a, examined_on=on, physician="Dr Asanova")
    actions.record_tb_test(
        actor=actor,
        assessment=a,
        kind=TbTestKind.XRAY
        if person.date_of_birth and person.date_of_birth.year < on.year - 15
        else TbTestKind.IGRA,
        collected_on=on,
        result=LabResult.NORMAL
        if person.date_of_birth and person.date_of_birth.year < on.year - 15
        else LabResult.NEGATIVE,
        result_on=on,
    )
    return actions.decide_outcome(actor=actor, assessment=a, outcome=outcome, tb_class=tb_class)
