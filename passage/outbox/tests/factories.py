"""Factories of the outbox app."""

from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from passage.outbox.choices import Channel, OutboxStatus
from passage.outbox.models import OutboxAttachment, OutboxEvent, OutboxMessage


class OutboxMessageFactory(DjangoModelFactory[OutboxMessage]):
    class Meta:
        model = OutboxMessage

    channel = Channel.EMAIL
    kind = "test.message"
    to = ["someone@example.org"]
    subject = "Test"
    body = "Hello"
    status = OutboxStatus.QUEUED
    next_attempt_at = factory.LazyFunction(timezone.now)


class OutboxAttachmentFactory(DjangoModelFactory[OutboxAttachment]):
    class Meta:
        model = OutboxAttachment

    message = factory.SubFactory(OutboxMessageFactory)
    filename = "file.pdf"
    content_type = "application/pdf"
    content = b"%PDF"
    size = 4


class OutboxEventFactory(DjangoModelFactory[OutboxEvent]):
    class Meta:
        model = OutboxEvent

    message = factory.SubFactory(OutboxMessageFactory)
    to_status = OutboxStatus.QUEUED


ALL_FACTORIES: list[type[DjangoModelFactory[Any]]] = [
    OutboxMessageFactory,
    OutboxAttachmentFactory,
    OutboxEventFactory,
]
