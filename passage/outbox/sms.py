"""Sending text messages: a small interface, chosen by the OUTBOX_SMS_SENDER setting.

A sender is a class with ``send(to, text) -> str``: it raises on failure and
returns a note for the message's attempt log (a provider's message id, say). The
default only logs the text; a deployment with an SMS gateway points
``OUTBOX_SMS_SENDER`` at its own class.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

DEFAULT_SENDER = "passage.outbox.sms.LogSmsSender"


class SmsSender(Protocol):
    def send(self, to: str, text: str) -> str: ...


class LogSmsSender:
    """Sends nothing: writes the text to the log and to the message's attempt log."""

    def send(self, to: str, text: str) -> str:
        log.info("SMS to %s: %s", to, text)
        return f"Not sent: no SMS gateway is configured (log only). Text to {to}: {text}"


def get_sender() -> SmsSender:
    path = getattr(settings, "OUTBOX_SMS_SENDER", "") or DEFAULT_SENDER
    sender: SmsSender = import_string(path)()
    return sender
