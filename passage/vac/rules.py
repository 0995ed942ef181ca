"""The biometrics and fee rules, read from the profile in force on a day.

Nothing here writes. The rules (canada.ca, "Biometrics fees" and "Who needs to
give biometrics"): ages 14 to 79 enrol; a temporary-residence applicant whose
biometrics were taken less than 10 years ago is not enrolled or charged again;
a permanent-residence applicant enrols every time; refugees resettled from
abroad are exempt; CAD 85 a person, at most CAD 170 for a family applying
together. Every number, and which application types may reuse, is in
:class:`~passage.vac.models.VacFeeProfile`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from passage.core.errors import ActionError
from passage.vac.choices import BiometricsOutcome
from passage.vac.models import Applicant, CentreRules, VacFeeProfile

ZERO = Decimal("0.00")


def fee_profile_on(day: date) -> VacFeeProfile:
    profile = VacFeeProfile.objects.filter(effective_from__lte=day).first()
    if profile is None:
        raise ActionError(
            _("No fee profile is in force on %(day)s.") % {"day": day},
            code="no_profile",
            field="profile",
        )
    return profile


def centre_rules_on(day: date) -> CentreRules:
    rules = CentreRules.objects.filter(effective_from__lte=day).first()
    if rules is None:
        raise ActionError(
            _("No centre rules are in force on %(day)s.") % {"day": day},
            code="no_rules",
            field="rules",
        )
    return rules


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass(frozen=True)
class Decision:
    applicant: Applicant
    outcome: str
    fee: Decimal


def outcome_for(
    applicant: Applicant, application_type: str, profile: VacFeeProfile, day: date
) -> str:
    """Whether one person enrols, reuses earlier biometrics, or is exempt."""
    if profile.refugees_exempt and applicant.resettled_refugee:
        return BiometricsOutcome.EXEMPT_REFUGEE
    age = age_on(applicant.date_of_birth, day)
    if age < profile.min_age or age > profile.max_age:
        return BiometricsOutcome.EXEMPT_AGE
    earlier = applicant.previous_biometrics_on
    if (
        application_type in profile.reuse_types
        and earlier is not None
        and earlier <= day < add_years(earlier, profile.reuse_years)
    ):
        return BiometricsOutcome.REUSE
    return BiometricsOutcome.ENROL


def assess(
    applicants: list[Applicant],
    *,
    application_type: str,
    family: bool,
    profile: VacFeeProfile,
    day: date,
) -> list[Decision]:
    """Each applicant's outcome and fee; a family's fees stop at the cap."""
    remaining = profile.family_cap if family else None
    decisions = []
    for applicant in applicants:
        outcome = outcome_for(applicant, application_type, profile, day)
        fee = profile.biometric_fee if outcome == BiometricsOutcome.ENROL else ZERO
        if remaining is not None:
            fee = min(fee, remaining)
            remaining -= fee
        decisions.append(Decision(applicant, outcome, fee))
    return decisions


def total(decisions: list[Decision]) -> Decimal:
    return sum((d.fee for d in decisions), ZERO)
