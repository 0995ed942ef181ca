"""Demo data of the outbox: one e-mail and one text message, queued once."""

from __future__ import annotations

from django.core.management.base import OutputWrapper

from passage.core.models import User
from passage.outbox import actions
from passage.outbox.models import OutboxMessage

KIND = "demo.welcome"


def load(stdout: OutputWrapper) -> int:
    if OutboxMessage.objects.filter(kind=KIND).exists():
        return 0
    admin = User.objects.filter(username="admin").first()
    actions.queue_email(
        actor=admin,
        to=["roc@canada.example"],
        subject="Advance booking notification (demo)",
        body="Demo message from Passage: an advance booking notification with its manifest.",
        attachments=[("manifest-demo.csv", b"PNR;NAME\nDEMO01;DOE/JANE\n", "text/csv")],
        kind=KIND,
    )
    actions.queue_sms(
        actor=admin, to="+996555000111", text="Demo: your VAC appointment is confirmed.", kind=KIND
    )
    stdout.write("  outbox: 2 demo messages queued")
    return 2
