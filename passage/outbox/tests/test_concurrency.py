"""Two deliverers at once on PostgreSQL never send one message twice."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection

from passage.outbox import delivery
from passage.outbox.choices import OutboxStatus
from passage.outbox.models import OutboxMessage
from passage.outbox.tests.conftest import SmtpServer
from passage.outbox.tests.factories import OutboxMessageFactory


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_deliverers_send_each_message_once(smtp_server: SmtpServer) -> None:
    messages = [OutboxMessageFactory.create(subject=f"Message {n}") for n in range(40)]
    barrier = threading.Barrier(3)
    results: list[delivery.SweepResult] = []
    errors: list[BaseException] = []

    def deliverer() -> None:
        try:
            barrier.wait()
            results.append(delivery.deliver_due())
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliverer) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sum(r.sent for r in results) == len(messages)
    ids = Counter(m["X-Passage-Outbox-Id"] for m in smtp_server.messages)
    assert len(ids) == len(messages)
    assert set(ids.values()) == {1}
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}


@pytest.mark.django_db(transaction=True)
def test_a_second_claim_of_the_same_message_gets_nothing() -> None:
    message = OutboxMessageFactory.create()
    assert delivery.claim(message.pk) is not None
    assert delivery.claim(message.pk) is None
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENDING and message.attempts == 1
