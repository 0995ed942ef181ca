"""Read side of migration health.

* :func:`clearance_summaries` is what everyone but medical staff sees: the clearance
  status with its dates, the special-service codes and the escort need. It answers a
  batch of cases or people in a fixed number of queries.
* The medical lists (clinic day, pending results, expiring clearances) and
  :func:`health_record` are medical detail: every read of a person's record is audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from passage.core import audit, policy
from passage.core.models import User
from passage.core.policy import AnyUser
from passage.health.access import require_detail
from passage.health.choices import (
    CLEARED_STATUSES,
    AssessmentStatus,
    CheckOutcome,
    Clearance,
)
from passage.health.models import (
    Assessment,
    DepartureCheck,
    MedicalTravelRules,
    Pregnancy,
    TravelNeeds,
    Vaccination,
)
from passage.health.rules import pick_rules, pregnancy_limits
from passage.registry.models import Case, Membership, Person

A = AssessmentStatus

_STATUS_TO_CLEARANCE: dict[str, str] = {
    A.SCHEDULED: Clearance.SCHEDULED,
    A.NO_SHOW: Clearance.SCHEDULED,
    A.EXAMINED: Clearance.PENDING,
    A.RESULTS_PENDING: Clearance.PENDING,
    A.CLASS_A_HOLD: Clearance.ON_HOLD,
    A.UNFIT: Clearance.UNFIT,
    A.CLEARED: Clearance.CLEARED,
    A.CLEARED_FOLLOW_UP: Clearance.FOLLOW_UP,
}


@dataclass(frozen=True)
class Summary:
    """The clearance summary of one person: no diagnosis, only what others must know."""

    person_id: int
    status: str = Clearance.NONE
    valid_from: date | None = None
    valid_until: date | None = None
    ssr_codes: tuple[str, ...] = ()
    escort_required: bool = False
    oxygen: bool = False
    stretcher: bool = False
    medif_status: str = ""
    departure_not_before: date | None = None
    certificate_from: date | None = None
    travel_until: date | None = None
    last_check: str = ""
    case_id: int | None = None
    flags: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def label(self) -> str:
        return str(Clearance(self.status).label)

    @property
    def cleared(self) -> bool:
        return self.status in {Clearance.CLEARED, Clearance.FOLLOW_UP}


def _person_cases(
    items: Iterable[Case | int | Person],
) -> tuple[list[int], dict[int, tuple[int, str]]]:
    """Person ids, and each person's open case (id, destination), in one query."""
    cases = [i.pk for i in items if isinstance(i, Case)]
    people = [i if isinstance(i, int) else i.pk for i in items if not isinstance(i, Case)]
    condition = Q(case_id__in=cases) | Q(person_id__in=people)
    rows = Membership.objects.filter(condition, ended_at__isnull=True).values_list(
        "person_id", "case_id", "case__destination_country"
    )
    where = {person: (case, country) for person, case, country in rows}
    ids = list(dict.fromkeys([*people, *where]))
    return ids, where


def clearance_summaries(
    items: Iterable[Case | int | Person], on: date | None = None
) -> dict[int, Summary]:
    """``{person_id: Summary}`` for cases (their current members) or people; 6 queries."""
    items = list(items)
    on = on or timezone.localdate()
    ids, where = _person_cases(items)
    if not ids:
        return {}
    latest: dict[int, Assessment] = {}
    for a in (
        Assessment.objects.filter(person_id__in=ids)
        .exclude(status=A.CANCELLED)
        .order_by("person_id", "-created_at", "-id")
        .only("person_id", "status", "valid_from", "valid_until", "outcome_on", "created_at")
    ):
        latest.setdefault(a.person_id, a)
    needs = {n.person_id: n for n in TravelNeeds.objects.filter(person_id__in=ids)}
    checks: dict[int, DepartureCheck] = {}
    for c in DepartureCheck.objects.filter(person_id__in=ids).order_by(
        "person_id", "-checked_at", "-id"
    ):
        checks.setdefault(c.person_id, c)
    live: dict[int, date] = {}
    for person_id, day in Vaccination.objects.filter(
        person_id__in=ids, departure_not_before__isnull=False
    ).values_list("person_id", "departure_not_before"):
        if day is not None:
            live[person_id] = max(day, live.get(person_id, day))
    pregnancies = {
        p.person_id: p
        for p in Pregnancy.objects.filter(
            person_id__in=ids, ended_on__isnull=True, expected_delivery__gte=on
        ).order_by("person_id", "recorded_on")
    }
    rules = list(MedicalTravelRules.objects.all()) if pregnancies else []
    return {
        pid: _summary(
            pid,
            on,
            where.get(pid),
            latest.get(pid),
            needs.get(pid),
            checks.get(pid),
            live.get(pid),
            pregnancies.get(pid),
            rules,
        )
        for pid in ids
    }


