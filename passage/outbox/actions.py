"""Writes of the outbox: queue a message in the caller's transaction, acknowledge, requeue.

Other apps call :func:`queue_email` or :func:`queue_sms` inside their own action.
The row is written in that transaction, so a rolled-back action leaves no
message; delivery is triggered after commit and retried until it succeeds.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

import phonenumbers
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core import audit
from passage.core.errors import ActionError
from passage.core.models import User
from passage.core.workflow import check_transition
from passage.outbox.choices import TRANSITIONS, Channel, OutboxStatus
from passage.outbox.models import OutboxAttachment, OutboxEvent, OutboxMessage

log = logging.getLogger(__name__)

MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
Attachment = tuple[str, bytes, str]


def move(
    message: OutboxMessage,
    target: str,
    *,
    actor: User | None = None,
    note: str = "",
    **fields: Any,
) -> OutboxMessage:
    """Apply one status change through the transition table and log it on the message."""
    check_transition(TRANSITIONS, OutboxStatus, message.status, target)
    before = message.status
    now = timezone.now()
    message.status = target
    message.updated_at = now
    for name, value in fields.items():
        setattr(message, name, value)
    message.save()
    OutboxEvent.objects.create(
        message=message,
        at=now,
        from_status=before,
        to_status=target,
        attempt=message.attempts,
        note=note[:4000],
        actor=actor if actor is not None and actor.pk else None,
    )
    return message


def _schedule_delivery(message_id: int) -> None:
    """After commit, ask a worker to deliver now. The sweep is the safety net."""

    def enqueue() -> None:
        from passage.outbox.tasks import deliver

        try:
            deliver.enqueue(message_id)
        except Exception:  # the row is durable: the periodic sweep delivers it
            log.exception("could not enqueue delivery of outbox message %s", message_id)

    transaction.on_commit(enqueue)


def _related(obj: models.Model | None) -> dict[str, Any]:
    if obj is None:
        return {}
    return {
        "related_type": ContentType.objects.get_for_model(type(obj)),
        "related_id": str(obj.pk),
        "related_repr": str(obj)[:200],
    }


def _emails(values: Iterable[str], field: str) -> list[str]:
    result = []
    for value in values:
        address = (value or "").strip()
        try:
            validate_email(address)
        except ValidationError:
            raise ActionError(
                _("“%(address)s” is not an e-mail address.") % {"address": address}, field=field
            ) from None
        result.append(address)
    return result


def _check_attachments(attachments: Sequence[Attachment]) -> None:
    total = 0
    for item in attachments:
        if len(item) != 3 or not isinstance(item[1], bytes | bytearray) or not item[0]:
            raise ActionError(
                _("An attachment is a file name, its bytes and its type."), field="attachments"
            )
        total += len(item[1])
    if total > MAX_ATTACHMENT_BYTES:
        raise ActionError(_("The attachments are larger than 25 MB."), field="attachments")


def _queue(
    *,
    actor: User | None,
    channel: str,
    to: list[str],
    kind: str,
    related: models.Model | None,
    **fields: Any,
) -> OutboxMessage:
    now = timezone.now()
    message = OutboxMessage.objects.create(
        channel=channel,
        to=to,
        kind=kind[:80],
        status=OutboxStatus.QUEUED,
        next_attempt_at=now,
        created_at=now,
        updated_at=now,
        created_by=actor if actor is not None and actor.pk else None,
        **_related(related),
        **fields,
    )
    OutboxEvent.objects.create(
        message=message, at=now, to_status=OutboxStatus.QUEUED, actor=message.created_by
    )
    audit.record(
        actor=actor,
        action="outbox.queue",
        obj=message,
        extra={
            "channel": channel,
            "kind": kind,
            "to": to,
            "related": f"{message.related_type_id}:{message.related_id}"
            if related is not None
            else "",
        },
    )
    _schedule_delivery(message.pk)
    return message


@transaction.atomic
def queue_email(
    *,
    actor: User | None,
    to: list[str],
    subject: str,
    body: str,
    html: str = "",
    attachments: Sequence[Attachment] = (),
    related: models.Model | None = None,
    kind: str = "",
    cc: Sequence[str] = (),
) -> OutboxMessage:
    """Queue an e-mail; it is sent after the caller's transaction commits."""
    recipients = _emails(to, "to")
    if not recipients:
        raise ActionError(_("Give at least one recipient."), field="to")
    copies = _emails(cc, "cc")
    if not subject.strip():
        raise ActionError(_("Give the e-mail a subject."), field="subject")
    if not body.strip():
        raise ActionError(_("The message has no text."), field="body")
    _check_attachments(attachments)
    message = _queue(
        actor=actor,
        channel=Channel.EMAIL,
        to=recipients,
        kind=kind,
        related=related,
        cc=copies,
        subject=subject.strip()[:300],
        body=body,
        html=html,
    )
    OutboxAttachment.objects.bulk_create(
        [
            OutboxAttachment(
                message=message,
                filename=name[:200],
                content=bytes(content),
                content_type=content_type or "application/octet-stream",
                size=len(content),
            )
            for name, content, content_type in attachments
        ]
    )
    return message


@transaction.atomic
def queue_sms(
    *,
    actor: User | None,
    to: str,
    text: str,
    related: models.Model | None = None,
    kind: str = "",
) -> OutboxMessage:
    """Queue a text message to one phone number (international form, +…)."""
    try:
        number = phonenumbers.parse(to, None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        raise ActionError(
            _("“%(number)s” is not a phone number in international form.") % {"number": to},
            field="to",
        )
    if not text.strip():
        raise ActionError(_("The message has no text."), field="text")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return _queue(
        actor=actor, channel=Channel.SMS, to=[e164], kind=kind, related=related, body=text
    )


@transaction.atomic
def mark_acknowledged(*, actor: User, message: OutboxMessage, note: str = "") -> OutboxMessage:
    """The receiving party confirmed it got the message (a manifest, a notification)."""
    message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    move(
        message,
        OutboxStatus.ACKNOWLEDGED,
        actor=actor,
        note=note,
        acknowledged_at=timezone.now(),
        acknowledged_by=actor,
        acknowledgement_note=note.strip()[:300],
    )
    audit.record(
        actor=actor,
        action="outbox.acknowledge",
        obj=message,
        changes={"status": [OutboxStatus.SENT, OutboxStatus.ACKNOWLEDGED]},
        extra={"note": note},
    )
    return message


@transaction.atomic
def requeue(*, actor: User, message: OutboxMessage) -> OutboxMessage:
    """Send a failed or given-up message again now, with a fresh count of attempts."""
    message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    before = message.status
    move(
        message,
        OutboxStatus.QUEUED,
        actor=actor,
        note=_("Queued again by hand."),
        attempts=0,
        next_attempt_at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action="outbox.requeue",
        obj=message,
        changes={"status": [before, OutboxStatus.QUEUED]},
    )
    _schedule_delivery(message.pk)
    return message
