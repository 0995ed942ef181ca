"""Overdue applications: one e-mail reminder per application and overdue episode.

An application is *overdue* when it is open (preparing or submitted) and its expected
decision date has passed. :func:`remind_overdue` queues one e-mail through the outbox
(``passage.outbox.queue_email``, kind ``documents.overdue``, about the case, so it is
listed on the case's documents page) to the case's case worker, else to the address
in the setting ``PASSAGE_OVERDUE_REMINDER_EMAIL`` (or the environment variable
``OVERDUE_REMINDER_EMAIL``), and records on the application the expected date it
reminded about (``overdue_reminded_for``). A sweep queues it in the name of the case
worker (else of who recorded the application), so that the outbox shows it to case
workers; the audit event has no actor (the system). Run again the same day, or any later day,
it sends nothing more for that application, until the expected date is moved (a new
episode) and passes again.

The worker's sweep runs it every few minutes (``passage worker``); ``passage
remind_overdue`` runs it once (cron).
"""

from __future__ import annotations

import datetime as dt
import os

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core import audit
from passage.core.models import User
from passage.documents.choices import OPEN_APPLICATION_STATUSES
from passage.documents.models import DocumentApplication

KIND = "documents.overdue"


def fallback_address() -> str:
    configured = getattr(settings, "PASSAGE_OVERDUE_REMINDER_EMAIL", "")
    return str(configured or os.environ.get("OVERDUE_REMINDER_EMAIL", "")).strip()


def due(today: dt.date) -> list[DocumentApplication]:
    """Open applications past their expected date, not yet reminded about that date."""
    return list(
        DocumentApplication.objects.filter(
            status__in=sorted(OPEN_APPLICATION_STATUSES), expected_on__lt=today
        )
        .filter(Q(overdue_reminded_for__isnull=True) | ~Q(overdue_reminded_for=F("expected_on")))
        .select_related("case__case_worker", "created_by", "person", "doc_type")
        .order_by("expected_on", "id")
    )


def recipient(app: DocumentApplication) -> str:
    worker = app.case.case_worker
    if worker is not None and worker.email and worker.is_active:
        return str(worker.email)
    return fallback_address()


def sender(app: DocumentApplication) -> User | None:
    """Whose name a sweep's reminder is queued in: the case worker, else who recorded the
    application. The outbox shows a message to the users of its sender's role, so the
    case workers see the reminder on the case's page."""
    return app.case.case_worker or app.created_by


def message(app: DocumentApplication, today: dt.date) -> tuple[str, str]:
    whom = str(app.person) if app.person_id else _("the whole family")
    subject = _("Overdue application: %(document)s for %(whom)s (%(case)s)") % {
        "document": app.doc_type.name,
        "whom": whom,
        "case": app.case.file_number,
    }
    assert app.expected_on is not None
    body = _(
        "The application for %(document)s for %(whom)s, case %(case)s, to %(authority)s "
        "expected a decision on %(expected)s: %(days)s day(s) ago. Status: %(status)s.\n\n"
        "Follow up with the authority, then record the decision or the new expected date."
    ) % {
        "document": app.doc_type.name,
        "whom": whom,
        "case": app.case.file_number,
        "authority": app.authority,
        "expected": app.expected_on.isoformat(),
        "days": (today - app.expected_on).days,
        "status": app.get_status_display(),
    }
    return subject, body


def remind_overdue(*, actor: User | None = None, today: dt.date | None = None) -> dict[str, int]:
    """Queue the reminders due today; ``{"sent": n, "no_recipient": m}``."""
    from passage.outbox.actions import queue_email

    today = today or timezone.localdate()
    sent = missing = 0
    for app in due(today):
        to = recipient(app)
        if not to:
            missing += 1
            continue
        with transaction.atomic():
            # Claim the episode first: two sweeps at once send one reminder.
            claimed = (
                DocumentApplication.objects.filter(pk=app.pk, expected_on=app.expected_on)
                .filter(
                    Q(overdue_reminded_for__isnull=True) | ~Q(overdue_reminded_for=F("expected_on"))
                )
                .update(overdue_reminded_for=app.expected_on)
            )
            if not claimed:
                continue
            subject, body = message(app, today)
            queue_email(
                actor=actor or sender(app),
                to=[to],
                subject=subject,
                body=body,
                related=app.case,
                kind=KIND,
            )
            audit.record(
                actor=actor,
                action="documents.overdue_reminder",
                obj=app,
                object_repr=str(app),
                extra={"to": to, "expected_on": app.expected_on.isoformat()},  # type: ignore[union-attr]
            )
            sent += 1
    return {"sent": sent, "no_recipient": missing}
