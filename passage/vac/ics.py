"""An appointment as an iCalendar file."""

from __future__ import annotations

from django.utils import timezone
from icalendar import Calendar, Event

from passage.vac.models import Appointment, CentreRules


def appointment_ics(appointment: Appointment, rules: CentreRules, link: str) -> bytes:
    slot = appointment.slot
    calendar = Calendar()
    calendar.add("prodid", "-//Passage//Visa Application Centre//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{appointment.reference}@passage-vac")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", slot.starts_at)
    event.add("dtend", slot.ends_at)
    event.add(
        "summary", f"{rules.centre_name}: {slot.get_service_display()} ({appointment.reference})"
    )
    if rules.address:
        event.add("location", rules.address)
    event.add("description", f"{appointment.reference}\n{link}")
    event.add("sequence", appointment.history.count())
    if appointment.status == "cancelled":
        event.add("status", "CANCELLED")
    calendar.add_component(event)
    return bytes(calendar.to_ical())
