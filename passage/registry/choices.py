"""Codes and statuses of the case registry."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from passage.profiles.choices import Programme

__all__ = [
    "CaseStatus",
    "LinkKind",
    "Priority",
    "Programme",
    "ReferenceKind",
    "Relationship",
    "Service",
    "Sex",
    "SubmissionCategory",
    "Vulnerability",
]


class Sex(models.TextChoices):
    """As ICAO Doc 9303 writes it in the MRZ."""

    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    UNSPECIFIED = "X", _("Unspecified")


class Relationship(models.TextChoices):
    PRINCIPAL = "principal", _("Principal applicant")
    SPOUSE = "spouse", _("Spouse or partner")
    CHILD = "child", _("Son or daughter")
    STEPCHILD = "stepchild", _("Stepchild")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Brother or sister")
    GRANDCHILD = "grandchild", _("Grandchild")
    GRANDPARENT = "grandparent", _("Grandparent")
    IN_LAW = "in_law", _("In-law")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    OTHER = "other", _("Other, not related")


class Priority(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency")
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")


class ReferenceKind(models.TextChoices):
    UNHCR_CASE = "unhcr_case", _("UNHCR case number")
    RECEIVING_STATE = "receiving_state", _("Receiving state's case number")
    US_CASE = "us_case", _("US case number")
    CA_FILE = "ca_file", _("Canada file number")
    CA_UCI = "ca_uci", _("Canada UCI")
    AU_HAP = "au_hap", _("Australian HAP ID")
    FORMER_FILE = "former_file", _("Former mission file number")
    OTHER = "other", _("Other reference")


# References that name one case only; "other" and former numbers may repeat.
UNIQUE_REFERENCE_KINDS = frozenset(
    {
        ReferenceKind.UNHCR_CASE,
        ReferenceKind.RECEIVING_STATE,
        ReferenceKind.US_CASE,
        ReferenceKind.CA_FILE,
        ReferenceKind.CA_UCI,
        ReferenceKind.AU_HAP,
    }
)


class Service(models.TextChoices):
    """What an embassy request asks the mission to do."""

    MEDICAL = "medical", _("Migration health assessment")
    CO = "co", _("Cultural orientation")
    MOVEMENT = "movement", _("Movement")


class SubmissionCategory(models.TextChoices):
    """UNHCR resettlement submission categories."""

    LEGAL_PHYSICAL_PROTECTION = "lpp", _("Legal and/or physical protection needs")
    SURVIVOR_OF_VIOLENCE = "svt", _("Survivor of violence and/or torture")
    MEDICAL_NEEDS = "med", _("Medical needs")
    WOMEN_AT_RISK = "war", _("Women and girls at risk")
    FAMILY_REUNIFICATION = "fr", _("Family reunification")
    CHILDREN_AT_RISK = "car", _("Children and adolescents at risk")
    NO_ALTERNATIVE = "lad", _("Lack of foreseeable alternative durable solutions")


class Vulnerability(models.TextChoices):
    UNACCOMPANIED_CHILD = "unaccompanied_child", _("Unaccompanied or separated child")
    SINGLE_PARENT = "single_parent", _("Single parent")
    OLDER_PERSON = "older_person", _("Older person at risk")
    DISABILITY = "disability", _("Disability")
    SERIOUS_MEDICAL = "serious_medical", _("Serious medical condition")
    PREGNANT = "pregnant", _("Pregnant or lactating")
    TORTURE_SURVIVOR = "torture_survivor", _("Survivor of torture or violence")
    WOMAN_AT_RISK = "woman_at_risk", _("Woman at risk")
    MOBILITY = "mobility", _("Reduced mobility (needs assistance)")


class LinkKind(models.TextChoices):
    SPLIT = "split", _("Split")
    MERGE = "merge", _("Merge")


class CaseStatus(models.TextChoices):
    """The whole workflow of the primer, in order, then the side branches and the ends."""

    REFERRED = "referred", _("Referred")
    OPENED = "opened", _("Opened")
    INTERVIEW_SCHEDULED = "interview_scheduled", _("Selection interview scheduled")
    INTERVIEWED = "interviewed", _("Selection interview held")
    CONDITIONALLY_APPROVED = "conditionally_approved", _("Conditionally approved")
    APPROVED = "approved", _("Approved")
    MEDICAL_SCHEDULED = "medical_scheduled", _("Medical scheduled")
    MEDICAL_EXAMINED = "medical_examined", _("Medical examined")
    MEDICAL_PENDING = "medical_pending", _("Medical results pending")
    MEDICAL_HELD = "medical_held", _("Medical hold")
    MEDICAL_CLEARED = "medical_cleared", _("Medically cleared")
    MEDICAL_FOLLOW_UP = "medical_follow_up", _("Cleared with follow-up")
    CO_SCHEDULED = "co_scheduled", _("CO scheduled")
    CO_ATTENDED = "co_attended", _("CO attended")
    ASSURANCE_RECEIVED = "assurance_received", _("Assurance received")
    DOCUMENTS_IN_PROCESS = "documents_in_process", _("Documents in process")
    TRAVEL_READY = "travel_ready", _("Travel-ready")
    BOOKING_REQUESTED = "booking_requested", _("Booking requested")
    BOOKED = "booked", _("Booked")
    PARTNERS_NOTIFIED = "partners_notified", _("Receiving parties notified")
    LOAN_SIGNED = "loan_signed", _("Loan signed")
    PREDEPARTURE_SCREENED = "predeparture_screened", _("Pre-departure screening done")
    FIT_TO_TRAVEL = "fit_to_travel", _("Fit to travel")
    DEPARTED = "departed", _("Departed")
    IN_TRANSIT = "in_transit", _("In transit")
    ARRIVED = "arrived", _("Arrived")
    NO_SHOW = "no_show", _("No-show")
    OFFLOADED = "offloaded", _("Offloaded")
    TRAVEL_INTERRUPTED = "travel_interrupted", _("Travel interrupted")
    POSTPONED = "postponed", _("Postponed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")


S = CaseStatus
_ENDS = frozenset({S.WITHDRAWN, S.CLOSED})
_BACK = frozenset({S.BOOKING_REQUESTED, S.MEDICAL_SCHEDULED})

# The one transition table of a case. Other apps move cases through it with
# passage.registry.actions.transition_case.
CASE_TRANSITIONS: dict[str, frozenset[str]] = {
    S.REFERRED: frozenset({S.OPENED}) | _ENDS,
    # Family reunification and self-paying cases have no selection interview.
    S.OPENED: frozenset({S.INTERVIEW_SCHEDULED, S.MEDICAL_SCHEDULED, S.DOCUMENTS_IN_PROCESS})
    | _ENDS,
    S.INTERVIEW_SCHEDULED: frozenset({S.INTERVIEWED}) | _ENDS,
    S.INTERVIEWED: frozenset({S.APPROVED, S.CONDITIONALLY_APPROVED}) | _ENDS,
    S.CONDITIONALLY_APPROVED: frozenset({S.APPROVED, S.MEDICAL_SCHEDULED}) | _ENDS,
    S.APPROVED: frozenset({S.MEDICAL_SCHEDULED, S.CO_SCHEDULED, S.ASSURANCE_RECEIVED}) | _ENDS,
    S.MEDICAL_SCHEDULED: frozenset({S.MEDICAL_EXAMINED}) | _ENDS,
    S.MEDICAL_EXAMINED: frozenset(
        {S.MEDICAL_PENDING, S.MEDICAL_CLEARED, S.MEDICAL_HELD, S.MEDICAL_FOLLOW_UP}
    )
    | _ENDS,
    S.MEDICAL_PENDING: frozenset({S.MEDICAL_CLEARED, S.MEDICAL_HELD, S.MEDICAL_FOLLOW_UP}) | _ENDS,
    # Held: Class A, treated, then examined again.
    S.MEDICAL_HELD: frozenset({S.MEDICAL_SCHEDULED}) | _ENDS,
    S.MEDICAL_CLEARED: frozenset({S.CO_SCHEDULED, S.ASSURANCE_RECEIVED, S.DOCUMENTS_IN_PROCESS})
    | _ENDS,
    S.MEDICAL_FOLLOW_UP: frozenset(
        {S.CO_SCHEDULED, S.ASSURANCE_RECEIVED, S.DOCUMENTS_IN_PROCESS, S.MEDICAL_SCHEDULED}
    )
    | _ENDS,
    # CO is optional in some programmes, so a scheduled course may be skipped.
    S.CO_SCHEDULED: frozenset({S.CO_ATTENDED, S.ASSURANCE_RECEIVED, S.DOCUMENTS_IN_PROCESS})
    | _ENDS,
    S.CO_ATTENDED: frozenset({S.ASSURANCE_RECEIVED, S.DOCUMENTS_IN_PROCESS}) | _ENDS,
    S.ASSURANCE_RECEIVED: frozenset({S.CO_SCHEDULED, S.DOCUMENTS_IN_PROCESS}) | _ENDS,
    S.DOCUMENTS_IN_PROCESS: frozenset({S.TRAVEL_READY, S.MEDICAL_SCHEDULED}) | _ENDS,
    # Travel-ready falls back when a validity window no longer covers departure.
    S.TRAVEL_READY: frozenset({S.BOOKING_REQUESTED, S.DOCUMENTS_IN_PROCESS, S.MEDICAL_SCHEDULED})
    | _ENDS,
    S.BOOKING_REQUESTED: frozenset({S.BOOKED, S.TRAVEL_READY}) | _ENDS,
    S.BOOKED: frozenset(
        {S.PARTNERS_NOTIFIED, S.PREDEPARTURE_SCREENED, S.FIT_TO_TRAVEL, S.POSTPONED}
    )
    | _ENDS,
    S.PARTNERS_NOTIFIED: frozenset(
        {S.LOAN_SIGNED, S.PREDEPARTURE_SCREENED, S.FIT_TO_TRAVEL, S.POSTPONED}
    )
    | _ENDS,
    # A rebooking that changes a signed loan's amount asks for new notes: back one step.
    S.LOAN_SIGNED: frozenset(
        {S.PARTNERS_NOTIFIED, S.PREDEPARTURE_SCREENED, S.FIT_TO_TRAVEL, S.POSTPONED}
    )
    | _ENDS,
    S.PREDEPARTURE_SCREENED: frozenset({S.FIT_TO_TRAVEL, S.POSTPONED, S.MEDICAL_SCHEDULED}) | _ENDS,
    # The pre-embarkation check: fit (or fit with an escort) departs; unfit postpones.
    S.FIT_TO_TRAVEL: frozenset({S.DEPARTED, S.NO_SHOW, S.OFFLOADED, S.POSTPONED}) | _ENDS,
    S.DEPARTED: frozenset({S.IN_TRANSIT, S.ARRIVED, S.TRAVEL_INTERRUPTED}),
    S.IN_TRANSIT: frozenset({S.ARRIVED, S.TRAVEL_INTERRUPTED}),
    S.ARRIVED: frozenset({S.CLOSED}),
    # Side branches go back to booking, or to medical when a validity lapsed.
    S.NO_SHOW: _BACK | _ENDS,
    S.OFFLOADED: _BACK | _ENDS,
    S.TRAVEL_INTERRUPTED: _BACK | _ENDS,
    S.POSTPONED: _BACK | _ENDS,
    S.WITHDRAWN: frozenset(),
    S.CLOSED: frozenset(),
}

FINAL_STATUSES = frozenset(s for s, moves in CASE_TRANSITIONS.items() if not moves)
OPEN_STATUSES = frozenset(CaseStatus.values) - FINAL_STATUSES - {S.ARRIVED}

# Nationality codes beyond ISO 3166: ICAO Doc 9303 stateless and refugee codes.
ICAO_NATIONALITY_CODES = {
    "XXA": _("Stateless person"),
    "XXB": _("Refugee (1951 Convention)"),
    "XXC": _("Refugee (other)"),
}
