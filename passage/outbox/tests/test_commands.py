from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import OutputWrapper

from passage.core.management.commands.worker import sweep_outbox
from passage.outbox import demo
from passage.outbox.choices import OutboxStatus
from passage.outbox.models import OutboxMessage
from passage.outbox.tests.factories import OutboxMessageFactory

pytestmark = pytest.mark.django_db


def test_deliver_command_sends_what_is_due(mailoutbox: Any) -> None:
    OutboxMessageFactory.create(subject="Due")
    out = StringIO()
    call_command("outbox", "deliver", stdout=out)
    assert "sent 1" in out.getvalue()
    assert [m.subject for m in mailoutbox] == ["Due"]
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT


def test_the_worker_sweep_delivers(mailoutbox: Any) -> None:
    OutboxMessageFactory.create(subject="Swept")
    sweep_outbox()
    assert [m.subject for m in mailoutbox] == ["Swept"]


def test_demo_is_idempotent() -> None:
    assert demo.load(OutputWrapper(StringIO())) == 2
    assert demo.load(OutputWrapper(StringIO())) == 0
    assert OutboxMessage.objects.filter(kind=demo.KIND).count() == 2
