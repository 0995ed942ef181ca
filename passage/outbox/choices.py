"""Channels and delivery statuses of outbox messages, with the one transition table."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from passage.core.workflow import TransitionTable


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    FAILED = "failed", _("Failed, will retry")
    DEAD = "dead", _("Failed for good")


S = OutboxStatus

TRANSITIONS: TransitionTable = {
    S.QUEUED: frozenset({S.SENDING}),
    S.SENDING: frozenset({S.SENT, S.FAILED, S.DEAD}),
    # A failed message is retried by a worker (sending), or at once by an administrator
    # (queued), or given up by an administrator (dead).
    S.FAILED: frozenset({S.SENDING, S.QUEUED, S.DEAD}),
    S.DEAD: frozenset({S.QUEUED}),
    S.SENT: frozenset({S.ACKNOWLEDGED}),
    S.ACKNOWLEDGED: frozenset(),
}

DUE_STATUSES = frozenset({S.QUEUED, S.FAILED})
