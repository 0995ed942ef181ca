"""The durable outbox: messages written in the caller's transaction, sent after commit.

A message is a row before it is anything else: if the action rolls back, there
is no message; if the mail server is down, the row stays, is retried with
back-off and stays visible with its reason until it is sent or given up.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.core.policy import PolicyQuerySet
from passage.outbox.choices import Channel, OutboxStatus


class OutboxMessageQuerySet(PolicyQuerySet["OutboxMessage"]):
    def for_object(self, obj: models.Model) -> OutboxMessageQuerySet:
        return self.filter(
            related_type=ContentType.objects.get_for_model(type(obj)), related_id=str(obj.pk)
        )


class OutboxMessage(models.Model):
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=80, blank=True, db_index=True)
    to = models.JSONField(_("to"), default=list)
    cc = models.JSONField(_("copy to"), default=list, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)

    related_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    related_id = models.CharField(max_length=64, blank=True)
    related_repr = models.CharField(_("about"), max_length=200, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledgement_note = models.CharField(_("acknowledgement"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbox_messages",
    )
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes: ClassVar = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["related_type", "related_id"]),
        ]

    def __str__(self) -> str:
        label = self.subject or self.body[:60]
        return f"{self.get_channel_display()} {label}"

    @property
    def recipients(self) -> str:
        return ", ".join(self.to)


class OutboxAttachment(models.Model):
    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    content = models.BinaryField(_("content"))
    size = models.PositiveIntegerField(_("size"), default=0)

    class Meta:
        ordering: ClassVar = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class OutboxEvent(models.Model):
    """One status change or delivery attempt of a message: the visible history."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=20, choices=OutboxStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=OutboxStatus.choices)
    attempt = models.PositiveIntegerField(default=0)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["at", "id"]
        verbose_name = _("outbox event")
        verbose_name_plural = _("outbox events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.from_status}→{self.to_status}"
