"""The core app's permissions and model rules."""

from __future__ import annotations

from typing import Any

from django.db import models

from passage.core import policy
from passage.core.choices import Role
from passage.core.models import ApiToken, AuditEvent, Job, Organisation, User

ALL_ROLES = frozenset(Role.values)

PERMISSIONS = {
    "core.home": ALL_ROLES,
    "core.admin_site": {Role.ADMIN},
    "core.view_audit": {Role.ADMIN},
    "core.export_audit": {Role.ADMIN},
    "core.manage_users": {Role.ADMIN},
    "core.manage_security": {Role.ADMIN},
    "core.use_api_tokens": ALL_ROLES,
    "core.view_jobs": ALL_ROLES,
}


def own_rows(queryset: models.QuerySet[Any], user: User, field: str) -> models.QuerySet[Any]:
    if user.role == Role.ADMIN and user.is_mission_staff:
        return queryset
    return queryset.filter(**{field: user})


def register() -> None:
    policy.register_permissions(PERMISSIONS)
    policy.register_model(AuditEvent, view="core.view_audit")
    policy.register_model(User, view="core.manage_users")
    policy.register_model(Organisation, view="core.manage_users")
    policy.register_model(
        ApiToken,
        view="core.use_api_tokens",
        staff_scope=lambda qs, user: own_rows(qs, user, "user"),
        partner_scope=lambda qs, user: qs.filter(user=user),
    )
    policy.register_model(
        Job,
        view="core.view_jobs",
        staff_scope=lambda qs, user: own_rows(qs, user, "created_by"),
        partner_scope=lambda qs, user: qs.filter(created_by=user),
    )
