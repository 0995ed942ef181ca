"""Read side of the registry: case lists, the case page, people, requests, referrals.

Every list starts from ``policy.visible_to``; each loads its relations in a fixed
number of queries whatever the number of cases and members.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Prefetch, Q

from passage.core import policy
from passage.core.models import AuditEvent
from passage.core.policy import AnyUser
from passage.registry.models import (
    Case,
    CaseLink,
    CaseReference,
    EmbassyRequest,
    Membership,
    Person,
    Referral,
)
from passage.registry.services import require_service

__all__ = [
    "CaseFilters",
    "case_detail",
    "case_list",
    "people_list",
    "require_service",
    "visible_cases",
]


def active_members() -> Prefetch[Any]:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(ended_at__isnull=True).select_related("person"),
        to_attr="active_members",
    )


def visible_cases(user: AnyUser, permission: str | None = None) -> models.QuerySet[Case]:
    return policy.visible_to(Case.objects.all(), user, permission)


@dataclass
class CaseFilters:
    status: str = ""
    programme: str = ""
    destination: str = ""
    priority: str = ""
    case_worker: int | None = None
    q: str = ""
    open_only: bool = False


def case_list(user: AnyUser, filters: CaseFilters | None = None) -> models.QuerySet[Case]:
    """Cases the user sees, filtered, with case worker, principal and references loaded."""
    f = filters or CaseFilters()
    qs = visible_cases(user)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.programme:
        qs = qs.filter(programme=f.programme)
    if f.destination:
        qs = qs.filter(destination_country=f.destination.upper())
    if f.priority:
        qs = qs.filter(priority=f.priority)
    if f.case_worker:
        qs = qs.filter(case_worker_id=f.case_worker)
    if f.open_only:
        from passage.registry.choices import OPEN_STATUSES

        qs = qs.filter(status__in=sorted(OPEN_STATUSES))
    if f.q:
        qs = qs.filter(pk__in=_case_ids_matching(user, f.q))
    return qs.select_related("case_worker", "receiving_party").prefetch_related(
        active_members(), "references"
    )


def _case_ids_matching(user: AnyUser, text: str) -> models.QuerySet[Any] | list[int]:
    from passage.registry.search import search_people

    text = text.strip()
    by_number = Case.objects.filter(
        Q(file_number__iexact=text) | Q(references__value__iexact=text)
    ).values_list("pk", flat=True)
    if by_number.exists():
        return by_number
    hits = search_people(policy.visible_to(Person.objects.all(), user), text, limit=100)
    return list(
        Membership.objects.filter(
            person__in=[h.person.pk for h in hits], ended_at__isnull=True
        ).values_list("case_id", flat=True)
    )


@dataclass
class CaseDetail:
    case: Case
    members: list[Membership]
    former_members: list[Membership]
    references: list[CaseReference]
    requests: list[EmbassyRequest]
    referrals: list[Referral]
    history: list[Any]
    links: list[Any]
    audit: list[AuditEvent]


def case_queryset() -> models.QuerySet[Case]:
    return Case.objects.select_related("case_worker", "receiving_party", "referred_by")


def case_detail(case: Case, user: AnyUser) -> CaseDetail:
    """Everything the case page shows, in a fixed number of queries."""
    memberships = list(
        case.memberships.select_related("person").order_by("ended_at", "joined_at", "id")
    )
    show_audit = policy.has_permission(user, "registry.view_audit")
    return CaseDetail(
        case=case,
        members=[m for m in memberships if m.ended_at is None],
        former_members=[m for m in memberships if m.ended_at is not None],
        references=list(case.references.all()),
        requests=list(policy.visible_to(case.embassy_requests.select_related("embassy"), user)),
        referrals=list(case.referrals.select_related("organisation")),
        history=list(case.status_history.select_related("actor")),
        links=list(
            CaseLink.objects.filter(Q(source=case) | Q(target=case)).select_related(
                "source", "target"
            )
        ),
        audit=list(
            AuditEvent.objects.filter(object_type="registry.case", object_id=str(case.pk))[:50]
        )
        if show_audit
        else [],
    )


def people_list(user: AnyUser) -> models.QuerySet[Person]:
    return policy.visible_to(Person.objects.all(), user).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(ended_at__isnull=True).select_related("case"),
            to_attr="current",
        )
    )


def request_list(user: AnyUser) -> models.QuerySet[EmbassyRequest]:
    return policy.visible_to(
        EmbassyRequest.objects.select_related("embassy"), user
    ).prefetch_related(Prefetch("cases", queryset=Case.objects.only("id", "file_number")))


def referral_list(user: AnyUser) -> models.QuerySet[Referral]:
    return policy.visible_to(Referral.objects.select_related("case", "organisation"), user)
