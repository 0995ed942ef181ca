"""Codes and statuses of the visa application centre."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Service(models.TextChoices):
    BIOMETRICS = "biometrics", _("Biometrics enrolment")
    PASSPORT = "passport", _("Passport submission")
    DOCUMENTS = "documents", _("Document submission")
    COLLECTION = "collection", _("Passport collection")


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CHECKED_IN = "checked_in", _("Checked in")
    COMPLETED = "completed", _("Completed")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


APPOINTMENT_MOVES: dict[str, frozenset[str]] = {
    AppointmentStatus.BOOKED: frozenset(
        {AppointmentStatus.CHECKED_IN, AppointmentStatus.MISSED, AppointmentStatus.CANCELLED}
    ),
    AppointmentStatus.CHECKED_IN: frozenset({AppointmentStatus.COMPLETED}),
    AppointmentStatus.MISSED: frozenset({AppointmentStatus.CHECKED_IN}),  # came late after all
    AppointmentStatus.COMPLETED: frozenset(),
    AppointmentStatus.CANCELLED: frozenset(),
}

ACTIVE_APPOINTMENT = (AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN)


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    SERVING = "serving", _("Being served")
    DONE = "done", _("Done")
    LEFT = "left", _("Left without service")


TICKET_MOVES: dict[str, frozenset[str]] = {
    TicketStatus.WAITING: frozenset({TicketStatus.SERVING, TicketStatus.LEFT}),
    TicketStatus.SERVING: frozenset({TicketStatus.DONE, TicketStatus.WAITING, TicketStatus.LEFT}),
    TicketStatus.DONE: frozenset(),
    TicketStatus.LEFT: frozenset(),
}


class ApplicationType(models.TextChoices):
    VISITOR = "visitor", _("Visitor visa")
    STUDY = "study", _("Study permit")
    WORK = "work", _("Work permit")
    PERMANENT = "permanent", _("Permanent residence")
    OTHER = "other", _("Other")


class ResidenceClass(models.TextChoices):
    """How the biometrics rules see an application type."""

    TEMPORARY = "temporary", _("Temporary residence")
    PERMANENT = "permanent", _("Permanent residence")


class BiometricsOutcome(models.TextChoices):
    ENROL = "enrol", _("Enrol and charge")
    REUSE = "reuse", _("Reuse earlier biometrics (no fee)")
    EXEMPT_AGE = "exempt_age", _("Exempt by age")
    EXEMPT_REFUGEE = "exempt_refugee", _("Exempt: refugee resettled from abroad")


class CustodyStatus(models.TextChoices):
    RECEIVED = "received", _("Received at the centre")
    FORWARDED = "forwarded", _("Sent to the visa office")
    RETURNED = "returned", _("Returned from the visa office")
    READY = "ready", _("Ready for collection")
    COLLECTED = "collected", _("Collected")
    COURIERED = "couriered", _("Sent by courier")


CUSTODY_MOVES: dict[str, frozenset[str]] = {
    CustodyStatus.RECEIVED: frozenset({CustodyStatus.FORWARDED, CustodyStatus.READY}),
    CustodyStatus.FORWARDED: frozenset({CustodyStatus.RETURNED}),
    CustodyStatus.RETURNED: frozenset({CustodyStatus.READY}),
    CustodyStatus.READY: frozenset({CustodyStatus.COLLECTED, CustodyStatus.COURIERED}),
    CustodyStatus.COLLECTED: frozenset(),
    CustodyStatus.COURIERED: frozenset(),
}

IN_CUSTODY = (
    CustodyStatus.RECEIVED,
    CustodyStatus.FORWARDED,
    CustodyStatus.RETURNED,
    CustodyStatus.READY,
)


class Place(models.TextChoices):
    CENTRE = "centre", _("At the visa application centre")
    VISA_OFFICE = "visa_office", _("At the visa office")
    APPLICANT = "applicant", _("With the applicant")


PLACE_OF: dict[str, str] = {
    CustodyStatus.RECEIVED: Place.CENTRE,
    CustodyStatus.FORWARDED: Place.VISA_OFFICE,
    CustodyStatus.RETURNED: Place.CENTRE,
    CustodyStatus.READY: Place.CENTRE,
    CustodyStatus.COLLECTED: Place.APPLICANT,
    CustodyStatus.COURIERED: Place.APPLICANT,
}


class Language(models.TextChoices):
    EN = "en", "English"
    RU = "ru", "Русский"
    KY = "ky", "Кыргызча"