def _summary(
    pid: int,
    on: date,
    case: tuple[int, str] | None,
    assessment: Assessment | None,
    needs: TravelNeeds | None,
    check: DepartureCheck | None,
    live_until: date | None,
    pregnancy: Pregnancy | None,
    rules: list[MedicalTravelRules],
) -> Summary:
    status: str = Clearance.NONE
    valid_from = valid_until = None
    if assessment is not None:
        status = _STATUS_TO_CLEARANCE.get(assessment.status, Clearance.NONE)
        if assessment.status in CLEARED_STATUSES:
            valid_from, valid_until = assessment.valid_from, assessment.valid_until
            if valid_until is not None and valid_until < on:
                status = Clearance.EXPIRED
    outcome = check.outcome if check is not None else ""
    if outcome == CheckOutcome.UNFIT and (
        assessment is None or check is None or check.checked_at >= assessment.created_at
    ):
        status = Clearance.UNFIT
    certificate_from = travel_until = None
    if pregnancy is not None:
        limits = pregnancy_limits(
            pick_rules(rules, country=case[1] if case else "", on_date=on),
            pregnancy.expected_delivery,
        )
        certificate_from, travel_until = limits.certificate_from, limits.last_travel_day
    if valid_until is not None:
        travel_until = min(filter(None, [travel_until, valid_until]))
    return Summary(
        person_id=pid,
        case_id=case[0] if case else None,
        status=status,
        valid_from=valid_from,
        valid_until=valid_until,
        ssr_codes=tuple(needs.ssr_codes) if needs else (),
        escort_required=bool(needs and needs.escort_required) or outcome == CheckOutcome.ESCORT,
        oxygen=bool(needs and needs.oxygen),
        stretcher=bool(needs and needs.stretcher),
        medif_status=needs.medif_status if needs else "",
        departure_not_before=live_until,
        certificate_from=certificate_from,
        travel_until=travel_until,
        last_check=outcome,
    )


# ---- medical lists (detail: medical staff only) -----------------------------------------


def assessments_for(user: AnyUser) -> models.QuerySet[Assessment]:
    return policy.visible_to(Assessment.objects.select_related("person", "case", "clinic"), user)


def day_list(user: AnyUser, day: date, clinic_id: int | None = None) -> list[Assessment]:
    rows = assessments_for(user).filter(scheduled_for=day).exclude(status=A.CANCELLED)
    if clinic_id:
        rows = rows.filter(clinic_id=clinic_id)
    return list(rows.order_by("clinic__name", "case__file_number", "person__latin_surname"))


def find_people(user: AnyUser, text: str, limit: int = 20) -> list[Person]:
    """People by name (either script) or case file number, to open their health record."""
    text = text.strip()
    if len(text) < 2:
        return []
    match = (
        Q(latin_surname__icontains=text)
        | Q(latin_given_names__icontains=text)
        | Q(surname__icontains=text)
        | Q(given_names__icontains=text)
        | Q(memberships__case__file_number__icontains=text, memberships__ended_at__isnull=True)
    )
    found = policy.visible_to(Person.objects.all(), user).filter(match).values("pk")
    return list(Person.objects.filter(pk__in=found).order_by("latin_surname", "id")[:limit])


def pending_results(user: AnyUser) -> list[Assessment]:
    return list(
        assessments_for(user)
        .filter(status__in=[A.EXAMINED, A.RESULTS_PENDING])
        .prefetch_related("tb_tests")
        .order_by("examined_on", "id")
    )


def expiring_clearances(user: AnyUser, days: int, on: date | None = None) -> list[Assessment]:
    """Clearances (each person's latest assessment) that end within ``days`` of ``on``."""
    on = on or timezone.localdate()
    newer = Assessment.objects.filter(
        person_id=OuterRef("person_id"), created_at__gt=OuterRef("created_at")
    ).exclude(status=A.CANCELLED)
    return list(
        assessments_for(user)
        .filter(
            status__in=list(CLEARED_STATUSES),
            valid_until__gte=on,
            valid_until__lte=on + timedelta(days=days),
        )
        .filter(~Exists(newer))
        .order_by("valid_until", "id")
    )


def audit_list_read(user: User, rows: list[Assessment], *, via: str) -> None:
    """A list of medical detail was shown: one audit event naming the people in it."""
    audit.record(
        actor=user,
        action="health.view_detail",
        object_type="health.assessment",
        object_repr=f"{via}: {len(rows)} rows",
        extra={"via": via, "people": sorted({row.person_id for row in rows})},
    )


@dataclass
class HealthRecord:
    person: Person
    case: Case | None
    assessments: list[Assessment]
    vaccinations: list[Vaccination]
    pregnancies: list[Pregnancy]
    needs: TravelNeeds | None
    checks: list[DepartureCheck]
    summary: Summary


def health_record(user: User, person_id: int, *, via: str) -> HealthRecord:
    """A person's medical detail, for medical staff; the read is written to the audit log."""
    require_detail(user)
    person = policy.get_object_for(user, Person, person_id)
    membership = (
        Membership.objects.filter(person=person, ended_at__isnull=True)
        .select_related("case")
        .first()
    )
    record = HealthRecord(
        person=person,
        case=membership.case if membership else None,
        assessments=list(
            policy.visible_to(person.assessments.all(), user)
            .select_related("clinic", "case", "reexam_of")
            .prefetch_related("tb_tests", "conditions", "treatments", "history")
        ),
        vaccinations=list(policy.visible_to(person.vaccinations.all(), user)),
        pregnancies=list(policy.visible_to(person.pregnancies.all(), user)),
        needs=policy.visible_to(TravelNeeds.objects.filter(person=person), user).first(),
        checks=list(policy.visible_to(person.departure_checks.select_related("case"), user)),
        summary=clearance_summaries([person.pk])[person.pk],
    )
    audit.record(
        actor=user,
        action="health.view_detail",
        obj=person,
        object_repr=f"person {person.pk}",
        extra={"via": via},
    )
    return record
