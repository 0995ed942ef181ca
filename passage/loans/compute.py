"""What a loan amounts to, from a booking and the destination's profile: pure arithmetic.

A loan covers the case's own travellers (members, infants included), never the
escorts the agency books with them. Each member's fare is one line; where the
profile includes the agency's service fee, the agreement's fee is one more line per
member ticket. The total is in the agreement's (the fares') currency.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from passage.ledger.choices import EntryKind
from passage.movements.choices import TravellerRole
from passage.movements.models import Booking, Traveller
from passage.profiles.models import DestinationProfile
from passage.profiles.queries import must_sign_promissory_note
from passage.profiles.workdays import add_months

ZERO = Decimal("0.00")
LANGUAGES = ("ky", "ru")
FALLBACK_LANGUAGE = "ru"


@dataclass(frozen=True)
class Line:
    kind: str
    description: str
    amount: Decimal


def members_of(travellers: list[Traveller]) -> list[Traveller]:
    """The case's own travellers (escorts are not on the loan)."""
    return [t for t in travellers if t.role == TravellerRole.MEMBER and t.person_id is not None]


def members(booking: Booking) -> list[Traveller]:
    return members_of(list(booking.travellers.all()))


def loan_lines(booking: Booking, profile: DestinationProfile) -> list[Line]:
    """The loan's charges: each member's fare, and the agency's fee where the profile says."""
    lines: list[Line] = []
    fee = booking.agreement.service_fee
    for t in sorted(members(booking), key=lambda t: t.pk):
        name = f"{t.surname} {t.given_names}".strip()
        if t.fare > 0:
            lines.append(Line(EntryKind.CHARGE, f"Fare {t.passenger_type} {name}", t.fare))
        if profile.loan_includes_service_fee and fee > 0:
            lines.append(Line(EntryKind.FEE, f"Service fee {name}", fee))
    return lines


def total(lines: list[Line]) -> Decimal:
    return sum((line.amount for line in lines), ZERO)


def age_on(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def is_adult(profile: DestinationProfile, born: dt.date | None, on: dt.date) -> bool:
    """Whether someone signs a note on ``on``. No date of birth at all counts as an adult
    (a note is asked for, so departure waits until the date is recorded and judged)."""
    if born is None:
        return True
    return must_sign_promissory_note(profile, born, on)


def near_threshold(profile: DestinationProfile, born: dt.date, on: dt.date) -> bool:
    """An estimated date of birth within a year of the signing age either way."""
    age = profile.promissory_note_min_age
    if age is None:
        return False
    threshold = add_months(born, 12 * age)
    return abs((threshold - on).days) <= 366


def note_language(languages: list[str]) -> str:
    """The first of the traveller's languages a note is written in (the interface's ky and
    ru, or a language whose note text is data in ``note_texts``: Dari); Russian otherwise."""
    from passage.loans.note_texts import language_for

    for code in languages:
        if code.lower() in LANGUAGES:
            return code.lower()
        held = language_for(code)
        if held is not None:
            return held.code
    return FALLBACK_LANGUAGE


def repayment_starts(profile: DestinationProfile, arrival: dt.date) -> dt.date | None:
    months = profile.loan_repayment_start_months
    return add_months(arrival, months) if months else None
