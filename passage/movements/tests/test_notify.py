"""Notifications: which kinds a destination uses, templates, the Canada lead time, the outbox."""

from __future__ import annotations

import datetime as dt
import importlib.util

import pytest

from passage.core.errors import ActionError, ConflictError
from passage.core.models import Organisation
from passage.movements import booking as bk
from passage.movements import notify
from passage.movements.choices import NotificationKind
from passage.movements.tests.factories import TransitOfficeFactory
from passage.registry.choices import CaseStatus, Programme

pytestmark = pytest.mark.django_db
HAS_OUTBOX = importlib.util.find_spec("passage.outbox.actions") is not None
needs_outbox = pytest.mark.skipif(not HAS_OUTBOX, reason="passage.outbox not merged yet")


@pytest.fixture
def ca_booking(world):
    from passage.movements import actions

    party = Organisation.objects.create(
        name="ROC Canada", kind="agency", country="CA", email="roc@example.org"
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


def test_kinds_come_from_the_destination_templates(world, ca_booking):
    assert notify.kinds_for(ca_booking) == ["advance_booking", "arrival", "itinerary_change"]
    us = bk.book_case(
        actor=world.actor,
        case=world.case(),
        agreement=world.agreement,
        flights=[world.first, world.second],
    )
    assert notify.kinds_for(us) == ["travel", "itinerary_change"]
    assert notify.template_for("itinerary_change", "CA", "ru").language == "ru"
    assert notify.template_for("itinerary_change", "CA", "ky").language == "en"
    with pytest.raises(ActionError) as err:
        notify.notify(actor=world.actor, booking=us, kind=NotificationKind.ARRIVAL)
    assert "does not use" in err.value.message


def test_canada_arrival_notification_lead_time(world, ca_booking):
    # Arrival Tue 2026-09-01: 10 working days before is Tue 2026-08-18 (no holidays recorded).
    notify.check_lead_time(ca_booking, NotificationKind.ARRIVAL, today=dt.date(2026, 8, 18))
    with pytest.raises(ConflictError) as err:
        notify.check_lead_time(ca_booking, NotificationKind.ARRIVAL, today=dt.date(2026, 8, 19))
    assert err.value.code == "lead_time" and "2026-08-18" in err.value.message
    notify.check_lead_time(ca_booking, NotificationKind.ADVANCE_BOOKING, today=dt.date(2026, 8, 31))


def test_needs_a_receiving_party_with_email(world):
    us = bk.book_case(
        actor=world.actor,
        case=world.case(),
        agreement=world.agreement,
        flights=[world.first, world.second],
    )
    with pytest.raises(ActionError) as err:
        notify.notify(actor=world.actor, booking=us, kind=NotificationKind.TRAVEL)
    assert err.value.code == "no_recipient"


def test_case_manifest_attachment_holds_only_the_case(world, ca_booking):
    other = world.case(adults=1)
    bk.book_case(
        actor=world.actor,
        case=other,
        agreement=world.agreement,
        flights=[world.first, world.second],
    )
    name, pdf, ctype = notify.case_manifest_pdf(ca_booking)
    assert name.startswith(f"manifest-{ca_booking.case.file_number}") and pdf.startswith(b"%PDF")
    assert ctype == "application/pdf"


@needs_outbox
def test_notification_is_queued_with_the_manifest_and_case_moves(
    world, ca_booking, django_capture_on_commit_callbacks
):
    from passage.outbox.models import OutboxMessage

    note = notify.notify(
        actor=world.actor, booking=ca_booking, kind=NotificationKind.ADVANCE_BOOKING
    )
    assert note.outbox_id is not None
    message = OutboxMessage.objects.get(pk=note.outbox_id)
    assert message.to == ["roc@example.org"] and ca_booking.case.file_number in message.subject
    attachment = message.attachments.get()
    assert attachment.content_type == "application/pdf" and bytes(attachment.content).startswith(
        b"%PDF"
    )
    ca_booking.case.refresh_from_db()
    assert ca_booking.case.status == CaseStatus.PARTNERS_NOTIFIED
    assert notify.outbox_states([note])[note.pk]["status"] == message.status


@needs_outbox
def test_transit_assistance_requests(world):
    booking = bk.book_case(
        actor=world.actor,
        case=world.case(),
        agreement=world.agreement,
        flights=[world.first, world.second],
    )
    with pytest.raises(ActionError) as err:
        notify.request_transit_assistance(actor=world.actor, booking=booking)
    assert err.value.code == "no_transit_office" and "IST" in err.value.message
    TransitOfficeFactory(airport=world.airports["IST"])
    [request] = notify.request_transit_assistance(actor=world.actor, booking=booking)
    notify.confirm_transit(actor=world.actor, request=request, confirmed_by="IST office, phone")
    assert request.status == "confirmed"
    with pytest.raises(ConflictError):
        notify.confirm_transit(actor=world.actor, request=request, confirmed_by="again")


def test_rebooking_a_notified_case_sends_the_itinerary_change(world, ca_booking):
    from passage.movements.models import Notification
    from passage.movements.tests.conftest import BISHKEK

    notify.notify(actor=world.actor, booking=ca_booking, kind=NotificationKind.ADVANCE_BOOKING)
    later = [
        world.flight(
            "345",
            "BSZ",
            "IST",
            dt.datetime(2026, 9, 8, 7, 40, tzinfo=BISHKEK),
            dt.datetime(2026, 9, 8, 7, 30, tzinfo=dt.UTC),
        ),
        world.flight(
            "17",
            "IST",
            "YYZ",
            dt.datetime(2026, 9, 8, 11, 0, tzinfo=dt.UTC),
            dt.datetime(2026, 9, 8, 21, 0, tzinfo=dt.UTC),
        ),
    ]
    new = bk.rebook(actor=world.actor, booking=ca_booking, flights=later, reason="schedule change")
    change = Notification.objects.get(booking=new)
    assert change.kind == NotificationKind.ITINERARY_CHANGE and change.to == ["roc@example.org"]
