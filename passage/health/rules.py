"""Medical travel rules as data: TB screening ages and the default pregnancy limits.

Destination rules (exam validity, fit-to-fly windows, vaccination rules) live in the
destination profile (``passage.profiles``). The thresholds here are screening rules
that the profiles do not hold; they sit in ``MedicalTravelRules``, versioned with a
source note. An airline's own pregnancy rule, certificate age and MEDIF validity live on
its agreement (``passage.movements``): booking applies those, not the default here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from passage.health.models import MedicalTravelRules

FULL_TERM_DAYS = 280


def _specificity(row: MedicalTravelRules, country: str) -> int | None:
    if row.country and row.country != country:
        return None
    return 1 if row.country else 0


def pick_rules(
    rows: Iterable[MedicalTravelRules], *, country: str = "", on_date: date
) -> MedicalTravelRules:
    """The most specific row in force on ``on_date`` (built-in defaults when none)."""
    best: tuple[int, date] | None = None
    chosen: MedicalTravelRules | None = None
    for row in rows:
        if row.effective_from > on_date:
            continue
        rank = _specificity(row, country.upper())
        if rank is None:
            continue
        key = (rank, row.effective_from)
        if best is None or key > best:
            best, chosen = key, row
    return chosen or MedicalTravelRules(effective_from=on_date, source_note="built-in defaults")


def rules_for(country: str = "", on_date: date | None = None) -> MedicalTravelRules:
    """One query: the rules that apply to a destination on a day."""
    return pick_rules(
        MedicalTravelRules.objects.all(), country=country, on_date=on_date or timezone.localdate()
    )


def pregnancy_week(expected_delivery: date, on: date) -> int:
    """Completed weeks of pregnancy on ``on`` (40 weeks at the expected delivery date)."""
    return (FULL_TERM_DAYS - (expected_delivery - on).days) // 7


def pregnancy_start(expected_delivery: date) -> date:
    """Day 0 of week 0 (280 days before the expected delivery date)."""
    return expected_delivery - timedelta(days=FULL_TERM_DAYS)


@dataclass(frozen=True)
class PregnancyLimits:
    certificate_from: date  # a fit-to-fly certificate is needed for departures from this day
    last_travel_day: date  # no travel after this day


def pregnancy_limits(rules: MedicalTravelRules, expected_delivery: date) -> PregnancyLimits:
    start = expected_delivery - timedelta(days=FULL_TERM_DAYS)
    return PregnancyLimits(
        certificate_from=start + timedelta(weeks=rules.pregnancy_certificate_from_week),
        last_travel_day=start + timedelta(weeks=rules.pregnancy_last_travel_week + 1, days=-1),
    )


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
