"""Demo caseload: about 160 cases (150 open) and 550 people at every step of the workflow.

Deterministic (seeded) and idempotent: a case whose UNHCR number exists is skipped.
Names come from the lists in ``data/``; embassy requests and UNHCR referrals too.
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.management.base import OutputWrapper
from django.utils import timezone

from passage.core import actions as core_actions
from passage.core.choices import OrgKind
from passage.core.demo import organisation
from passage.core.models import Organisation, User
from passage.profiles.choices import REFUGEE_PROGRAMMES
from passage.registry import actions, people, requests
from passage.registry.choices import CaseStatus, Priority, ReferenceKind, SubmissionCategory
from passage.registry.models import Case, CaseReference, EmbassyRequest
from passage.registry.synthetic import Family, family, weighted

SEED = 2026
CASES = 160
S = CaseStatus
REFUGEE_PATH = [
    S.REFERRED,
    S.OPENED,
    S.INTERVIEW_SCHEDULED,
    S.INTERVIEWED,
    S.APPROVED,
    S.MEDICAL_SCHEDULED,
    S.MEDICAL_EXAMINED,
    S.MEDICAL_CLEARED,
    S.CO_SCHEDULED,
    S.CO_ATTENDED,
    S.ASSURANCE_RECEIVED,
    S.DOCUMENTS_IN_PROCESS,
    S.TRAVEL_READY,
    S.BOOKING_REQUESTED,
    S.BOOKED,
    S.PARTNERS_NOTIFIED,
    S.LOAN_SIGNED,
    S.FIT_TO_TRAVEL,
    S.DEPARTED,
    S.ARRIVED,
]
MIGRANT_PATH = [
    S.OPENED,
    S.MEDICAL_SCHEDULED,
    S.MEDICAL_EXAMINED,
    S.MEDICAL_CLEARED,
    S.DOCUMENTS_IN_PROCESS,
    S.TRAVEL_READY,
    S.BOOKING_REQUESTED,
    S.BOOKED,
    S.FIT_TO_TRAVEL,
    S.DEPARTED,
    S.ARRIVED,
]
# Side branches: (the status they leave from, the status they reach).
SIDE = [
    (S.MEDICAL_EXAMINED, S.MEDICAL_PENDING),
    (S.MEDICAL_EXAMINED, S.MEDICAL_HELD),
    (S.MEDICAL_EXAMINED, S.MEDICAL_FOLLOW_UP),
    (S.BOOKED, S.POSTPONED),
    (S.FIT_TO_TRAVEL, S.NO_SHOW),
    (S.INTERVIEWED, S.CONDITIONALLY_APPROVED),
    (S.OPENED, S.WITHDRAWN),
]
EMBASSIES = [
    ("AU", "Embassy of Australia (Moscow), consular services in Bishkek"),
    ("NO", "Royal Norwegian Embassy (Astana)"),
    ("FI", "Embassy of Finland (Astana)"),
    ("NL", "Embassy of the Kingdom of the Netherlands (Astana)"),
    ("DE", "Embassy of the Federal Republic of Germany, Bishkek"),
]


def _embassy(country: str) -> Organisation | None:
    return Organisation.objects.filter(kind=OrgKind.EMBASSY, country=country).first()


def _ensure_embassies() -> None:
    for country, name in EMBASSIES:
        if not Organisation.objects.filter(name=name).exists():
            core_actions.create_organisation(
                actor=None, name=name, kind=OrgKind.EMBASSY, country=country
            )


def _path(rng: random.Random, fam: Family) -> list[str]:
    path = REFUGEE_PATH if fam.programme in REFUGEE_PROGRAMMES else MIGRANT_PATH
    # Most cases are early in the workflow; a few have arrived.
    stop = min(len(path) - 1, int(rng.triangular(0, len(path), len(path) * 0.3)))
    steps: list[str] = list(path[: stop + 1])
    if rng.random() < 0.15:
        options = [(a, b) for a, b in SIDE if a in steps]
        if options:
            at, side = rng.choice(options)
            steps = [*steps[: steps.index(at) + 1], side]
    return steps


def _create_case(i: int, fam: Family, rng: random.Random, worker: User, today: dt.date) -> Case:
    refugee = fam.programme in REFUGEE_PROGRAMMES
    unhcr = organisation("unhcr")
    steps = _path(rng, fam)
    case = actions.open_case(
        actor=worker,
        programme=fam.programme,
        destination_country=fam.destination,
        priority=weighted(rng, {Priority.NORMAL: 85, Priority.URGENT: 12, Priority.EMERGENCY: 3}),
        receiving_party=organisation("agency") if fam.destination == "US" else None,
        referred_by=unhcr if refugee else None,
        case_worker=worker,
        status=steps[0],
    )
    number = f"KGZ-26C{i:05d}"
    actions.add_reference(actor=worker, case=case, kind=ReferenceKind.UNHCR_CASE, value=number)
    for j, member in enumerate(fam.members, start=1):
        member.data.unhcr_individual_number = f"{number}-{j:02d}" if refugee else None
        person = people.create_person(
            actor=worker, data=member.data, confirmed_distinct=_all_flagged(member.data)
        )
        actions.add_member(actor=worker, case=case, person=person, relationship=member.relationship)
    if refugee:
        requests.record_referral(
            actor=worker,
            case=case,
            organisation=unhcr,
            reference=f"RRF-{number}",
            referred_on=today - dt.timedelta(days=rng.randint(60, 500)),
            priority=case.priority,
            submission_category=rng.choice(SubmissionCategory.values),
        )
    for status in steps[1:]:
        actions.transition_case(actor=worker, case=case, to=status, reason="")
    return case


def _all_flagged(data: people.PersonData) -> list[int]:
    """Demo families are generated people: a same-name match is another person."""
    from passage.registry.duplicates import find_duplicates

    return [d.person.pk for d in find_duplicates(data)]


def _requests(worker: User, today: dt.date) -> int:
    made = 0
    started = [s for s in CaseStatus.values if s not in {S.REFERRED, S.OPENED, S.WITHDRAWN}]
    for country in sorted(set(Case.objects.values_list("destination_country", flat=True))):
        embassy = _embassy(country)
        reference = f"{country}-AUTH-{today.year}-001"
        if embassy is None or EmbassyRequest.objects.filter(reference=reference).exists():
            continue
        cases = Case.objects.filter(destination_country=country, status__in=started)
        requests.create_embassy_request(
            actor=worker,
            embassy=embassy,
            reference=reference,
            issued_on=today - dt.timedelta(days=90),
            valid_from=today - dt.timedelta(days=90),
            valid_until=today + dt.timedelta(days=275),
            services=["medical", "co", "movement"],
            cases=cases,
        )
        made += 1
    return made


def load(stdout: OutputWrapper) -> dict[str, int]:
    today = timezone.localdate()
    _ensure_embassies()
    worker = User.objects.get(username="caseworker")
    rng = random.Random(SEED)  # noqa: S311 (demo data, not secrets)
    made = 0
    for i in range(1, CASES + 1):
        fam = family(rng, today)
        case_rng = random.Random(SEED * 1000 + i)  # noqa: S311 (demo data, not secrets)
        if CaseReference.objects.filter(
            kind=ReferenceKind.UNHCR_CASE, value=f"KGZ-26C{i:05d}"
        ).exists():
            continue
        _create_case(i, fam, case_rng, worker, today)
        made += 1
    made_requests = _requests(worker, today)
    stdout.write(f"registry: {made} cases, {made_requests} embassy requests added")
    return {"cases": made, "requests": made_requests}
