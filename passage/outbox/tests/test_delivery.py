"""Delivery through a real SMTP server on loopback: after commit, retries, back-off, dead."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from passage.core.models import User
from passage.outbox import actions, delivery
from passage.outbox.choices import OutboxStatus
from passage.outbox.models import OutboxEvent, OutboxMessage
from passage.outbox.tests.conftest import SmtpServer
from passage.testing.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

MANIFEST = b"%PDF-1.7\n\x00\x01\xfe\xff manifest TK 347\n%%EOF\n"


@pytest.fixture
def officer() -> User:
    user: User = UserFactory.create(username="movement", role="movement_officer")
    return user


def queue(officer: User, **kwargs: Any) -> OutboxMessage:
    args: dict[str, Any] = {
        "actor": officer,
        "to": ["roc@canada.example"],
        "subject": "Manifest TK 347",
        "body": "Please find the manifest attached.",
        "kind": "movements.manifest",
        "attachments": [("manifest.pdf", MANIFEST, "application/pdf")],
        **kwargs,
    }
    with transaction.atomic():
        return actions.queue_email(**args)


def test_a_rolled_back_action_leaves_no_message(smtp_server: SmtpServer, officer: User) -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        actions.queue_email(actor=officer, to=["roc@canada.example"], subject="x", body="y")
        raise Boom
    assert OutboxMessage.objects.count() == 0
    delivery.deliver_due()
    assert smtp_server.messages == []


def test_queued_then_delivered_after_commit_with_the_attachment(
    smtp_server: SmtpServer, officer: User
) -> None:
    message = queue(officer, cc=["movements@mission.example"], html="<p>Manifest</p>")
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 1 and message.sent_at is not None
    [received] = smtp_server.messages
    assert received["Subject"] == "Manifest TK 347"
    assert received["To"] == "roc@canada.example"
    assert received["Cc"] == "movements@mission.example"
    assert received["X-Passage-Outbox-Id"] == str(message.pk)
    envelope = smtp_server.inbox.envelopes[0]
    assert sorted(envelope.rcpt_tos) == ["movements@mission.example", "roc@canada.example"]
    parts = {part.get_filename(): part for part in received.walk() if part.get_filename()}
    assert parts["manifest.pdf"].get_payload(decode=True) == MANIFEST
    assert parts["manifest.pdf"].get_content_type() == "application/pdf"
    html = [p for p in received.walk() if p.get_content_type() == "text/html"]
    assert html and b"<p>Manifest</p>" in html[0].get_payload(decode=True)
    history = list(message.events.values_list("from_status", "to_status"))
    assert history == [("", "queued"), ("queued", "sending"), ("sending", "sent")]


def test_server_down_then_back(smtp_server: SmtpServer, officer: User, settings: Any) -> None:
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    smtp_server.stop()
    with time_machine.travel("2026-07-01 08:00Z", tick=False):
        message = queue(officer)
        message.refresh_from_db()
        assert message.status == OutboxStatus.FAILED
        assert "Connection refused" in message.last_error or "Errno" in message.last_error
        assert message.next_attempt_at == timezone.now() + timedelta(seconds=60)
        assert message.attempts == 1
        # Not due yet: the sweep leaves it alone.
        assert delivery.deliver_due().sent == 0
    smtp_server.start()
    with time_machine.travel("2026-07-01 08:01:01Z", tick=False):
        result = delivery.deliver_due()
    assert result.sent == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and message.attempts == 2
    assert message.last_error == ""
    assert len(smtp_server.messages) == 1
    failed = OutboxEvent.objects.get(message=message, to_status=OutboxStatus.FAILED)
    assert "refused" in failed.note.lower() or "errno" in failed.note.lower()


def test_back_off_grows_and_the_message_dies_after_the_last_attempt(
    smtp_server: SmtpServer, officer: User, settings: Any
) -> None:
    settings.OUTBOX_MAX_ATTEMPTS = 4
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    smtp_server.stop()
    start = timezone.now().replace(microsecond=0) + timedelta(days=1)
    waits = []
    with time_machine.travel(start, tick=False) as clock:
        message = queue(officer)
        for _ in range(3):
            message.refresh_from_db()
            assert message.status == OutboxStatus.FAILED
            assert message.next_attempt_at is not None
            wait = message.next_attempt_at - timezone.now()
            waits.append(wait.total_seconds())
            clock.move_to(message.next_attempt_at)
            delivery.deliver_due()
    assert waits == [30, 60, 120]
    message.refresh_from_db()
    assert message.status == OutboxStatus.DEAD
    assert message.attempts == 4 and message.next_attempt_at is None
    assert message.last_error
    assert delivery.deliver_due().sent == 0  # a dead message is not retried by itself

    smtp_server.start()
    admin: User = UserFactory.create(username="boss", role="admin")
    with transaction.atomic():
        actions.requeue(actor=admin, message=message)
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and message.attempts == 1
    assert len(smtp_server.messages) == 1


def test_back_off_is_capped(settings: Any) -> None:
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    settings.OUTBOX_RETRY_MAX_SECONDS = 600
    assert [delivery.backoff(n).total_seconds() for n in range(1, 7)] == [
        60,
        120,
        240,
        480,
        600,
        600,
    ]


def test_a_worker_that_stopped_mid_send_is_recovered(
    smtp_server: SmtpServer, officer: User, settings: Any
) -> None:
    settings.OUTBOX_STALE_SECONDS = 60
    smtp_server.stop()
    message = queue(officer)
    smtp_server.start()
    message.refresh_from_db()
    claimed = delivery.claim(message.pk, now=message.next_attempt_at)
    assert claimed is not None and claimed.status == OutboxStatus.SENDING
    # The worker dies here. Later, the sweep finds the stale claim and sends again.
    with time_machine.travel(timezone.now() + timedelta(minutes=30), tick=False):
        result = delivery.deliver_due()
    assert result.recovered == 1 and result.sent == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert len(smtp_server.messages) == 1


def test_sms_uses_the_log_sender_by_default(officer: User) -> None:
    with transaction.atomic():
        message = actions.queue_sms(
            actor=officer,
            to="+996 555 123 456",
            text="Your flight leaves on 3 July.",
            kind="vac.reminder",
        )
    message.refresh_from_db()
    assert message.to == ["+996555123456"]
    assert message.status == OutboxStatus.SENT
    sent = message.events.get(to_status=OutboxStatus.SENT)
    assert "Your flight leaves on 3 July." in sent.note and "log only" in sent.note


class RefusingSender:
    def send(self, to: str, text: str) -> str:
        raise RuntimeError(f"gateway refused {to}")


def test_sms_sender_is_pluggable(officer: User, settings: Any) -> None:
    settings.OUTBOX_SMS_SENDER = "passage.outbox.tests.test_delivery.RefusingSender"
    with transaction.atomic():
        message = actions.queue_sms(actor=officer, to="+996555123456", text="Hello")
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.last_error == "RuntimeError: gateway refused +996555123456"


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_passage_worker_delivers_from_the_database_queue(
    smtp_server: SmtpServer, officer: User, settings: Any
) -> None:
    """In production the commit only enqueues a task; `passage worker` sends the mail."""
    from django.core.management import call_command

    settings.TASKS = DATABASE_TASKS
    message = queue(officer)
    message.refresh_from_db()
    assert message.status == OutboxStatus.QUEUED  # nothing was sent in the web process
    assert smtp_server.messages == []
    call_command("worker", batch=True)
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert len(smtp_server.messages) == 1


def test_a_failed_delivery_schedules_its_retry_in_the_database_queue(
    smtp_server: SmtpServer, officer: User, settings: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_TASKS
    smtp_server.stop()
    message = queue(officer)
    delivery.deliver(message.pk)
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    tasks = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert len(tasks) == 2  # the delivery after commit, and the retry
    assert [t.args_kwargs["args"] for t in tasks] == [[message.pk], [message.pk]]
    assert tasks[1].run_after == message.next_attempt_at
