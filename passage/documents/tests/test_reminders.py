"""Overdue applications: one e-mail reminder per application and expected date."""

from __future__ import annotations

import datetime as dt
from email.header import decode_header, make_header
from typing import Any

import pytest
from django.core.management import call_command

from passage.core.models import AuditEvent
from passage.documents.models import DocumentApplication, DocumentType
from passage.documents.reminders import KIND, remind_overdue
from passage.documents.tests.factories import DocumentApplicationFactory, doc_type
from passage.outbox.models import OutboxMessage
from passage.outbox.tests.conftest import SmtpServer, smtp_server  # noqa: F401  (fixture)
from passage.registry.tests.factories import CaseFactory, MembershipFactory, PersonFactory
from passage.testing.factories import UserFactory

D = dt.date
TODAY = D(2026, 6, 10)


def overdue(
    worker_email: str = "worker@mission.example", worker: Any = None, **kw: Any
) -> DocumentApplication:
    if worker is None and worker_email:
        worker = UserFactory(email=worker_email)
    case = CaseFactory(destination_country="US", case_worker=worker)
    person = PersonFactory()
    MembershipFactory(case=case, person=person)
    values = {
        "case": case,
        "person": person,
        "doc_type": doc_type("exit_visa"),
        "authority": "State Migration Service",
        "status": "submitted",
        "submitted_on": D(2026, 5, 1),
        "expected_on": D(2026, 6, 5),
        **kw,
    }
    application: DocumentApplication = DocumentApplicationFactory(**values)
    return application


def reminders() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind=KIND).order_by("id"))


@pytest.mark.django_db
def test_one_reminder_per_overdue_episode() -> None:
    app = overdue()
    assert remind_overdue(today=TODAY) == {"sent": 1, "no_recipient": 0}
    [message] = reminders()
    assert message.recipients == "worker@mission.example"
    assert app.case.file_number in message.subject and "Kyrgyz exit visa" in message.subject
    assert "State Migration Service" in message.body and "2026-06-05: 5 day(s) ago" in message.body
    assert message.related_type is not None and message.related_type.model == "case"
    assert message.related_id == str(app.case.pk)
    assert AuditEvent.objects.filter(action="documents.overdue_reminder").count() == 1
    # again the same day, and the next days: nothing more
    assert remind_overdue(today=TODAY)["sent"] == 0
    assert remind_overdue(today=TODAY + dt.timedelta(days=3))["sent"] == 0
    # the authority gave a new date, which passes too: a new episode, a new reminder
    DocumentApplication.objects.filter(pk=app.pk).update(expected_on=D(2026, 6, 20))
    assert remind_overdue(today=D(2026, 6, 20))["sent"] == 0  # not overdue on the day
    assert remind_overdue(today=D(2026, 6, 21))["sent"] == 1
    assert len(reminders()) == 2


@pytest.mark.django_db
def test_only_open_overdue_applications() -> None:
    overdue(status="issued", decided_on=D(2026, 6, 1))
    overdue(expected_on=D(2026, 6, 10))  # due today, not yet overdue
    overdue(expected_on=None)
    assert remind_overdue(today=TODAY)["sent"] == 0
    assert reminders() == []


@pytest.mark.django_db
def test_without_a_case_worker_the_configured_address(settings: Any) -> None:
    app = overdue(worker_email="")
    settings.PASSAGE_OVERDUE_REMINDER_EMAIL = ""
    assert remind_overdue(today=TODAY) == {"sent": 0, "no_recipient": 1}
    assert DocumentApplication.objects.get(pk=app.pk).overdue_reminded_for is None
    settings.PASSAGE_OVERDUE_REMINDER_EMAIL = "documents@mission.example"
    assert remind_overdue(today=TODAY)["sent"] == 1
    [message] = reminders()
    assert message.recipients == "documents@mission.example"
    assert DocumentApplication.objects.get(pk=app.pk).overdue_reminded_for == D(2026, 6, 5)


@pytest.mark.django_db
def test_the_command_and_the_case_page_show_the_reminder(personas: Any, time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 6, 10, 9, 0, tzinfo=dt.UTC), tick=False)
    app = overdue(worker=personas.case_worker)
    call_command("remind_overdue", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page = personas.client("case_worker").get(f"/documents/cases/{app.case.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Messages sent" in html and "Overdue application: Kyrgyz exit visa" in html


@pytest.mark.django_db(transaction=True)
def test_the_reminder_reaches_a_mail_server(smtp_server: SmtpServer) -> None:  # noqa: F811
    # A transactional test may start after a flush of the migrations' data.
    DocumentType.objects.get_or_create(
        code="exit_visa", defaults={"name": "Kyrgyz exit visa", "category": "exit"}
    )
    app = overdue()
    assert remind_overdue(today=TODAY)["sent"] == 1
    [received] = smtp_server.messages
    assert received["To"] == "worker@mission.example"
    subject = str(make_header(decode_header(received["Subject"])))
    assert app.case.file_number in subject and "Overdue application" in subject
