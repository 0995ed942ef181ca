"""The outbox's background task: deliver one message (a worker runs it after commit)."""

from __future__ import annotations

from django_tasks import task

from passage.outbox import delivery


@task()
def deliver(message_id: int) -> str:
    return delivery.deliver(message_id)
