"""Who may see and change cases and people, and how partners are narrowed.

Other apps reuse :func:`case_partner_scope` for their own case-bound models:

    policy.register_model(Exam, view="health.view",
                          partner_scope=lambda qs, u: case_partner_scope(qs, u, "case__"))

An embassy sees the cases bound for its country, UNHCR the cases it referred, a
receiving agency the cases it receives. Airlines and other partners see none.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from passage.core import policy
from passage.core.choices import OrgKind, Role
from passage.core.models import User

CASE_READERS = frozenset(
    {
        Role.ADMIN,
        Role.CASE_WORKER,
        Role.MEDICAL_OFFICER,
        Role.CO_TRAINER,
        Role.MOVEMENT_OFFICER,
        Role.FINANCE_OFFICER,
        Role.PARTNER,
    }
)
CASE_EDITORS = frozenset({Role.ADMIN, Role.CASE_WORKER})

PERMISSIONS = {
    "registry.view_case": CASE_READERS,
    "registry.view_person": CASE_READERS,
    "registry.edit_case": CASE_EDITORS,
    "registry.edit_person": CASE_EDITORS,
    "registry.change_status": CASE_EDITORS,
    "registry.split_merge": CASE_EDITORS,
    "registry.view_request": CASE_READERS,
    "registry.manage_requests": CASE_EDITORS,
    "registry.view_referral": CASE_READERS,
    "registry.manage_referrals": CASE_EDITORS,
    "registry.import": CASE_EDITORS,
    "registry.view_audit": CASE_EDITORS,
    "registry.manage_numbering": {Role.ADMIN},
}


def partner_case_filter(user: User, prefix: str = "") -> Q | None:
    """The condition on a case (reached through ``prefix``) that a partner may see.

    ``None`` means the partner sees no case at all.
    """
    org = user.organisation
    if org is None or not user.is_partner:
        return None
    if org.kind == OrgKind.EMBASSY and org.country:
        return Q(**{f"{prefix}destination_country": org.country})
    if org.kind == OrgKind.UNHCR:
        return Q(**{f"{prefix}referred_by": org})
    if org.kind == OrgKind.AGENCY:
        return Q(**{f"{prefix}receiving_party": org})
    return None


def case_partner_scope(
    queryset: models.QuerySet[Any], user: User, prefix: str = ""
) -> models.QuerySet[Any]:
    """Narrow ``queryset`` to rows whose case (at ``prefix``) the partner may see.

    ``prefix`` is the lookup path from the queryset's model to the case, ending
    in ``__`` ("" for cases themselves, "case__", "person__memberships__case__").
    Paths through many-valued relations are applied in a subquery, so rows are
    never repeated.
    """
    condition = partner_case_filter(user)
    if condition is None:
        return queryset.none()
    from passage.registry.models import Case

    cases = Case.objects.filter(condition).values("pk")
    if not prefix:
        return queryset.filter(pk__in=cases)
    path = prefix.removesuffix("__")
    inner = queryset.model._default_manager.filter(**{f"{path}__in": cases}).values("pk")
    return queryset.filter(pk__in=inner)


def request_partner_scope(queryset: models.QuerySet[Any], user: User) -> models.QuerySet[Any]:
    """An embassy sees its own requests; other partners the requests on cases they see."""
    org = user.organisation
    if org is not None and org.kind == OrgKind.EMBASSY:
        return queryset.filter(embassy=org)
    return case_partner_scope(queryset, user, "cases__")


def register() -> None:
    from passage.registry.models import (
        Case,
        CaseReference,
        EmbassyRequest,
        NumberSequence,
        Person,
        Referral,
    )

    policy.register_permissions(PERMISSIONS)
    policy.register_model(Case, view="registry.view_case", partner_scope=case_partner_scope)
    policy.register_model(
        Person,
        view="registry.view_person",
        partner_scope=lambda qs, u: case_partner_scope(qs, u, "memberships__case__"),
    )
    policy.register_model(
        CaseReference,
        view="registry.view_case",
        partner_scope=lambda qs, u: case_partner_scope(qs, u, "case__"),
    )
    policy.register_model(
        EmbassyRequest, view="registry.view_request", partner_scope=request_partner_scope
    )
    policy.register_model(NumberSequence, view="registry.manage_numbering")
    policy.register_model(
        Referral,
        view="registry.view_referral",
        partner_scope=lambda qs, u: case_partner_scope(qs, u, "case__"),
    )
