"""The airline agreement's pregnancy rule, applied to a booking and on the departure day.

The agreement is the one source of truth for an airline: a fit-to-fly certificate is
needed from week ``pregnancy_certificate_from_week``, dated at most
``pregnancy_certificate_max_days`` days before the flight (and not past the last travel
day it states), and nobody is carried from week ``pregnancy_last_week``. Weeks are
completed weeks on the flight date (40 at the expected delivery date), as the health
app counts them. Movements learns only the week and the certificate's dates
(``sources.pregnancy`` → ``passage.health.fitness``).

A certificate cannot be dated before it is issued: while the flight is more than
``pregnancy_certificate_max_days`` days away, no certificate can satisfy the rule yet,
so booking goes ahead and says the certificate is due; from the day the window opens,
booking and rebooking refuse without one, and the departure day always refuses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from passage.movements import sources
from passage.movements.models import Agreement

CODE = "pregnancy"


@dataclass(frozen=True)
class Finding:
    person_id: int
    message: str
    blocking: bool  # False: a certificate is due but cannot be issued yet


def _day(value: dt.date) -> str:
    return date_format(value, "j E Y")


def _certificate_ok(facts: sources.PregnancyFacts, travel: dt.date, days: int) -> bool:
    issued, until = facts.certificate_issued_on, facts.certificate_valid_until
    if issued is None or not travel - dt.timedelta(days=days) <= issued <= travel:
        return False
    return until is None or until >= travel


def _latest(facts: sources.PregnancyFacts) -> str:
    if facts.certificate_issued_on is None:
        return _("No certificate is recorded.")
    text = _("The latest is dated %(date)s.") % {"date": _day(facts.certificate_issued_on)}
    if facts.certificate_valid_until is not None:
        text += " " + _("It states travel until %(date)s.") % {
            "date": _day(facts.certificate_valid_until)
        }
    return text


def findings(
    agreement: Agreement,
    people: Sequence[tuple[int, str]],
    travel: dt.date,
    *,
    departure_day: bool = False,
    today: dt.date | None = None,
) -> list[Finding]:
    """What the agreement's pregnancy rule says about each of ``people`` (person id, name)
    flying on ``travel``. On the departure day every finding blocks."""
    today = today or timezone.localdate()
    names = dict(people)
    days = agreement.pregnancy_certificate_max_days
    found: list[Finding] = []
    for pid, facts in sources.pregnancy(list(names), travel).items():
        values = {
            "who": names[pid],
            "week": facts.week,
            "date": _day(travel),
            "airline": agreement.airline.name,
            "last": agreement.pregnancy_last_week,
            "days": days,
        }
        if facts.week >= agreement.pregnancy_last_week:
            message = _(
                "%(who)s will be in week %(week)d of pregnancy on %(date)s; %(airline)s "
                "carries no one from week %(last)d."
            )
            found.append(Finding(pid, message % values, True))
            continue
        if facts.week < agreement.pregnancy_certificate_from_week:
            continue
        if _certificate_ok(facts, travel, days):
            continue
        opens = travel - dt.timedelta(days=days)
        if not departure_day and today < opens:
            message = _(
                "%(who)s will be in week %(week)d of pregnancy on %(date)s: a fit-to-fly "
                "certificate dated %(opens)s or later is due before departure."
            )
            found.append(Finding(pid, message % (values | {"opens": _day(opens)}), False))
            continue
        message = _(
            "%(who)s is in week %(week)d of pregnancy on the flight date: a fit-to-fly "
            "certificate dated at most %(days)d days before %(date)s is needed."
        )
        found.append(Finding(pid, f"{message % values} {_latest(facts)}", True))
    return found


def refusals(
    agreement: Agreement,
    people: Sequence[tuple[int, str]],
    travel: dt.date,
    *,
    departure_day: bool = False,
) -> list[str]:
    return [
        f.message
        for f in findings(agreement, people, travel, departure_day=departure_day)
        if f.blocking
    ]


def notes(agreement: Agreement, people: Sequence[tuple[int, str]], travel: dt.date) -> list[str]:
    """The certificates still due (not yet blocking), for the booking page."""
    return [f.message for f in findings(agreement, people, travel) if not f.blocking]
