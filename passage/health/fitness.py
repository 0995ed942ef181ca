"""Pregnancy fitness to fly, for the airline rule: the need-to-know-safe read for movements.

An airline's pregnancy rule (on the agreement, ``passage.movements``) needs three facts
about a traveller on the travel date, and nothing else: that she is pregnant, the
completed week of pregnancy on that date, and the latest fit-to-fly certificate (its
issue date, and the last travel day it states, if any). ``pregnancy_fitness`` gives
exactly those for a batch of people in two queries, whatever the batch size. It does
not give the expected delivery date, the clinic, the physician or any note.

Movement officers learn these facts through the refusal sentences of booking and the
departure day ("… will be in week 37 on 12 May …"); they never open the health record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from passage.health.models import FitToFlyCertificate, Pregnancy
from passage.health.rules import pregnancy_week


@dataclass(frozen=True)
class PregnancyFitness:
    person_id: int
    week: int  # completed weeks of pregnancy on the travel date (40 at the expected date)
    certificate_issued_on: date | None  # the latest certificate issued on or before that date
    certificate_valid_until: date | None  # the last travel day the certificate states


def pregnancy_fitness(person_ids: Iterable[int], on: date) -> dict[int, PregnancyFitness]:
    """``{person_id: PregnancyFitness}`` for the people with an ongoing pregnancy, on the
    travel date ``on``. People who are not pregnant are absent. Two queries."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    pregnancies: dict[int, tuple[int, date]] = {}
    rows = Pregnancy.objects.filter(person_id__in=ids, ended_on__isnull=True).order_by(
        "person_id", "-recorded_on", "-id"
    )
    for pk, person_id, expected in rows.values_list("pk", "person_id", "expected_delivery"):
        pregnancies.setdefault(person_id, (pk, expected))
    if not pregnancies:
        return {}
    latest: dict[int, tuple[date, date | None]] = {}
    certificates = FitToFlyCertificate.objects.filter(
        pregnancy_id__in=[pk for pk, _ in pregnancies.values()], issued_on__lte=on
    ).order_by("pregnancy_id", "-issued_on", "-id")
    for pregnancy_id, issued_on, valid_until in certificates.values_list(
        "pregnancy_id", "issued_on", "valid_until"
    ):
        latest.setdefault(pregnancy_id, (issued_on, valid_until))
    found = {}
    for person_id, (pk, expected) in pregnancies.items():
        certificate = latest.get(pk)
        found[person_id] = PregnancyFitness(
            person_id=person_id,
            week=pregnancy_week(expected, on),
            certificate_issued_on=certificate[0] if certificate else None,
            certificate_valid_until=certificate[1] if certificate else None,
        )
    return found
