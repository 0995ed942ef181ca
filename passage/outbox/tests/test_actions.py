from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from passage.core.errors import ActionError, TransitionError
from passage.core.models import AuditEvent
from passage.outbox import actions
from passage.outbox.choices import TRANSITIONS, OutboxStatus
from passage.outbox.models import OutboxEvent, OutboxMessage
from passage.outbox.tests.factories import ALL_FACTORIES, OutboxMessageFactory

pytestmark = pytest.mark.django_db


def test_every_factory_builds() -> None:
    for factory in ALL_FACTORIES:
        assert factory.create().pk


@pytest.mark.parametrize("current", OutboxStatus.values)
@pytest.mark.parametrize("target", OutboxStatus.values)
def test_every_pair_of_states(current: str, target: str) -> None:
    message = OutboxMessageFactory.create(status=current)
    if target in TRANSITIONS[current]:
        actions.move(message, target, note="walk")
        message.refresh_from_db()
        assert message.status == target
        event = OutboxEvent.objects.get(message=message)
        assert (event.from_status, event.to_status) == (current, target)
    else:
        with pytest.raises(TransitionError):
            actions.move(message, target)
        message.refresh_from_db()
        assert message.status == current
        assert not OutboxEvent.objects.filter(message=message).exists()


def test_queue_email_is_audited_and_linked_to_its_object(personas: Any) -> None:
    with transaction.atomic():
        message = actions.queue_email(
            actor=personas.vac_officer,
            to=["applicant@example.org"],
            subject="Appointment",
            body="Your appointment is on 3 July.",
            related=personas.case_worker,
            kind="vac.confirmation",
        )
    assert message.status == OutboxStatus.QUEUED  # on_commit does not fire in this test
    assert message.related_id == str(personas.case_worker.pk)
    assert message.related_repr == str(personas.case_worker)
    event = AuditEvent.objects.get(action="outbox.queue")
    assert event.actor == personas.vac_officer
    assert event.extra["kind"] == "vac.confirmation"
    assert list(OutboxMessage.objects.for_object(personas.case_worker)) == [message]


def test_queue_email_delivers_on_commit(
    personas: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        message = actions.queue_email(
            actor=personas.admin, to=["a@example.org"], subject="Hello", body="Text"
        )
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert [m.subject for m in mailoutbox] == ["Hello"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"to": []}, "to"),
        ({"to": ["not an address"]}, "to"),
        ({"cc": ["bad@"]}, "cc"),
        ({"subject": " "}, "subject"),
        ({"body": ""}, "body"),
        ({"attachments": [("x.pdf", "text, not bytes", "application/pdf")]}, "attachments"),
    ],
)
def test_queue_email_refusals_write_nothing(
    personas: Any, kwargs: dict[str, Any], field: str
) -> None:
    args = {"actor": personas.admin, "to": ["a@example.org"], "subject": "s", "body": "b", **kwargs}
    with pytest.raises(ActionError) as exc:
        actions.queue_email(**args)
    assert exc.value.field == field
    assert not OutboxMessage.objects.exists()
    assert not AuditEvent.objects.filter(action="outbox.queue").exists()


def test_queue_sms_refusals(personas: Any) -> None:
    with pytest.raises(ActionError) as exc:
        actions.queue_sms(actor=personas.admin, to="0555 123", text="x")
    assert exc.value.field == "to"
    with pytest.raises(ActionError) as exc:
        actions.queue_sms(actor=personas.admin, to="+996555123456", text=" ")
    assert exc.value.field == "text"
    assert not OutboxMessage.objects.exists()


def test_acknowledge_and_requeue_follow_the_table(personas: Any) -> None:
    sent = OutboxMessageFactory.create(status=OutboxStatus.SENT)
    actions.mark_acknowledged(actor=personas.movement_officer, message=sent, note="ROC: received")
    sent.refresh_from_db()
    assert sent.status == OutboxStatus.ACKNOWLEDGED
    assert sent.acknowledged_by == personas.movement_officer
    assert sent.acknowledgement_note == "ROC: received"
    with pytest.raises(TransitionError):
        actions.mark_acknowledged(actor=personas.admin, message=sent)
    with pytest.raises(TransitionError):
        actions.requeue(actor=personas.admin, message=sent)

    dead = OutboxMessageFactory.create(status=OutboxStatus.DEAD, attempts=8, last_error="down")
    actions.requeue(actor=personas.admin, message=dead)
    dead.refresh_from_db()
    assert dead.status == OutboxStatus.QUEUED and dead.attempts == 0
    assert dead.next_attempt_at is not None
    assert AuditEvent.objects.filter(action="outbox.requeue", object_id=str(dead.pk)).exists()
    assert AuditEvent.objects.filter(action="outbox.acknowledge").count() == 1
