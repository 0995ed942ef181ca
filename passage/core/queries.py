"""Read side of the core app."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models

from passage.core import policy
from passage.core.models import AuditEvent, User
from passage.core.policy import AnyUser


def audit_events(
    user: AnyUser,
    *,
    actor: str | None = None,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    **_ignored: Any,
) -> models.QuerySet[AuditEvent]:
    events = policy.visible_to(AuditEvent.objects.all(), user)
    if actor:
        events = events.filter(actor_repr__iexact=actor)
    if action:
        events = events.filter(action__startswith=action)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if since:
        events = events.filter(at__gte=since)
    if until:
        events = events.filter(at__lt=until)
    return events


def users_for(user: AnyUser) -> models.QuerySet[User]:
    return policy.visible_to(User.objects.select_related("organisation"), user).order_by(
        "organisation__name", "username"
    )
