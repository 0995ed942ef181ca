"""Codes and statuses of movements: passenger types, bookings, manifests, notifications."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CodeKind(models.TextChoices):
    AIRPORT = "airport", _("Airport")
    AIRLINE = "airline", _("Airline")


class PassengerType(models.TextChoices):
    """IATA fare types: an infant under 2 travels on an adult's lap, without a seat."""

    ADULT = "ADT", _("Adult")
    CHILD = "CHD", _("Child (2–11)")
    INFANT = "INF", _("Infant without seat (under 2)")


class TravellerRole(models.TextChoices):
    MEMBER = "member", _("Case member")
    MEDICAL_ESCORT = "medical_escort", _("Medical escort")
    OPERATIONAL_ESCORT = "operational_escort", _("Operational escort")


class FlightStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    DEPARTED = "departed", _("Departed")
    ARRIVED = "arrived", _("Arrived")
    NO_SHOW = "no_show", _("No-show")
    OFFLOADED = "offloaded", _("Offloaded")
    INTERRUPTED = "interrupted", _("Travel interrupted")
    POSTPONED = "postponed", _("Postponed")
    REBOOKED = "rebooked", _("Rebooked")
    CANCELLED = "cancelled", _("Cancelled")


B = BookingStatus
_ENDS = frozenset(
    {B.ARRIVED, B.NO_SHOW, B.OFFLOADED, B.INTERRUPTED, B.POSTPONED, B.REBOOKED, B.CANCELLED}
)

# The one transition table of a booking. A booking that ends other than by arriving
# stays as history; the case goes back to booking and a new booking is made.
BOOKING_TRANSITIONS: dict[str, frozenset[str]] = {
    B.BOOKED: frozenset({B.DEPARTED, B.NO_SHOW, B.OFFLOADED, B.POSTPONED, B.REBOOKED, B.CANCELLED}),
    B.DEPARTED: frozenset({B.ARRIVED, B.INTERRUPTED}),
    **{end: frozenset() for end in _ENDS},
}

# Bookings whose passengers hold seats.
SEAT_HOLDING = frozenset({B.BOOKED, B.DEPARTED, B.ARRIVED, B.INTERRUPTED})
ACTIVE = frozenset({B.BOOKED, B.DEPARTED})


class TransitStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class NotificationKind(models.TextChoices):
    ADVANCE_BOOKING = "advance_booking", _("Advance booking notification")
    ARRIVAL = "arrival", _("Notification of arrival")
    TRAVEL = "travel", _("Travel notification")
    BOOKING_LETTER = "booking_letter", _("Booking letter")
    ITINERARY_CHANGE = "itinerary_change", _("Itinerary change")
    TRANSIT_ASSISTANCE = "transit_assistance", _("Transit assistance request")
