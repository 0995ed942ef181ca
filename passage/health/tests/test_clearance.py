"""Clearance summaries and expiry for each destination profile, with fixed dates and edges."""

from __future__ import annotations

import datetime as dt

import pytest

from passage.core.errors import TransitionError
from passage.core.workflow import check_transition
from passage.health import queries
from passage.health.casesync import path_to, target_status
from passage.health.choices import (
    ASSESSMENT_TRANSITIONS,
    AssessmentStatus,
    Clearance,
    TbClass,
)
from passage.health.models import Assessment
from passage.health.tests.conftest import TODAY, make_family
from passage.health.tests.factories import AssessmentFactory
from passage.health.tests.helpers import cleared
from passage.profiles.models import DestinationProfile
from passage.registry.choices import CaseStatus, Programme

A = AssessmentStatus


def test_every_pair_of_assessment_states():
    for current in A.values:
        for target in A.values:
            if target in ASSESSMENT_TRANSITIONS[current]:
                check_transition(ASSESSMENT_TRANSITIONS, A, current, target)
            else:
                with pytest.raises(TransitionError):
                    check_transition(ASSESSMENT_TRANSITIONS, A, current, target)


# (country, programme, tb_class, exam date, valid_from, valid_until)
CASES = [
    ("US", Programme.USRAP_P1, "", TODAY, None, dt.date(2026, 9, 2)),
    ("US", Programme.USRAP_P1, TbClass.B1, TODAY, None, dt.date(2026, 6, 2)),
    ("CA", Programme.CA_GAR, "", TODAY, None, dt.date(2027, 3, 2)),
    ("AU", Programme.AU_HUMANITARIAN, "", TODAY, dt.date(2026, 6, 2), dt.date(2027, 3, 2)),
    ("SE", Programme.EU_QUOTA, "", TODAY, None, dt.date(2026, 9, 2)),
]


@pytest.mark.parametrize("country,programme,tb_class,exam,start,end", CASES)
def test_validity_from_profile(personas, today, country, programme, tb_class, exam, start, end):
    family = make_family(country, programme)
    outcome = A.CLEARED_FOLLOW_UP if tb_class else A.CLEARED
    a = cleared(
        personas.medical_officer,
        family.case,
        family.adult,
        family.clinic,
        exam,
        outcome=outcome,
        tb_class=tb_class,
    )
    assert (a.valid_from, a.valid_until) == (start, end)
    on_last = queries.clearance_summaries([family.adult.pk], on=end)[family.adult.pk]
    assert on_last.status in {Clearance.CLEARED, Clearance.FOLLOW_UP}
    day_after = queries.clearance_summaries([family.adult.pk], on=end + dt.timedelta(days=1))[
        family.adult.pk
    ]
    assert day_after.status == Clearance.EXPIRED


def test_month_end_clamps(personas, time_machine, db):
    time_machine.move_to(dt.datetime(2026, 8, 31, 9, tzinfo=dt.UTC), tick=False)
    family = make_family()
    a = cleared(
        personas.medical_officer,
        family.case,
        family.adult,
        family.clinic,
        dt.date(2026, 8, 31),
        outcome=A.CLEARED_FOLLOW_UP,
        tb_class=TbClass.B1,
    )
    assert a.valid_until == dt.date(2026, 11, 30)


def test_new_profile_version_applies_from_its_date(personas, today):
    base = DestinationProfile.objects.filter(country="US", programme="").latest("effective_from")
    base.pk = None
    base.effective_from = dt.date(2026, 3, 1)
    base.medical_validity_months = 4
    base.save()
    family = make_family()
    a = cleared(personas.medical_officer, family.case, family.adult, family.clinic, TODAY)
    assert a.valid_until == dt.date(2026, 7, 2)


def test_summary_statuses(personas, today):
    family = make_family()
    summaries = queries.clearance_summaries([family.case])
    assert {s.status for s in summaries.values()} == {Clearance.NONE}
    AssessmentFactory(person=family.adult, case=family.case, status=A.RESULTS_PENDING)
    AssessmentFactory(person=family.child, case=family.case, status=A.CLASS_A_HOLD)
    summaries = queries.clearance_summaries([family.case])
    assert summaries[family.adult.pk].status == Clearance.PENDING
    assert summaries[family.child.pk].status == Clearance.ON_HOLD
    assert summaries[family.child.pk].case_id == family.case.pk


def test_summaries_in_fixed_queries(personas, today, django_assert_num_queries):
    families = [make_family() for _ in range(3)]
    for f in families:
        cleared(personas.medical_officer, f.case, f.adult, f.clinic, TODAY)
    with django_assert_num_queries(6):
        result = queries.clearance_summaries([f.case for f in families])
    assert len(result) == 6
    more = [make_family() for _ in range(3)]
    with django_assert_num_queries(6):
        result = queries.clearance_summaries([f.case for f in families + more])
    assert len(result) == 12


def test_target_status_and_paths():
    assert target_status([A.CLEARED, None]) == CaseStatus.MEDICAL_EXAMINED
    assert target_status([A.CLEARED, A.CLEARED_FOLLOW_UP]) == CaseStatus.MEDICAL_FOLLOW_UP
    assert target_status([A.UNFIT, A.CLEARED]) == CaseStatus.MEDICAL_HELD
    assert target_status([None, None]) is None
    assert path_to(CaseStatus.MEDICAL_SCHEDULED, CaseStatus.MEDICAL_CLEARED) == [
        CaseStatus.MEDICAL_EXAMINED,
        CaseStatus.MEDICAL_CLEARED,
    ]
    assert path_to(CaseStatus.BOOKED, CaseStatus.MEDICAL_SCHEDULED) == []


def test_expiring_lists_latest_only(personas, today):
    family = make_family()
    a = cleared(personas.medical_officer, family.case, family.adult, family.clinic, TODAY)
    user = personas.medical_officer
    end = a.valid_until
    assert end is not None
    on = end - dt.timedelta(days=20)
    assert [x.pk for x in queries.expiring_clearances(user, 30, on)] == [a.pk]
    assert [x.pk for x in queries.expiring_clearances(user, 30, end - dt.timedelta(days=30))] == [
        a.pk
    ]
    assert queries.expiring_clearances(user, 30, end - dt.timedelta(days=31)) == []
    assert queries.expiring_clearances(personas.admin, 30, on) == []
    assert Assessment.objects.count() == 1


def test_every_shipped_profile(personas, today):
    """Each profile in force: the clearance runs to its last valid day, and expires after."""
    from passage.profiles.queries import profile_for
    from passage.profiles.workdays import add_months

    keys = sorted(
        set(DestinationProfile.objects.filter(effective_from__lte=TODAY).values_list(
            "country", "programme"))
    )  # fmt: skip
    assert len(keys) >= 15
    for country, programme in keys:
        profile = profile_for(country, programme or None, TODAY)
        family = make_family(country, programme or Programme.EU_QUOTA)
        a = cleared(personas.medical_officer, family.case, family.adult, family.clinic, TODAY)
        months = profile.medical_validity_months
        assert a.valid_until == (add_months(TODAY, months) if months else None), country
        if a.valid_until is None:
            continue
        last = queries.clearance_summaries([family.adult.pk], on=a.valid_until)
        after = queries.clearance_summaries(
            [family.adult.pk], on=a.valid_until + dt.timedelta(days=1)
        )
        assert last[family.adult.pk].status == Clearance.CLEARED, country
        assert after[family.adult.pk].status == Clearance.EXPIRED, country
