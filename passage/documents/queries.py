"""Read side: the readiness board, a case's documents, expiring documents, overdue applications.

Every list starts from ``policy.visible_to``. The board computes readiness for all
its cases at once (:func:`passage.documents.readiness.readiness_for_cases`): a
fixed number of queries whatever the number of cases.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone

from passage.core import policy
from passage.core.policy import AnyUser
from passage.documents.choices import OPEN_APPLICATION_STATUSES
from passage.documents.models import ApplicationStatusChange, DocumentApplication, TravelDocument
from passage.documents.readiness import Result, readiness_for_cases
from passage.documents.rows import case_rows
from passage.registry.choices import OPEN_STATUSES, CaseStatus
from passage.registry.models import Case, Membership

# Cases still to move: open, and not yet on their way.
ACTIVE_STATUSES = frozenset(OPEN_STATUSES) - {CaseStatus.DEPARTED, CaseStatus.IN_TRANSIT}
SORTS = {
    "file": lambda r: r.case.file_number,
    "destination": lambda r: (r.case.destination_country, r.case.file_number),
    "earliest": lambda r: (r.earliest or dt.date.max, r.case.file_number),
    "window_end": lambda r: (r.result.window.end or dt.date.max, r.case.file_number),
    "blockers": lambda r: (-len(r.result.blockers), r.case.file_number),
    "status": lambda r: (r.case.status, r.case.file_number),
}


@dataclass
class BoardFilters:
    destination: str = ""
    programme: str = ""
    readiness: str = ""  # "ready", "blocked" or ""
    status: str = ""
    q: str = ""
    departure: dt.date | None = None
    sort: str = "earliest"
    descending: bool = False


@dataclass
class BoardRow:
    case: Case
    result: Result
    earliest: dt.date | None = None
    people: list[Any] = field(default_factory=list)


def board_cases(user: AnyUser, filters: BoardFilters | None = None) -> models.QuerySet[Case]:
    f = filters or BoardFilters()
    qs = policy.visible_to(Case.objects.all(), user, "documents.board").filter(
        status__in=sorted(ACTIVE_STATUSES)
    )
    if f.destination:
        qs = qs.filter(destination_country=f.destination.upper())
    if f.programme:
        qs = qs.filter(programme=f.programme)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.q:
        qs = qs.filter(file_number__icontains=f.q.strip())
    return qs


def board(
    user: AnyUser, filters: BoardFilters | None = None, *, today: dt.date | None = None
) -> list[BoardRow]:
    """The board's rows: readiness of every visible active case, filtered and sorted."""
    f = filters or BoardFilters()
    cases = case_rows(board_cases(user, f))
    results = readiness_for_cases(cases, f.departure, today=today)
    rows = [BoardRow(c, results[c.pk], results[c.pk].departure) for c in cases]
    if f.readiness == "ready":
        rows = [r for r in rows if r.result.ready]
    elif f.readiness == "blocked":
        rows = [r for r in rows if not r.result.ready]
    rows.sort(key=SORTS.get(f.sort, SORTS["earliest"]), reverse=f.descending)
    return rows


def destinations(user: AnyUser) -> list[str]:
    return list(
        policy.visible_to(Case.objects.all(), user, "documents.board")
        .filter(status__in=sorted(ACTIVE_STATUSES))
        .values_list("destination_country", flat=True)
        .distinct()
        .order_by("destination_country")
    )


def visible_documents(user: AnyUser) -> models.QuerySet[TravelDocument]:
    return policy.visible_to(TravelDocument.objects.all(), user)


def expiring_soon(
    user: AnyUser, within_days: int = 30, *, today: dt.date | None = None
) -> models.QuerySet[TravelDocument]:
    """Documents of active cases that expire in the next ``within_days`` days."""
    today = today or timezone.localdate()
    active = Membership.objects.filter(
        ended_at__isnull=True, case__status__in=sorted(ACTIVE_STATUSES)
    ).values("person_id")
    return (
        visible_documents(user)
        .filter(
            cancelled_on__isnull=True,
            expires_on__gte=today,
            expires_on__lte=today + dt.timedelta(days=within_days),
            person_id__in=active,
        )
        .select_related("person", "doc_type", "case")
        .prefetch_related(
            Prefetch(
                "person__memberships",
                queryset=Membership.objects.filter(ended_at__isnull=True).select_related("case"),
                to_attr="current",
            )
        )
        .order_by("expires_on", "id")
    )


def overdue_applications(
    user: AnyUser, *, today: dt.date | None = None
) -> models.QuerySet[DocumentApplication]:
    """Open applications whose expected decision date has passed."""
    today = today or timezone.localdate()
    return (
        policy.visible_to(DocumentApplication.objects.all(), user)
        .filter(status__in=sorted(OPEN_APPLICATION_STATUSES), expected_on__lt=today)
        .select_related("case", "person", "doc_type")
        .order_by("expected_on", "id")
    )


@dataclass
class CaseDocuments:
    case: Case
    members: list[Membership]
    documents: dict[int, list[TravelDocument]]
    family: list[TravelDocument]
    applications: list[DocumentApplication]


def case_documents(user: AnyUser, case: Case) -> CaseDocuments:
    """The documents of a case's members and the case's applications, in fixed queries."""
    members = list(
        case.memberships.filter(ended_at__isnull=True).select_related("person").order_by("id")
    )
    ids = [m.person_id for m in members]
    docs = (
        visible_documents(user)
        .filter(Q(person_id__in=ids) | Q(case=case))
        .select_related("doc_type", "person")
    )
    by_person: dict[int, list[TravelDocument]] = {pid: [] for pid in ids}
    family = []
    for doc in docs.order_by("doc_type__name", "-expires_on", "id"):
        if doc.doc_type.per_family and doc.case_id == case.pk:
            family.append(doc)
        elif doc.person_id in by_person:
            by_person[doc.person_id].append(doc)
    applications = list(
        policy.visible_to(case.document_applications.all(), user)
        .select_related("person", "doc_type", "document")
        .prefetch_related(
            Prefetch("history", queryset=ApplicationStatusChange.objects.select_related("actor"))
        )
        .order_by("-created_at", "-id")
    )
    return CaseDocuments(case, members, by_person, family, applications)
