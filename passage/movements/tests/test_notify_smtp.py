"""Notifications reach a real SMTP server on loopback through the outbox, and survive an outage."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from passage.core.models import Organisation
from passage.movements import actions, notify
from passage.movements import booking as bk
from passage.movements.choices import NotificationKind
from passage.movements.models import NotificationTemplate
from passage.movements.shipped_templates import install
from passage.outbox import delivery
from passage.outbox.choices import OutboxStatus
from passage.outbox.models import OutboxMessage
from passage.outbox.tests.conftest import SmtpServer, smtp_server  # noqa: F401  (fixture)
from passage.profiles.models import DestinationProfile
from passage.profiles.tests.factories import DestinationProfileFactory
from passage.registry.choices import Programme

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ca_booking(world: Any) -> Any:
    # A transactional test flushes migration data: profiles and templates are made here.
    if not DestinationProfile.objects.filter(country="CA", programme=Programme.CA_GAR).exists():
        DestinationProfileFactory(
            country="CA",
            programme=Programme.CA_GAR,
            effective_from=dt.date(2025, 1, 1),
            arrival_notification_working_days=10,
            max_refugees_per_flight=75,
        )
    install(NotificationTemplate)
    party = Organisation.objects.create(
        name="ROC", kind="agency", country="CA", email="roc@canada.example"
    )
    case = world.case(adults=2, country="CA", programme=Programme.CA_GAR)
    case.receiving_party = party
    case.save()
    yyz = world.flight(
        "17",
        "IST",
        "YYZ",
        dt.datetime(2026, 9, 1, 11, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 9, 1, 21, 0, tzinfo=dt.UTC),
    )
    actions.set_fare(
        actor=world.actor,
        agreement=world.agreement,
        origin=world.airports["BSZ"],
        destination=world.airports["YYZ"],
        passenger_type="ADT",
        amount="700.00",
    )
    return bk.book_case(
        actor=world.actor, case=case, agreement=world.agreement, flights=[world.first, yyz]
    )


def test_arrival_notification_survives_a_mail_server_outage(
    smtp_server: SmtpServer,  # noqa: F811
    world: Any,
    ca_booking: Any,
    time_machine: Any,
) -> None:
    smtp_server.stop()
    note = notify.notify(actor=world.actor, booking=ca_booking, kind=NotificationKind.ARRIVAL)
    assert note.outbox_id is not None
    message = OutboxMessage.objects.get(pk=note.outbox_id)
    assert message.status == OutboxStatus.FAILED  # tried after commit, server down
    state = notify.outbox_states([note])[note.pk]
    assert state["status"] == OutboxStatus.FAILED and state["error"]
    assert smtp_server.messages == []
    smtp_server.start()
    assert message.next_attempt_at is not None
    time_machine.move_to(message.next_attempt_at + dt.timedelta(seconds=1), tick=False)
    assert delivery.deliver_due().sent == 1
    [received] = smtp_server.messages
    assert received["To"] == "roc@canada.example"
    assert ca_booking.case.file_number in received["Subject"]
    parts = {str(p.get_filename()): p for p in received.walk() if p.get_filename()}
    [name] = parts
    assert name.startswith(f"manifest-{ca_booking.case.file_number}")
    content = parts[name].get_payload(decode=True)
    assert isinstance(content, bytes) and content.startswith(b"%PDF")
    assert notify.outbox_states([note])[note.pk]["status"] == OutboxStatus.SENT
