"""Read side of the outbox: the admin list, and the messages about one object."""

from __future__ import annotations

from django.db import models

from passage.core import policy
from passage.core.policy import AnyUser
from passage.outbox.models import OutboxAttachment, OutboxMessage


def messages_visible(user: AnyUser) -> models.QuerySet[OutboxMessage]:
    return policy.visible_to(
        OutboxMessage.objects.select_related("created_by", "related_type"), user
    )


def outbox_list(
    user: AnyUser,
    *,
    status: str | None = None,
    kind: str | None = None,
    channel: str | None = None,
) -> models.QuerySet[OutboxMessage]:
    rows = messages_visible(user)
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind__startswith=kind)
    if channel:
        rows = rows.filter(channel=channel)
    return rows


def messages_for(obj: models.Model, user: AnyUser | None = None) -> models.QuerySet[OutboxMessage]:
    """Messages about ``obj`` (newest first), for its page; narrowed to ``user`` when given.

    With ``user``, only the messages the policy lets that user see (see policy.py).
    """
    rows: models.QuerySet[OutboxMessage] = (
        OutboxMessage.objects.for_object(obj)
        .select_related("created_by")
        .prefetch_related(models.Prefetch("attachments", OutboxAttachment.objects.defer("content")))
    )
    if user is not None:
        rows = policy.visible_to(rows, user)
    return rows
