from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from passage.core.errors import ActionError, ConflictError
from passage.core.models import AuditEvent
from passage.vac import actions
from passage.vac.choices import AppointmentStatus, Service
from passage.vac.models import Appointment, Slot
from passage.vac.tests.factories import AppointmentFactory, SlotFactory

pytestmark = pytest.mark.django_db
DOB = dt.date(1990, 5, 17)


def book(
    slot: Slot,
    people: int = 1,
    email: str = "a@example.org",
    name: str = "Aibek Asanov",
    language: str = "en",
    phone: str = "",
) -> Appointment:
    return actions.book_appointment(
        actor=None,
        slot=slot,
        people=people,
        full_name=name,
        email=email,
        date_of_birth=DOB,
        language=language,
        phone=phone,
    )


def test_book_a_family_takes_places_and_writes_history(centre):
    slot = SlotFactory(capacity=4)
    appointment = book(slot, people=3, email=" A@Example.org ")
    slot.refresh_from_db()
    assert slot.booked == 3 and appointment.email == "a@example.org"
    assert appointment.history.get().to_status == AppointmentStatus.BOOKED
    assert AuditEvent.objects.filter(action="vac.appointment_book").count() == 1
    assert len(appointment.reference) == 11 and len(appointment.token) >= 32


def test_booking_past_capacity_is_refused_and_writes_nothing(centre):
    slot = SlotFactory(capacity=4)
    book(slot, people=3)
    with pytest.raises(ConflictError) as err:
        book(slot, people=2, email="b@example.org", name="Other")
    assert err.value.code == "slot_full" and err.value.field == "slot"
    slot.refresh_from_db()
    assert slot.booked == 3 and Appointment.objects.count() == 1


def test_unreleased_past_and_too_far_slots_are_refused(centre):
    later = SlotFactory(release_at=timezone.now() + dt.timedelta(hours=1))
    with pytest.raises(ActionError) as err:
        book(later)
    assert err.value.code == "not_released"
    past = SlotFactory(starts_at=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(ActionError):
        book(past)
    far = SlotFactory(starts_at=timezone.now() + dt.timedelta(days=60))
    with pytest.raises(ActionError):
        book(far)


def test_one_person_or_email_holds_at_most_two_future_appointments(centre):
    book(SlotFactory())
    book(SlotFactory())
    with pytest.raises(ConflictError) as err:
        book(SlotFactory())
    assert err.value.code == "too_many_appointments"
    with pytest.raises(ConflictError):  # same person, another address
        book(SlotFactory(), email="other@example.org")
    book(SlotFactory(), email="other@example.org", name="Someone Else")


def test_people_limits(centre):
    with pytest.raises(ActionError) as err:
        book(SlotFactory(capacity=20), people=9)
    assert err.value.field == "people"
    with pytest.raises(ActionError):
        book(SlotFactory(), people=0)


def test_reschedule_moves_places_and_cancel_frees_them(centre):
    first, second = SlotFactory(capacity=4), SlotFactory(capacity=4)
    appointment = book(first, people=2)
    actions.reschedule_appointment(actor=None, appointment=appointment, slot=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.booked, second.booked) == (0, 2)
    with pytest.raises(ActionError):
        actions.reschedule_appointment(
            actor=None, appointment=appointment, slot=SlotFactory(service=Service.COLLECTION)
        )
    actions.cancel_appointment(actor=None, appointment=appointment)
    second.refresh_from_db()
    assert second.booked == 0
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    with pytest.raises(ConflictError):
        actions.reschedule_appointment(actor=None, appointment=appointment, slot=first)


def test_check_in_issues_a_ticket_on_the_day_and_missed_after_the_time(centre, personas):
    soon = SlotFactory(starts_at=timezone.now() + dt.timedelta(minutes=5))
    if timezone.localtime(soon.starts_at).date() != timezone.localdate():
        pytest.skip("too close to midnight for a same-day slot")
    appointment = book(soon, people=2)
    ticket = actions.check_in(actor=personas.vac_officer, appointment=appointment)
    assert ticket.label == "A001" and ticket.people == 2
    other = AppointmentFactory(slot=SlotFactory(starts_at=timezone.now() + dt.timedelta(days=3)))
    with pytest.raises(ActionError):
        actions.check_in(actor=personas.vac_officer, appointment=other)
    with pytest.raises(ActionError):
        actions.mark_missed(actor=personas.vac_officer, appointment=other)


def test_mark_day_missed(centre, personas):
    slot = SlotFactory(starts_at=timezone.now() - dt.timedelta(minutes=1))
    kept = AppointmentFactory(slot=slot, status=AppointmentStatus.CHECKED_IN)
    gone = AppointmentFactory(slot=slot)
    day = timezone.localtime(slot.starts_at).date()
    assert actions.mark_day_missed(actor=personas.vac_officer, day=day) == 1
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert gone.status == AppointmentStatus.MISSED and kept.status == AppointmentStatus.CHECKED_IN


def test_booking_emails_the_ics_through_the_outbox(centre, django_capture_on_commit_callbacks):
    from passage.outbox.models import OutboxMessage

    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(SlotFactory(), language="ru", phone="0555 123 456")
    email = OutboxMessage.objects.get(channel="email")
    assert email.kind == "vac.appointment_booked" and email.to == ["a@example.org"]
    assert appointment.reference in email.subject and "Ваша запись" in email.subject
    assert f"/vac/a/{appointment.token}/" in email.body
    attachment = email.attachments.get()
    assert attachment.filename.endswith(".ics") and attachment.content_type == "text/calendar"
    assert b"BEGIN:VEVENT" in bytes(attachment.content)
    sms = OutboxMessage.objects.get(channel="sms")
    assert sms.to == ["+996555123456"] and appointment.reference in sms.body
    (sent,) = mail.outbox  # delivered after commit, with the calendar file
    assert sent.to == ["a@example.org"]
    assert sent.attachments[0][0] == f"{appointment.reference}.ics"


def test_a_bad_phone_number_loses_no_booking(centre):
    from passage.outbox.models import OutboxMessage

    appointment = book(SlotFactory(), phone="not a phone")
    assert appointment.pk and not OutboxMessage.objects.filter(channel="sms").exists()
    assert OutboxMessage.objects.filter(channel="email").count() == 1


def test_custody_steps_notify_the_applicant(centre, personas):
    from passage.outbox.models import OutboxMessage
    from passage.vac.tests.factories import ApplicantFactory

    applicant = ApplicantFactory(application__phone="+996 700 000 111", application__language="ky")
    custody = actions.receive_passport(actor=personas.vac_officer, applicant=applicant)
    actions.dispatch_batch(actor=personas.vac_officer, codes=[custody.code], waybill="W")
    actions.move_passport(
        actor=personas.vac_officer, custody=custody, status="returned", envelope="E"
    )
    actions.move_passport(actor=personas.vac_officer, custody=custody, status="ready")
    kinds = OutboxMessage.objects.filter(channel="email").values_list("kind", flat=True)
    assert sorted(kinds) == ["vac.custody_forwarded", "vac.custody_ready", "vac.custody_received"]
    ready = OutboxMessage.objects.get(channel="email", kind="vac.custody_ready")
    assert applicant.family_name not in ready.body + ready.subject
    assert OutboxMessage.objects.filter(channel="sms").count() == 3
