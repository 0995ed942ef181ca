"""The outbox over the API: administrators list, read and requeue messages.

No ``from __future__ import annotations`` here: ninja's pagination needs the
annotations evaluated to build its query model.
"""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from passage.core import policy
from passage.core.pagination import Pagination
from passage.core.utils import api_user
from passage.outbox import actions, queries
from passage.outbox.models import OutboxAttachment, OutboxEvent, OutboxMessage

router = Router()
TAG = "outbox"


class ErrorOut(Schema):
    code: str
    message: str


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int


class EventOut(Schema):
    at: datetime
    from_status: str
    to_status: str
    attempt: int
    note: str


class MessageOut(Schema):
    id: int
    channel: str
    kind: str
    to: list[str]
    cc: list[str]
    subject: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_error: str
    related_type: str | None
    related_id: str
    related_repr: str
    created_at: datetime
    sent_at: datetime | None
    acknowledged_at: datetime | None
    acknowledgement_note: str

    @staticmethod
    def resolve_related_type(obj: OutboxMessage) -> str | None:
        return obj.related_type.model if obj.related_type_id else None  # type: ignore[union-attr]


class MessageDetailOut(MessageOut):
    body: str
    attachments: list[AttachmentOut]
    events: list[EventOut]

    @staticmethod
    def resolve_attachments(obj: OutboxMessage) -> list[OutboxAttachment]:
        return list(obj.attachments.defer("content"))

    @staticmethod
    def resolve_events(obj: OutboxMessage) -> list[OutboxEvent]:
        return list(obj.events.all())


class OutboxFilter(Schema):
    status: str | None = None
    kind: str | None = Field(None, max_length=80)
    channel: str | None = None


@router.get("/outbox", response=list[MessageOut], summary="Outbox messages (administrators)")
@paginate(Pagination)
def list_messages(request: HttpRequest, filters: Query[OutboxFilter]) -> Any:
    user = api_user(request)
    policy.require(user, "outbox.manage")
    return queries.outbox_list(user, **filters.dict())


@router.get(
    "/outbox/{message_id}",
    response={200: MessageDetailOut, 404: ErrorOut},
    summary="One outbox message with its attempts",
)
def get_message(request: HttpRequest, message_id: int) -> Any:
    user = api_user(request)
    return policy.get_object_for(user, queries.messages_visible(user), message_id)


@router.post(
    "/outbox/{message_id}/requeue",
    response={200: MessageOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Send a failed or given-up message again (administrators)",
)
def requeue_message(request: HttpRequest, message_id: int) -> Any:
    user = api_user(request)
    message = policy.get_object_for(user, OutboxMessage, message_id, "outbox.manage")
    actions.requeue(actor=user, message=message)
    message.refresh_from_db()
    return message


class AcknowledgeIn(Schema):
    note: str = Field("", max_length=300)


@router.post(
    "/outbox/{message_id}/acknowledge",
    response={200: MessageOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Record that the receiving party confirmed the message",
)
def acknowledge_message(request: HttpRequest, message_id: int, payload: AcknowledgeIn) -> Any:
    user = api_user(request)
    message = policy.get_object_for(user, OutboxMessage, message_id, "outbox.acknowledge")
    return actions.mark_acknowledged(actor=user, message=message, note=payload.note)
