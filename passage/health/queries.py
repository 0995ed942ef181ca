"""Read side of migration health.

* :func:`clearance_summaries` is what everyone but medical staff sees: the clearance
  status with its dates, the special-service codes and the escort need. It answers a
  batch of cases or people in a fixed number of queries.
* The medical lists (clinic day, pending results, expiring clearances) and
  :func:`health_record` are medical detail: every read of a person's record is audited.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from passage.core import audit, policy
from passage.core.models import User
from passage.core.policy import AnyUser
from passage.core.readiness import as_date, date_text, member_filter, moment_text, raw_rows
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


def clearance_status(
    on: date,
    status: str | None,
    valid_from: date | None,
    valid_until: date | None,
    created_at: Any,
    check_outcome: str,
    checked_at: Any,
) -> tuple[str, date | None, date | None]:
    """A person's clearance (status, valid from, valid until) from their latest assessment
    (``status`` None when there is none) and latest departure check."""
    clearance: str = Clearance.NONE
    if status is not None:
        clearance = _STATUS_TO_CLEARANCE.get(status, Clearance.NONE)
        if status in CLEARED_STATUSES:
            if valid_until is not None and valid_until < on:
                clearance = Clearance.EXPIRED
        else:
            valid_from = valid_until = None
    else:
        valid_from = valid_until = None
    if check_outcome == CheckOutcome.UNFIT and (
        status is None or checked_at is None or _moment(checked_at) >= _moment(created_at)
    ):
        clearance = Clearance.UNFIT
    return clearance, valid_from, valid_until


def _moment(value: Any) -> Any:
    """A datetime read raw (SQLite gives text), comparable with another one."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _travel_limits(
    on: date,
    country: str,
    valid_until: date | None,
    pregnancy: Pregnancy | None,
    rules: list[MedicalTravelRules],
) -> tuple[date | None, date | None]:
    """The fit-to-fly certificate's first day and the last travel day (pregnancy, and
    the clearance's end)."""
    certificate_from = travel_until = None
    if pregnancy is not None:
        limits = pregnancy_limits(
            pick_rules(rules, country=country, on_date=on), pregnancy.expected_delivery
        )
        certificate_from, travel_until = limits.certificate_from, limits.last_travel_day
    if valid_until is not None:
        travel_until = min(filter(None, [travel_until, valid_until]))
    return certificate_from, travel_until


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
    outcome = check.outcome if check is not None else ""
    status, valid_from, valid_until = clearance_status(
        on,
        assessment.status if assessment is not None else None,
        assessment.valid_from if assessment is not None else None,
        assessment.valid_until if assessment is not None else None,
        assessment.created_at if assessment is not None else None,
        outcome,
        check.checked_at if check is not None else None,
    )
    certificate_from, travel_until = _travel_limits(
        on, case[1] if case else "", valid_until, pregnancy, rules
    )
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


# A person's clearance for readiness: (case_id, person_id, status, valid_from, valid_until,
# departure_not_before, certificate_from, travel_until).
Window = tuple[int, int, str, date | None, date | None, date | None, date | None, date | None]


def clearance_windows(cases: Sequence[Any], on: date | None = None) -> list[Window]:
    """What readiness needs of each current member's clearance, for a batch of cases with
    their members (``active_members``): the same status and dates as
    :func:`clearance_summaries`, read as tuples in four queries (five with pregnancies)
    whatever the batch size; no travel needs, no model instances (the board asks about
    70,000 people at once)."""
    on = on or timezone.localdate()
    members = [(c.id, c.destination_country, m.person_id) for c in cases for m in c.active_members]
    if not members:
        return []
    wanted = {person for _case, _country, person in members}
    people = member_filter(cases)
    latest: dict[int, tuple[Any, ...]] = {}
    assessments = (
        Assessment.objects.filter(people)
        .exclude(status=A.CANCELLED)
        .order_by("person_id", "-created_at", "-id")
        .values_list(
            "person_id",
            "status",
            date_text("valid_from"),
            date_text("valid_until"),
            moment_text("created_at"),
        )
    )
    for row in raw_rows(assessments):
        if row[0] not in latest:
            latest[row[0]] = (row[0], row[1], as_date(row[2]), as_date(row[3]), row[4])
    checks: dict[int, tuple[Any, ...]] = {}
    rows = (
        DepartureCheck.objects.filter(people)
        .order_by("person_id", "-checked_at", "-id")
        .values_list("person_id", "outcome", moment_text("checked_at"))
    )
    for row in raw_rows(rows):
        if row[0] not in checks:
            checks[row[0]] = row
    live: dict[int, date] = {}
    vaccines = Vaccination.objects.filter(people, departure_not_before__isnull=False).values_list(
        "person_id", date_text("departure_not_before")
    )
    for person_id, raw in raw_rows(vaccines):
        day = as_date(raw)
        if day is not None:
            live[person_id] = max(day, live.get(person_id, day))
    pregnancies = {
        p.person_id: p
        for p in Pregnancy.objects.filter(
            people, ended_on__isnull=True, expected_delivery__gte=on
        ).order_by("person_id", "recorded_on")
        if p.person_id in wanted
    }
    rules = list(MedicalTravelRules.objects.all()) if pregnancies else []
    out: list[Window] = []
    none = (None, None, None, None, None)
    for case_id, country, person_id in members:
        _pid, status, valid_from, valid_until, created_at = latest.get(person_id, none)
        check = checks.get(person_id)
        clearance, valid_from, valid_until = clearance_status(
            on,
            status,
            valid_from,
            valid_until,
            created_at,
            check[1] if check is not None else "",
            check[2] if check is not None else None,
        )
        pregnancy = pregnancies.get(person_id)
        if pregnancy is None:
            certificate_from, travel_until = None, valid_until
        else:
            certificate_from, travel_until = _travel_limits(
                on, country, valid_until, pregnancy, rules
            )
        out.append(
            (
                case_id,
                person_id,
                clearance,
                valid_from,
                valid_until,
                live.get(person_id),
                certificate_from,
                travel_until,
            )
        )
    return out


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
