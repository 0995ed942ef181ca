"""The checks of TB tests, results and outcomes, before the actions write anything.

Each refusal is an ActionError naming the field: a result before its sample, an
X-ray or IGRA outside the age rule without a reason, a clearance without results.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core.errors import ActionError, ConflictError
from passage.health.choices import (
    LAB_RESULTS,
    XRAY_RESULTS,
    AssessmentStatus,
    ConditionClass,
    LabResult,
    TbClass,
    TbTestKind,
)
from passage.health.models import Assessment, TbTest
from passage.health.rules import age_on, rules_for

A = AssessmentStatus


def check_test(
    assessment: Assessment,
    kind: str,
    collected_on: date,
    result: str,
    result_on: date | None,
    reason: str,
) -> None:
    if kind not in TbTestKind.values:
        raise ActionError(_("Choose a test."), field="kind")
    if assessment.status not in {A.EXAMINED, A.RESULTS_PENDING}:
        raise ConflictError(_("Record the exam before its tests."), field="status")
    if collected_on > timezone.localdate():
        raise ActionError(_("The sample date is in the future."), field="collected_on")
    check_result(kind, collected_on, result, result_on)
    birth = assessment.person.date_of_birth
    if birth is None or reason.strip():
        return
    rules = rules_for(assessment.destination_country, on_date=collected_on)
    age = age_on(birth, collected_on)
    if kind == TbTestKind.XRAY and age < rules.xray_min_age:
        raise ActionError(
            _(
                "A chest X-ray is taken from age %(min)s; this person is %(age)s. "
                "Give the reason for the X-ray."
            )
            % {"min": rules.xray_min_age, "age": age},
            field="reason",
        )
    if kind == TbTestKind.IGRA and not rules.igra_min_age <= age <= rules.igra_max_age:
        raise ActionError(
            _("IGRA is for ages %(min)s to %(max)s; this person is %(age)s. Give the reason.")
            % {"min": rules.igra_min_age, "max": rules.igra_max_age, "age": age},
            field="reason",
        )


def check_result(kind: str, collected_on: date, result: str, result_on: date | None) -> None:
    if result not in LabResult.values:
        raise ActionError(_("Choose a result."), field="result")
    allowed = XRAY_RESULTS if kind == TbTestKind.XRAY else LAB_RESULTS
    if result != LabResult.PENDING and result not in allowed:
        raise ActionError(_("This result does not apply to this test."), field="result")
    if result == LabResult.PENDING and result_on is not None:
        raise ActionError(_("A pending test has no result date."), field="result_on")
    if result != LabResult.PENDING and result_on is None:
        raise ActionError(_("Give the result date."), field="result_on")
    if result_on is not None and result_on < collected_on:
        raise ActionError(
            _("The result date %(result)s is before the sample date %(sample)s.")
            % {"result": result_on.isoformat(), "sample": collected_on.isoformat()},
            field="result_on",
        )
    if result_on is not None and result_on > timezone.localdate():
        raise ActionError(_("The result date is in the future."), field="result_on")


def check_outcome(assessment: Assessment, outcome: str, tb_class: str) -> None:
    if tb_class not in TbClass.values:
        raise ActionError(_("Choose a TB class."), field="tb_class")
    if outcome not in {A.CLEARED, A.CLEARED_FOLLOW_UP, A.CLASS_A_HOLD, A.UNFIT}:
        raise ActionError(_("Choose an outcome."), field="outcome")
    tests = list(assessment.tb_tests.all())
    conditions = list(assessment.conditions.all())
    if outcome in {A.CLEARED, A.CLEARED_FOLLOW_UP}:
        if not any(t.result != LabResult.PENDING for t in tests):
            raise ActionError(
                _("A clearance needs results: record at least one TB screening result."),
                field="results",
            )
        pending = [t for t in tests if t.result == LabResult.PENDING]
        if pending:
            raise ActionError(
                _("%(test)s of %(day)s has no result yet.")
                % {"test": pending[0].get_kind_display(), "day": pending[0].collected_on},
                field="results",
            )
        _check_xray_done(assessment, tests)
        if tb_class == TbClass.A or any(
            c.condition_class == ConditionClass.A and c.waiver_granted_on is None
            for c in conditions
        ):
            raise ActionError(
                _("A Class A finding without a waiver cannot be cleared."), field="outcome"
            )
    has_b = tb_class in {TbClass.B0, TbClass.B1, TbClass.B2, TbClass.B3} or any(
        c.condition_class == ConditionClass.B for c in conditions
    )
    if outcome == A.CLEARED_FOLLOW_UP and not has_b:
        raise ActionError(_("A follow-up needs a Class B finding."), field="outcome")
    if outcome == A.CLASS_A_HOLD and not (
        tb_class == TbClass.A or any(c.condition_class == ConditionClass.A for c in conditions)
    ):
        raise ActionError(_("A hold needs a Class A finding."), field="outcome")


def _check_xray_done(assessment: Assessment, tests: list[TbTest]) -> None:
    """From the rules' X-ray age on the exam day, a clearance needs a chest X-ray result."""
    birth, examined = assessment.person.date_of_birth, assessment.examined_on
    if birth is None or examined is None:
        return
    rules = rules_for(assessment.destination_country, on_date=examined)
    if age_on(birth, examined) < rules.xray_min_age:
        return
    if not any(t.kind == TbTestKind.XRAY and t.result != LabResult.PENDING for t in tests):
        raise ActionError(
            _("A chest X-ray result is needed to clear anyone aged %(min)s or over.")
            % {"min": rules.xray_min_age},
            field="results",
        )
