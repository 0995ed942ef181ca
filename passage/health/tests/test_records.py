"""Vaccinations, pregnancy, travel needs, departure checks and the rules table."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from passage.core.errors import ActionError, ConflictError
from passage.health import queries, records, rules, setup_actions
from passage.health.choices import CheckKind, CheckOutcome, Clearance, MedifStatus
from passage.health.models import DepartureCheck, MedicalTravelRules, Vaccination
from passage.health.tests.conftest import TODAY
from passage.health.tests.factories import RulesFactory
from passage.health.tests.helpers import cleared
from passage.registry.choices import CaseStatus

UTC = dt.UTC


def _vax(personas, family, **kw):
    values: dict[str, Any] = {"antigen": "mmr", "dose_number": 1, "given_on": TODAY, "live": True}
    values.update(kw)
    return records.record_vaccination(actor=personas.medical_officer, person=family.adult, **values)


def test_live_vaccine_sets_earliest_departure(personas, family):
    row = _vax(personas, family)
    assert row.antigen == "MMR" and row.departure_not_before == dt.date(2026, 3, 30)
    summary = queries.clearance_summaries([family.adult.pk])[family.adult.pk]
    assert summary.departure_not_before == dt.date(2026, 3, 30)


def test_live_vaccine_before_planned_departure(personas, family):
    with pytest.raises(ActionError) as err:
        _vax(personas, family, planned_departure=dt.date(2026, 3, 29))
    assert err.value.field == "given_on" and "28 days" in err.value.message
    assert not Vaccination.objects.exists()
    _vax(personas, family, planned_departure=dt.date(2026, 3, 30))


def test_outbreak_response_is_exempt(personas, family):
    row = _vax(personas, family, outbreak_response=True, planned_departure=dt.date(2026, 3, 5))
    assert row.departure_not_before is None


def test_dose_order(personas, family, time_machine):
    with pytest.raises(ActionError) as err:
        _vax(personas, family, dose_number=2)
    assert err.value.field == "dose_number"
    _vax(personas, family, given_on=dt.date(2026, 1, 2))
    with pytest.raises(ActionError) as early:  # 1 month after is 2026-02-02
        _vax(personas, family, dose_number=2, given_on=dt.date(2026, 2, 1))
    assert early.value.field == "given_on"
    with pytest.raises(ActionError):  # 2 months after is 2026-03-02: the 3rd is late
        time_machine.move_to(dt.datetime(2026, 3, 3, 9, tzinfo=UTC), tick=False)
        _vax(personas, family, dose_number=2, given_on=dt.date(2026, 3, 3))
    _vax(personas, family, dose_number=2, given_on=dt.date(2026, 3, 2))
    with pytest.raises(ConflictError):
        _vax(personas, family, dose_number=2, given_on=dt.date(2026, 3, 2))


def test_pregnancy_week_and_limits():
    edd = dt.date(2026, 9, 1)
    assert rules.pregnancy_week(edd, edd) == 40
    start = edd - dt.timedelta(days=280)
    assert rules.pregnancy_week(edd, start + dt.timedelta(weeks=28) - dt.timedelta(days=1)) == 27
    assert rules.pregnancy_week(edd, start + dt.timedelta(weeks=28)) == 28
    limits = rules.pregnancy_limits(MedicalTravelRules(), edd)
    assert limits.certificate_from == start + dt.timedelta(weeks=28)
    assert rules.pregnancy_week(edd, limits.last_travel_day) == 35
    assert rules.pregnancy_week(edd, limits.last_travel_day + dt.timedelta(days=1)) == 36


def test_destination_rules_win_over_defaults(db):
    RulesFactory(country="US", pregnancy_last_travel_week=32)
    assert rules.rules_for("US", dt.date(2026, 6, 1)).pregnancy_last_travel_week == 32
    assert rules.rules_for("SE", dt.date(2026, 6, 1)).pregnancy_last_travel_week == 35
    assert rules.rules_for("US", dt.date(2025, 6, 1)).pregnancy_last_travel_week == 35


def test_pregnancy_in_summary(personas, family):
    records.record_pregnancy(
        actor=personas.medical_officer, person=family.adult, expected_delivery=dt.date(2026, 9, 1)
    )
    s = queries.clearance_summaries([family.case])[family.adult.pk]
    assert s.certificate_from == dt.date(2026, 6, 9)  # 28 weeks from 2025-11-25
    assert s.travel_until == dt.date(2026, 8, 3)  # the last day of week 35
    with pytest.raises(ActionError) as err:
        records.record_pregnancy(
            actor=personas.medical_officer,
            person=family.adult,
            expected_delivery=dt.date(2026, 3, 1),
        )
    assert err.value.field == "expected_delivery"


def test_travel_needs(personas, family):
    with pytest.raises(ActionError) as err:
        records.update_travel_needs(
            actor=personas.medical_officer, person=family.adult, ssr_codes=["WCHX"]
        )
    assert err.value.field == "ssr_codes"
    with pytest.raises(ActionError) as err:
        records.update_travel_needs(
            actor=personas.medical_officer, person=family.adult, ssr_codes=[], stretcher=True
        )
    assert err.value.field == "medif_status"
    needs = records.update_travel_needs(
        actor=personas.medical_officer,
        person=family.adult,
        ssr_codes=["maas"],
        stretcher=True,
        escort_required=True,
        medif_status=MedifStatus.SUBMITTED,
        medif_date=TODAY,
    )
    assert needs.ssr_codes == ["STCR", "MEDA", "MAAS"]
    s = queries.clearance_summaries([family.adult.pk])[family.adult.pk]
    assert s.ssr_codes == ("STCR", "MEDA", "MAAS") and s.escort_required


def test_fit_to_fly_window_and_case_moves(personas, family, time_machine):
    cleared(personas.medical_officer, family.case, family.adult, family.clinic, TODAY)
    cleared(personas.medical_officer, family.case, family.child, family.clinic, TODAY)
    family.case.status = CaseStatus.BOOKED
    family.case.save()
    departure = dt.datetime(2026, 3, 6, 10, tzinfo=UTC)
    too_early = departure - dt.timedelta(hours=72, minutes=1)
    with pytest.raises(ActionError) as err:
        records.record_departure_check(
            actor=personas.medical_officer,
            case=family.case,
            person=family.adult,
            kind=CheckKind.FIT_TO_FLY,
            checked_at=too_early,
            departure_at=departure,
            outcome=CheckOutcome.FIT,
        )
    assert err.value.field == "checked_at"
    for person, at in ((family.adult, 72), (family.child, 24)):
        records.record_departure_check(
            actor=personas.medical_officer,
            case=family.case,
            person=person,
            kind=CheckKind.FIT_TO_FLY,
            checked_at=departure - dt.timedelta(hours=at),
            departure_at=departure,
            outcome=CheckOutcome.FIT,
        )
        family.case.refresh_from_db()
    assert family.case.status == CaseStatus.FIT_TO_TRAVEL
    assert DepartureCheck.objects.count() == 2


def test_unfit_postpones(personas, family):
    cleared(personas.medical_officer, family.case, family.adult, family.clinic, TODAY)
    family.case.status = CaseStatus.BOOKED
    family.case.save()
    departure = dt.datetime(2026, 3, 4, 10, tzinfo=UTC)
    records.record_departure_check(
        actor=personas.medical_officer,
        case=family.case,
        person=family.adult,
        kind=CheckKind.FIT_TO_FLY,
        checked_at=departure - dt.timedelta(hours=30),
        departure_at=departure,
        outcome=CheckOutcome.UNFIT,
    )
    family.case.refresh_from_db()
    assert family.case.status == CaseStatus.POSTPONED
    s = queries.clearance_summaries([family.adult.pk])[family.adult.pk]
    assert s.status == Clearance.UNFIT
    assert _bulk_status(family.case, family.adult.pk) == Clearance.UNFIT


def _bulk_status(case: Any, person_id: int) -> str:
    """The clearance the readiness board reads (moments compared as read raw)."""
    from django.db.models import prefetch_related_objects

    from passage.registry.queries import active_members

    prefetch_related_objects([case], active_members())
    return next(w[2] for w in queries.clearance_windows([case]) if w[1] == person_id)


def test_a_new_exam_after_an_unfit_check_clears_in_bulk_too(personas, family, time_machine):
    """The board compares the check's moment with the latest exam's as the summary does:
    an exam recorded after the unfit check clears the person again."""
    cleared(personas.medical_officer, family.case, family.adult, family.clinic, TODAY)
    departure = dt.datetime(2026, 3, 4, 10, tzinfo=UTC)
    records.record_departure_check(
        actor=personas.medical_officer,
        case=family.case,
        person=family.adult,
        kind=CheckKind.FIT_TO_FLY,
        checked_at=departure - dt.timedelta(hours=30),
        departure_at=departure,
        outcome=CheckOutcome.UNFIT,
    )
    assert _bulk_status(family.case, family.adult.pk) == Clearance.UNFIT
    time_machine.move_to(dt.datetime(2026, 3, 5, 9, tzinfo=UTC), tick=False)
    cleared(personas.medical_officer, family.case, family.adult, family.clinic, TODAY)
    summary = queries.clearance_summaries([family.adult.pk])[family.adult.pk]
    assert summary.status == Clearance.CLEARED
    assert _bulk_status(family.case, family.adult.pk) == Clearance.CLEARED


def test_screening_window(personas, family):
    family.case.status = CaseStatus.BOOKED
    family.case.save()
    departure = dt.datetime(2026, 3, 24, 10, tzinfo=UTC)  # 22 days after TODAY
    with pytest.raises(ActionError):
        records.record_departure_check(
            actor=personas.medical_officer,
            case=family.case,
            person=family.adult,
            kind=CheckKind.SCREENING,
            checked_at=dt.datetime(2026, 3, 2, 8, tzinfo=UTC),
            departure_at=departure,
            outcome=CheckOutcome.FIT,
        )
    records.record_departure_check(
        actor=personas.medical_officer,
        case=family.case,
        person=family.adult,
        kind=CheckKind.SCREENING,
        checked_at=dt.datetime(2026, 3, 2, 8, tzinfo=UTC),
        departure_at=departure - dt.timedelta(days=1),
        outcome=CheckOutcome.FIT,
    )
    family.case.refresh_from_db()
    assert family.case.status == CaseStatus.PREDEPARTURE_SCREENED


def test_rules_version(personas, today):
    with pytest.raises(ActionError) as err:
        setup_actions.create_rules_version(
            actor=personas.admin, effective_from=TODAY, source_note="x", values={"igra_min_age": 20}
        )
    assert err.value.field == "igra_min_age"
    row = setup_actions.create_rules_version(
        actor=personas.admin,
        effective_from=TODAY,
        source_note="Sweden screening 2026",
        country="se",
        values={"pregnancy_last_travel_week": 32},
    )
    assert row.country == "SE"


def test_b1_needs_screening_before_fit_to_fly(personas, family):
    from passage.health.choices import AssessmentStatus, TbClass

    cleared(
        personas.medical_officer,
        family.case,
        family.adult,
        family.clinic,
        TODAY,
        outcome=AssessmentStatus.CLEARED_FOLLOW_UP,
        tb_class=TbClass.B1,
    )
    family.case.status = CaseStatus.BOOKED
    family.case.save()
    departure = dt.datetime(2026, 3, 4, 10, tzinfo=UTC)
    fit = {"actor": personas.medical_officer, "case": family.case, "person": family.adult,
           "kind": CheckKind.FIT_TO_FLY, "checked_at": departure - dt.timedelta(hours=30),
           "departure_at": departure, "outcome": CheckOutcome.FIT}  # fmt: skip
    with pytest.raises(ActionError) as err:
        records.record_departure_check(**fit)
    assert err.value.field == "kind" and "B1" in err.value.message
    assert not DepartureCheck.objects.exists()
    records.record_departure_check(
        **{**fit, "kind": CheckKind.SCREENING, "checked_at": dt.datetime(2026, 3, 2, 8, tzinfo=UTC)}
    )
    records.record_departure_check(**fit)
    assert DepartureCheck.objects.count() == 2
