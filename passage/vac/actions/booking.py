"""Booking, rescheduling and cancelling appointments, and their day at the centre."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core import audit, workflow
from passage.core.errors import ActionError, ConflictError
from passage.core.models import User
from passage.vac import notify
from passage.vac.choices import ACTIVE_APPOINTMENT, APPOINTMENT_MOVES, AppointmentStatus, Language
from passage.vac.models import Appointment, AppointmentChange, CentreRules, Slot, Ticket
from passage.vac.rules import centre_rules_on

APPOINTMENT_FIELDS = ("reference", "slot_id", "people", "status", "language")


def _check_slot(slot: Slot, people: int, rules: CentreRules) -> None:
    now = timezone.now()
    if slot.release_at > now:
        raise ActionError(
            _("This time is not open for booking yet."), field="slot", code="not_released"
        )
    if slot.starts_at <= now:
        raise ActionError(_("This time has passed. Choose another."), field="slot")
    if slot.starts_at.date() > timezone.localdate() + timedelta(days=rules.horizon_days):
        raise ActionError(_("This time is too far ahead to book."), field="slot")
    if slot.booked + people > slot.capacity:
        raise ConflictError(
            _("This time has room for %(free)s more people. Choose another time.")
            % {"free": slot.free},
            field="slot",
            code="slot_full",
        )


def _check_people(people: int, rules: CentreRules) -> None:
    if people < 1 or people > rules.max_people:
        raise ActionError(
            _("One booking is for 1 to %(max)s people.") % {"max": rules.max_people}, field="people"
        )


def _check_cap(
    email: str, full_name: str, born: date, rules: CentreRules, exclude: int | None = None
) -> None:
    held = Appointment.objects.filter(
        Q(email__iexact=email) | Q(full_name__iexact=full_name, date_of_birth=born),
        status__in=ACTIVE_APPOINTMENT,
        slot__starts_at__gt=timezone.now(),
    )
    if exclude is not None:
        held = held.exclude(pk=exclude)
    if held.count() >= rules.max_future_per_person:
        raise ConflictError(
            _(
                "You already hold %(n)s future appointments, the most one person or e-mail may "
                "hold. Cancel one through its link first."
            )
            % {"n": held.count()},
            field="email",
            code="too_many_appointments",
        )


def _history(appointment: Appointment, before: str, actor: User | None, note: str = "") -> None:
    AppointmentChange.objects.create(
        appointment=appointment,
        from_status=before,
        to_status=appointment.status,
        actor=actor,
        note=note,
    )


@transaction.atomic
def book_appointment(
    *,
    actor: User | None,
    slot: Slot,
    people: int,
    full_name: str,
    email: str,
    date_of_birth: date,
    phone: str = "",
    language: str = Language.EN,
) -> Appointment:
    """Take ``people`` places in a slot. The slot row is locked: two requests never overbook."""
    rules = centre_rules_on(timezone.localdate())
    full_name, email = " ".join(full_name.split()), email.strip().lower()
    if not full_name:
        raise ActionError(_("Enter your full name."), field="full_name")
    if date_of_birth >= timezone.localdate():
        raise ActionError(_("Enter a date of birth in the past."), field="date_of_birth")
    if language not in Language.values:
        language = Language.EN
    _check_people(people, rules)
    _check_cap(email, full_name, date_of_birth, rules)
    locked = Slot.objects.select_for_update().get(pk=slot.pk)
    _check_slot(locked, people, rules)
    locked.booked += people
    locked.save(update_fields=["booked"])
    appointment = Appointment.objects.create(
        slot=locked,
        people=people,
        full_name=full_name,
        email=email,
        phone=phone.strip(),
        date_of_birth=date_of_birth,
        language=language,
    )
    _history(appointment, "", actor)
    audit.record(
        actor=actor,
        action="vac.appointment_book",
        obj=appointment,
        after=audit.snapshot(appointment, APPOINTMENT_FIELDS),
    )
    notify.appointment_changed(appointment, actor=actor, event="booked")
    return appointment


@transaction.atomic
def import_appointment(
    *,
    actor: User | None,
    slot: Slot,
    people: int,
    full_name: str,
    email: str,
    date_of_birth: date,
    status: str = AppointmentStatus.BOOKED,
    phone: str = "",
    language: str = Language.EN,
) -> Appointment:
    """Record a booking made elsewhere (the earlier system, a phone call), past or future.

    Capacity is still checked under the slot's lock; the release time, the horizon and
    the per-person cap are the public's rules and do not apply here.
    """
    if status not in AppointmentStatus.values:
        raise ActionError(_("Unknown status."), field="status")
    locked = Slot.objects.select_for_update().get(pk=slot.pk)
    if status != AppointmentStatus.CANCELLED:
        if locked.booked + people > locked.capacity:
            raise ConflictError(
                _("This time has room for %(free)s more people.") % {"free": locked.free},
                field="slot",
                code="slot_full",
            )
        locked.booked += people
        locked.save(update_fields=["booked"])
    appointment = Appointment.objects.create(
        slot=locked,
        people=people,
        full_name=" ".join(full_name.split()),
        email=email.strip().lower(),
        phone=phone,
        date_of_birth=date_of_birth,
        language=language,
        status=status,
    )
    _history(appointment, "", actor, note="imported")
    audit.record(
        actor=actor,
        action="vac.appointment_import",
        obj=appointment,
        after=audit.snapshot(appointment, APPOINTMENT_FIELDS),
    )
    return appointment


def _lock_pair(a: int, b: int) -> dict[int, Slot]:
    """Lock two slots in id order, so two reschedules never wait on each other forever."""
    return {s.pk: s for s in Slot.objects.select_for_update().filter(pk__in=[a, b]).order_by("pk")}


@transaction.atomic
def reschedule_appointment(
    *, actor: User | None, appointment: Appointment, slot: Slot
) -> Appointment:
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.status != AppointmentStatus.BOOKED:
        raise ConflictError(_("Only a booked appointment can be moved."), field="status")
    if slot.pk == appointment.slot_id:
        raise ActionError(_("Choose a different time."), field="slot")
    if slot.service != appointment.slot.service:
        raise ActionError(_("Choose a time for the same service."), field="slot")
    rules = centre_rules_on(timezone.localdate())
    slots = _lock_pair(appointment.slot_id, slot.pk)
    old, new = slots[appointment.slot_id], slots[slot.pk]
    _check_slot(new, appointment.people, rules)
    before = audit.snapshot(appointment, APPOINTMENT_FIELDS)
    old.booked -= appointment.people
    new.booked += appointment.people
    old.save(update_fields=["booked"])
    new.save(update_fields=["booked"])
    appointment.slot = new
    appointment.save(update_fields=["slot"])
    _history(appointment, appointment.status, actor, note=f"moved from {old}")
    audit.record(
        actor=actor,
        action="vac.appointment_reschedule",
        obj=appointment,
        before=before,
        after=audit.snapshot(appointment, APPOINTMENT_FIELDS),
    )
    notify.appointment_changed(appointment, actor=actor, event="rescheduled")
    return appointment


def _move(appointment: Appointment, target: str, actor: User | None, note: str = "") -> None:
    workflow.check_transition(APPOINTMENT_MOVES, AppointmentStatus, appointment.status, target)
    before = appointment.status
    appointment.status = target
    appointment.save(update_fields=["status"])
    _history(appointment, before, actor, note)
    audit.record(
        actor=actor,
        action=f"vac.appointment_{target}",
        obj=appointment,
        changes={"status": [before, target]},
    )


@transaction.atomic
def cancel_appointment(*, actor: User | None, appointment: Appointment) -> Appointment:
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    _move(appointment, AppointmentStatus.CANCELLED, actor)
    slot = Slot.objects.select_for_update().get(pk=appointment.slot_id)
    slot.booked = max(slot.booked - appointment.people, 0)
    slot.save(update_fields=["booked"])
    notify.appointment_changed(appointment, actor=actor, event="cancelled")
    return appointment


@transaction.atomic
def check_in(*, actor: User, appointment: Appointment) -> Ticket:
    """The applicant is here: a queue ticket (A…) for the desk."""
    from passage.vac.actions.queue import issue_ticket

    appointment = (
        Appointment.objects.select_for_update().select_related("slot").get(pk=appointment.pk)
    )
    if timezone.localtime(appointment.slot.starts_at).date() != timezone.localdate():
        raise ActionError(_("Check-in is on the day of the appointment."), field="appointment")
    _move(appointment, AppointmentStatus.CHECKED_IN, actor)
    return issue_ticket(
        actor=actor,
        service=appointment.slot.service,
        name=appointment.full_name,
        people=appointment.people,
        appointment=appointment,
    )


@transaction.atomic
def mark_missed(*, actor: User, appointment: Appointment) -> Appointment:
    appointment = (
        Appointment.objects.select_for_update().select_related("slot").get(pk=appointment.pk)
    )
    if appointment.slot.starts_at > timezone.now():
        raise ActionError(_("An appointment is missed only after its time."), field="status")
    _move(appointment, AppointmentStatus.MISSED, actor)
    return appointment


@transaction.atomic
def complete_appointment(*, actor: User, appointment: Appointment) -> Appointment:
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    _move(appointment, AppointmentStatus.COMPLETED, actor)
    return appointment


@transaction.atomic
def mark_day_missed(*, actor: User, day: date) -> int:
    """At closing: every appointment of the day still only booked is missed."""
    if day > timezone.localdate():
        raise ActionError(_("The day has not come yet."), field="day")
    rows = Appointment.objects.filter(
        status=AppointmentStatus.BOOKED,
        slot__starts_at__date=day,
        slot__starts_at__lte=timezone.now(),
    )
    count = 0
    for appointment in rows:
        _move(appointment, AppointmentStatus.MISSED, actor, note="end of day")
        count += 1
    return count
