"""Who sees outbox messages.

Administrators see every message. Other mission staff see the messages queued by
someone of their own role (movement officers see the manifests movement officers
sent); partners see the ones their organisation queued. Visibility through the
related object (a case's messages to everyone who may see the case) can replace
this later.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from passage.core import policy
from passage.core.choices import Role
from passage.core.models import User
from passage.outbox.models import OutboxMessage

ALL_ROLES = frozenset(Role.values)

PERMISSIONS = {
    # Seeing a message depends on the row (see the scopes below).
    "outbox.view": ALL_ROLES,
    # The outbox page with every message, requeue.
    "outbox.manage": {Role.ADMIN},
    # Record that the receiving party confirmed a message (a manifest, a notification).
    "outbox.acknowledge": ALL_ROLES - {Role.PARTNER, Role.STATS_READER},
}


def same_role_or_all(queryset: models.QuerySet[Any], user: User) -> models.QuerySet[Any]:
    if user.role == Role.ADMIN and user.is_mission_staff:
        return queryset
    return queryset.filter(created_by__role=user.role, created_by__organisation=user.organisation)


def register() -> None:
    policy.register_permissions(PERMISSIONS)
    policy.register_model(
        OutboxMessage,
        view="outbox.view",
        staff_scope=same_role_or_all,
        partner_scope=lambda qs, user: qs.filter(created_by__organisation=user.organisation),
    )
