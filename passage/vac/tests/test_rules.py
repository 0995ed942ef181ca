"""The biometrics and fee rules at their edges, on a fixed day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from passage.core.errors import ActionError
from passage.vac import rules
from passage.vac.choices import ApplicationType, BiometricsOutcome
from passage.vac.models import Applicant, VacFeeProfile
from passage.vac.tests.factories import FeeProfileFactory

TODAY = dt.date(2026, 11, 30)
ENROL, REUSE = BiometricsOutcome.ENROL, BiometricsOutcome.REUSE
AGE, REFUGEE = BiometricsOutcome.EXEMPT_AGE, BiometricsOutcome.EXEMPT_REFUGEE


def person(born: dt.date = dt.date(1990, 1, 1), **kw: object) -> Applicant:
    return Applicant(given_names="A", family_name="B", date_of_birth=born, **kw)


def profile() -> VacFeeProfile:
    return VacFeeProfile(effective_from=dt.date(2020, 1, 1), source_note="canada.ca")


@pytest.mark.parametrize(
    ("born", "expected"),
    [
        (dt.date(2012, 12, 1), AGE),  # 13, turns 14 tomorrow
        (dt.date(2012, 11, 30), ENROL),  # 14 today
        (dt.date(1947, 11, 30), ENROL),  # 79 today
        (dt.date(1946, 12, 1), ENROL),  # 79, turns 80 tomorrow
        (dt.date(1946, 11, 30), AGE),  # 80 today
    ],
)
def test_ages_14_to_79_enrol(born, expected):
    assert rules.outcome_for(person(born), ApplicationType.VISITOR, profile(), TODAY) == expected


@pytest.mark.parametrize(
    ("earlier", "expected"),
    [
        (dt.date(2016, 12, 1), REUSE),  # 10 years less a day ago
        (dt.date(2016, 11, 30), ENROL),  # exactly 10 years ago: expired
        (dt.date(2026, 11, 30), REUSE),  # enrolled this morning
        (None, ENROL),
    ],
)
def test_temporary_residence_reuses_biometrics_for_ten_years(earlier, expected):
    for kind in (ApplicationType.VISITOR, ApplicationType.STUDY, ApplicationType.WORK):
        applicant = person(previous_biometrics_on=earlier)
        assert rules.outcome_for(applicant, kind, profile(), TODAY) == expected


def test_permanent_residence_enrols_every_time():
    applicant = person(previous_biometrics_on=dt.date(2025, 1, 1))
    assert rules.outcome_for(applicant, ApplicationType.PERMANENT, profile(), TODAY) == ENROL
    assert rules.outcome_for(applicant, ApplicationType.OTHER, profile(), TODAY) == ENROL


def test_resettled_refugees_are_exempt_whatever_their_age():
    for born in (dt.date(1990, 1, 1), dt.date(2020, 1, 1)):
        applicant = person(born, resettled_refugee=True)
        assert rules.outcome_for(applicant, ApplicationType.PERMANENT, profile(), TODAY) == REFUGEE


@pytest.mark.parametrize(
    ("count", "family", "total"),
    [
        (1, False, "85.00"),
        (2, True, "170.00"),
        (3, True, "170.00"),  # 255 capped at 170
        (4, True, "170.00"),
        (3, False, "255.00"),  # three people not applying together pay each
    ],
)
def test_family_cap(count, family, total):
    people = [person() for _ in range(count)]
    decisions = rules.assess(
        people,
        application_type=ApplicationType.VISITOR,
        family=family,
        profile=profile(),
        day=TODAY,
    )
    assert rules.total(decisions) == Decimal(total)
    assert all(d.outcome == ENROL for d in decisions)


def test_family_cap_counts_only_those_who_enrol():
    people = [person(), person(dt.date(2020, 1, 1)), person(previous_biometrics_on=TODAY)]
    decisions = rules.assess(
        people, application_type=ApplicationType.VISITOR, family=True, profile=profile(), day=TODAY
    )
    assert [d.outcome for d in decisions] == [ENROL, AGE, REUSE]
    assert [d.fee for d in decisions] == [Decimal("85.00"), 0, 0]


def test_rules_are_data_a_new_profile_changes_the_fee():
    changed = profile()
    changed.biometric_fee, changed.family_cap, changed.min_age = (
        Decimal("90.00"),
        Decimal("180.00"),
        15,
    )
    assert (
        rules.outcome_for(person(dt.date(2012, 11, 30)), ApplicationType.VISITOR, changed, TODAY)
        == AGE
    )
    decisions = rules.assess(
        [person(), person(), person()],
        application_type="visitor",
        family=True,
        profile=changed,
        day=TODAY,
    )
    assert rules.total(decisions) == Decimal("180.00")


@pytest.mark.django_db
def test_the_profile_in_force_is_the_latest_effective_one():
    old = FeeProfileFactory(effective_from=dt.date(2020, 1, 1))
    new = FeeProfileFactory(effective_from=dt.date(2027, 1, 1), biometric_fee=Decimal("90"))
    with time_machine.travel(dt.datetime(2026, 12, 31, 12, tzinfo=dt.UTC)):
        assert rules.fee_profile_on(dt.date(2026, 12, 31)) == old
    assert rules.fee_profile_on(dt.date(2027, 1, 1)) == new
    with pytest.raises(ActionError):
        rules.fee_profile_on(dt.date(2019, 12, 31))


def test_leap_day_reuse():
    assert rules.add_years(dt.date(2016, 2, 29), 10) == dt.date(2026, 2, 28)
