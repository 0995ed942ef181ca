"""Who may read medical detail: medical officers, and a receiving state's medical staff
that an administrator granted access for their country (read-only, audited).

``health.view_detail`` is registered for medical officers and partners; a partner
passes only with an open ``MedicalAccessGrant``, and then sees only the rows of cases
bound for the granted country that their organisation sees anyway.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models

from passage.core import policy
from passage.core.choices import OrgKind
from passage.core.models import User
from passage.core.policy import AnyUser, Scope
from passage.registry.policy import case_partner_scope


def granted_countries(user: User) -> list[str]:
    from passage.health.models import MedicalAccessGrant

    org = user.organisation
    if not user.is_partner or org is None or org.kind != OrgKind.EMBASSY:
        return []
    return list(
        MedicalAccessGrant.objects.filter(user=user, revoked_at__isnull=True).values_list(
            "country", flat=True
        )
    )


def detail_allowed(user: AnyUser) -> bool:
    if not policy.has_permission(user, "health.view_detail"):
        return False
    assert isinstance(user, User)
    return not user.is_partner or bool(granted_countries(user))


def require_detail(user: AnyUser) -> None:
    if not detail_allowed(user):
        raise PermissionDenied("health.view_detail")


def granted_scope(prefix: str) -> Scope:
    """Partner scope of a detail model whose case is reached through ``prefix``."""

    def scope(queryset: models.QuerySet[Any], user: User) -> models.QuerySet[Any]:
        countries = granted_countries(user)
        if not countries:
            return queryset.none()
        from passage.registry.models import Case

        cases = Case.objects.filter(destination_country__in=countries).values("pk")
        path = prefix.removesuffix("__")
        inner = queryset.model._default_manager.filter(**{f"{path}__in": cases}).values("pk")
        return case_partner_scope(queryset.filter(pk__in=inner), user, prefix)

    return scope
