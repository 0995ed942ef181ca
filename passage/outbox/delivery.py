"""Delivery of outbox messages: claim, send, record; retries with exponential back-off.

A message is claimed by one worker in a short transaction (a conditional update
from a due status to ``sending``; on PostgreSQL the candidates are also read
with ``SELECT … FOR UPDATE SKIP LOCKED``), then sent with no transaction open,
then its result is recorded. Two workers never send one message twice. A worker
that dies while sending leaves the message in ``sending``; after
``OUTBOX_STALE_SECONDS`` the sweep marks it failed and it is sent again (at least
once, rather than never).

Settings (all optional): ``OUTBOX_MAX_ATTEMPTS`` (8), ``OUTBOX_RETRY_BASE_SECONDS``
(60), ``OUTBOX_RETRY_MAX_SECONDS`` (21600), ``OUTBOX_STALE_SECONDS`` (900),
``OUTBOX_SMS_SENDER``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.outbox import sms
from passage.outbox.actions import move
from passage.outbox.choices import DUE_STATUSES, TRANSITIONS, Channel, OutboxStatus
from passage.outbox.models import OutboxEvent, OutboxMessage

log = logging.getLogger(__name__)


def max_attempts() -> int:
    return int(getattr(settings, "OUTBOX_MAX_ATTEMPTS", 8))


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: base × 2^(attempts−1), capped."""
    base = float(getattr(settings, "OUTBOX_RETRY_BASE_SECONDS", 60))
    cap = float(getattr(settings, "OUTBOX_RETRY_MAX_SECONDS", 6 * 3600))
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def _due(now: datetime) -> dict[str, object]:
    return {"status__in": DUE_STATUSES, "next_attempt_at__lte": now}


def claim(message_id: int, now: datetime | None = None) -> OutboxMessage | None:
    """Take a due message for this worker, or None if it is not due or another has it."""
    now = now or timezone.now()
    with transaction.atomic():
        candidates = OutboxMessage.objects.filter(pk=message_id, **_due(now))
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        message = candidates.first()
        if message is None:
            return None
        assert OutboxStatus.SENDING in TRANSITIONS[message.status]
        taken = OutboxMessage.objects.filter(pk=message.pk, status=message.status).update(
            status=OutboxStatus.SENDING,
            claimed_at=now,
            updated_at=now,
            attempts=F("attempts") + 1,
        )
        if not taken:
            return None
        OutboxEvent.objects.create(
            message=message,
            at=now,
            from_status=message.status,
            to_status=OutboxStatus.SENDING,
            attempt=message.attempts + 1,
        )
    message.refresh_from_db()
    return message


def _send_email(message: OutboxMessage) -> str:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=message.to,
        cc=message.cc,
        headers={"X-Passage-Outbox-Id": str(message.pk)},
        connection=get_connection(fail_silently=False),
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    for attachment in message.attachments.all():
        email.attach(attachment.filename, bytes(attachment.content), attachment.content_type)
    email.send(fail_silently=False)
    return _("Sent to %(to)s.") % {"to": ", ".join([*message.to, *message.cc])}


def send(message: OutboxMessage) -> str:
    """Hand the message to its channel. Raises when the channel refuses it."""
    if message.channel == Channel.SMS:
        return sms.get_sender().send(message.to[0], message.body)
    return _send_email(message)


def _record(message: OutboxMessage, error: BaseException | None, note: str = "") -> None:
    now = timezone.now()
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if error is None:
            move(
                message,
                OutboxStatus.SENT,
                note=note,
                sent_at=now,
                last_error="",
                next_attempt_at=None,
                claimed_at=None,
            )
            return
        reason = f"{type(error).__name__}: {error}"[:2000]
        if message.attempts >= max_attempts():
            move(
                message,
                OutboxStatus.DEAD,
                note=reason,
                last_error=reason,
                next_attempt_at=None,
                claimed_at=None,
            )
            return
        retry_at = now + backoff(message.attempts)
        move(
            message,
            OutboxStatus.FAILED,
            note=reason,
            last_error=reason,
            next_attempt_at=retry_at,
            claimed_at=None,
        )
        _schedule_retry(message.pk, retry_at)


def _schedule_retry(message_id: int, when: datetime) -> None:
    """Where the task backend can defer, enqueue the retry for its time; else the sweep does."""
    from passage.outbox.tasks import deliver

    if not deliver.get_backend().supports_defer:
        return

    def enqueue() -> None:
        try:
            deliver.using(run_after=when).enqueue(message_id)
        except Exception:
            log.exception("could not schedule the retry of outbox message %s", message_id)

    transaction.on_commit(enqueue)


def attempt(message: OutboxMessage) -> OutboxMessage:
    """Send a claimed message and record the outcome."""
    try:
        note = send(message)
    except Exception as exc:
        log.warning("outbox message %s: attempt %s failed: %s", message.pk, message.attempts, exc)
        _record(message, exc)
    else:
        _record(message, None, note)
    message.refresh_from_db()
    return message


def deliver(message_id: int) -> str:
    """Deliver one message if it is due and no other worker has it; return its status."""
    message = claim(message_id)
    if message is None:
        status = OutboxMessage.objects.filter(pk=message_id).values_list("status", flat=True)
        return str(status.first() or "missing")
    return attempt(message).status


@dataclass
class SweepResult:
    sent: int = 0
    failed: int = 0
    dead: int = 0
    recovered: int = 0


def recover_stale(now: datetime | None = None) -> int:
    """Messages left in ``sending`` by a worker that stopped: mark them failed, due now."""
    now = now or timezone.now()
    stale_after = timedelta(seconds=float(getattr(settings, "OUTBOX_STALE_SECONDS", 900)))
    count = 0
    stale = OutboxMessage.objects.filter(
        status=OutboxStatus.SENDING, claimed_at__lt=now - stale_after
    )
    for message_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update()
                .filter(pk=message_id, status=OutboxStatus.SENDING)
                .first()
            )
            if message is None:
                continue
            reason = _("The worker stopped while sending; trying again.")
            target = (
                OutboxStatus.DEAD if message.attempts >= max_attempts() else OutboxStatus.FAILED
            )
            move(
                message,
                target,
                note=reason,
                last_error=reason,
                claimed_at=None,
                next_attempt_at=None if target == OutboxStatus.DEAD else now,
            )
            count += 1
    return count


def deliver_due(limit: int = 200, now: datetime | None = None) -> SweepResult:
    """The periodic sweep: deliver every due message (up to ``limit``)."""
    now = now or timezone.now()
    result = SweepResult(recovered=recover_stale(now))
    ids = list(
        OutboxMessage.objects.filter(**_due(now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for message_id in ids:
        message = claim(message_id, now)
        if message is None:
            continue
        status = attempt(message).status
        if status == OutboxStatus.SENT:
            result.sent += 1
        elif status == OutboxStatus.DEAD:
            result.dead += 1
        else:
            result.failed += 1
    return result
