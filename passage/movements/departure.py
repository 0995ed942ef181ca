"""The departure day: check-in, the pre-embarkation outcome, departed, arrived, and side branches.

Case statuses move only through the registry's transition table (with history);
the booking moves through its own. No-shows, offloads, interruptions and
postponements send the case back to booking (``booking_requested``) or, when a
validity lapsed, to medical (``medical_scheduled``); the booking stays as history.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from passage.core import audit
from passage.core.errors import ActionError, ConflictError
from passage.core.models import User
from passage.movements import manifests, pregnancy, sources
from passage.movements.booking import set_booking_status
from passage.movements.choices import BookingStatus, TravellerRole
from passage.movements.models import Booking, Traveller
from passage.profiles import queries as profiles
from passage.registry.actions import transition_case
from passage.registry.choices import CaseStatus

S = CaseStatus
BACK: dict[str, str] = {
    S.BOOKING_REQUESTED: S.BOOKING_REQUESTED,
    S.MEDICAL_SCHEDULED: S.MEDICAL_SCHEDULED,
}
BEFORE_FIT = (S.BOOKED, S.PARTNERS_NOTIFIED, S.LOAN_SIGNED, S.PREDEPARTURE_SCREENED)


def _flights(booking: Booking) -> list:  # type: ignore[type-arg]
    return [leg.flight for leg in booking.legs.select_related("flight__origin", "flight__airline")]


@transaction.atomic
def check_in(*, actor: User, traveller: Traveller, checked_in: bool = True) -> Traveller:
    if traveller.booking.status != BookingStatus.BOOKED:
        raise ConflictError(_("Only a booked passenger can be checked in."), field="traveller")
    traveller.checked_in = checked_in
    traveller.save(update_fields=["checked_in"])
    audit.record(
        actor=actor,
        action="movements.check_in",
        obj=traveller,
        changes={"checked_in": [not checked_in, checked_in]},
    )
    return traveller


def _check_outcomes(booking: Booking) -> None:
    """The pre-embarkation outcomes from health: unfit refuses; escort needs an escort."""
    case = booking.case
    profile = profiles.profile_for(case.destination_country, case.programme, booking.departure_date)
    needs = sources.health_needs(case, booking.departure_date)
    members = list(booking.travellers.filter(role=TravellerRole.MEMBER).select_related("person"))
    has_escort = booking.travellers.filter(role=TravellerRole.MEDICAL_ESCORT).exists()
    for t in members:
        outcome = needs.get(t.person_id or 0, sources.HealthNeeds()).last_check
        name = f"{t.surname} {t.given_names}"
        if outcome == "unfit":
            raise ConflictError(
                _("%(who)s was found unfit to travel at the pre-embarkation check: postpone.")
                % {"who": name},
                code="unfit",
                field="traveller",
            )
        if outcome == "escort" and not has_escort:
            raise ConflictError(
                _("%(who)s may travel only with a medical escort: rebook with one.")
                % {"who": name},
                code="escort_required",
                field="traveller",
            )
        if profile.fit_to_fly_required and not outcome:
            raise ConflictError(
                _("%(country)s requires a pre-embarkation check; none is recorded for %(who)s.")
                % {"country": profile.country, "who": name},
                code="no_fit_check",
                field="traveller",
            )


def _member_names(booking: Booking) -> list[tuple[int, str]]:
    rows = booking.travellers.filter(role=TravellerRole.MEMBER, person__isnull=False)
    return [(t.person_id, f"{t.surname} {t.given_names}") for t in rows if t.person_id]


def _check_pregnancy(booking: Booking) -> None:
    """The agreement's pregnancy rule on the actual departure date (the first leg's local
    date): a certificate too old, or none, now refuses."""
    legs = _flights(booking)
    day = legs[0].departs_local.date() if legs else booking.departure_date
    people = _member_names(booking)
    found = pregnancy.refusals(booking.agreement, people, day, departure_day=True)
    if found:
        raise ConflictError(
            " ".join(found),
            code=pregnancy.CODE,
            field="traveller",
            errors=[{"message": message} for message in found],
        )


def pregnancy_notices(booking: Booking) -> list[str]:
    """For an open booking: certificates due, or missing or too old for the rule."""
    if booking.status != BookingStatus.BOOKED:
        return []
    people = _member_names(booking)
    found = pregnancy.findings(booking.agreement, people, booking.departure_date)
    return [f.message for f in found]


@transaction.atomic
def mark_fit_to_travel(*, actor: User, booking: Booking) -> Booking:
    """Record that the pre-embarkation check passed for the whole case."""
    if booking.status != BookingStatus.BOOKED:
        raise ConflictError(_("The booking is not open."), field="booking")
    _check_outcomes(booking)
    _check_pregnancy(booking)
    # The health app moves the case itself when it records the last member's fit check.
    if booking.case.status != S.FIT_TO_TRAVEL:
        transition_case(
            actor=actor,
            case=booking.case,
            to=S.FIT_TO_TRAVEL,
            reason=_("Pre-embarkation check passed"),
        )
    return booking


def loan_refusal(booking: Booking) -> str | None:
    """Why the travel-loan rule blocks departure, or None."""
    case = booking.case
    profile = profiles.profile_for(case.destination_country, case.programme, booking.departure_date)
    if not profile.travel_loan_required:
        return None
    signed = sources.loan_notes_signed(case)
    if signed is None:
        return _(
            "%(country)s travel is on a loan: the promissory notes of case %(case)s cannot be "
            "confirmed as signed (no loan record)."
        ) % {"country": profile.country, "case": case.file_number}
    if not signed:
        return _("The promissory notes of case %(case)s are not all signed.") % {
            "case": case.file_number
        }
    return None


@transaction.atomic
def mark_departed(*, actor: User, booking: Booking) -> Booking:
    if booking.case.status != S.FIT_TO_TRAVEL:
        raise ConflictError(
            _("Case %(case)s is “%(status)s”; record the pre-embarkation check first.")
            % {"case": booking.case.file_number, "status": booking.case.get_status_display()},
            code="not_fit",
            field="case",
        )
    _check_pregnancy(booking)
    refusal = loan_refusal(booking)
    if refusal:
        raise ConflictError(refusal, code="loan_not_signed", field="loan")
    missing = [f"{t.surname} {t.given_names}" for t in booking.travellers.filter(checked_in=False)]
    if missing:
        raise ConflictError(
            _("Not checked in: %(who)s. Check them in, or mark the case a no-show or offloaded.")
            % {"who": ", ".join(missing)},
            code="not_checked_in",
            field="traveller",
        )
    set_booking_status(actor=actor, booking=booking, to=BookingStatus.DEPARTED)
    transition_case(actor=actor, case=booking.case, to=S.DEPARTED, reason=booking.pnr)
    return booking


@transaction.atomic
def mark_in_transit(*, actor: User, booking: Booking) -> Booking:
    if booking.status != BookingStatus.DEPARTED:
        raise ConflictError(_("The case has not departed."), field="booking")
    transition_case(actor=actor, case=booking.case, to=S.IN_TRANSIT)
    return booking


@transaction.atomic
def mark_arrived(*, actor: User, booking: Booking, confirmation: str) -> Booking:
    if not confirmation.strip():
        raise ActionError(_("Say who confirmed the arrival."), field="confirmation")
    set_booking_status(actor=actor, booking=booking, to=BookingStatus.ARRIVED, reason=confirmation)
    transition_case(actor=actor, case=booking.case, to=S.ARRIVED, reason=confirmation)
    return booking


def _back(
    actor: User, booking: Booking, booking_to: str, case_to: str, back_to: str, reason: str
) -> Booking:
    if back_to not in BACK:
        raise ActionError(_("Send the case back to booking or to medical."), field="back_to")
    if not reason.strip():
        raise ActionError(_("Give the reason."), field="reason")
    flights = _flights(booking)
    set_booking_status(actor=actor, booking=booking, to=booking_to, reason=reason)
    # An unfit check in the health app may already have postponed the case.
    booking.case.refresh_from_db(fields=["status"])
    if booking.case.status != case_to:
        transition_case(actor=actor, case=booking.case, to=case_to, reason=reason)
    transition_case(actor=actor, case=booking.case, to=BACK[back_to], reason=reason)
    manifests.refresh_flights(flights, actor=actor, reason=str(booking_to))
    return booking


@transaction.atomic
def mark_no_show(
    *, actor: User, booking: Booking, reason: str, back_to: str = S.BOOKING_REQUESTED
) -> Booking:
    return _back(actor, booking, BookingStatus.NO_SHOW, S.NO_SHOW, back_to, reason)


@transaction.atomic
def mark_offloaded(
    *, actor: User, booking: Booking, reason: str, back_to: str = S.BOOKING_REQUESTED
) -> Booking:
    return _back(actor, booking, BookingStatus.OFFLOADED, S.OFFLOADED, back_to, reason)


@transaction.atomic
def postpone(
    *, actor: User, booking: Booking, reason: str, back_to: str = S.BOOKING_REQUESTED
) -> Booking:
    return _back(actor, booking, BookingStatus.POSTPONED, S.POSTPONED, back_to, reason)


@transaction.atomic
def mark_interrupted(
    *, actor: User, booking: Booking, reason: str, back_to: str = S.BOOKING_REQUESTED
) -> Booking:
    return _back(actor, booking, BookingStatus.INTERRUPTED, S.TRAVEL_INTERRUPTED, back_to, reason)


@transaction.atomic
def set_booking_reference(
    *, actor: User, booking: Booking, pnr: str, tickets: dict[int, str] | None = None
) -> Booking:
    """Record the PNR and ticket numbers (13 digits: airline prefix and serial)."""
    pnr = pnr.strip().upper()
    if not (5 <= len(pnr) <= 8 and pnr.isalnum()):
        raise ActionError(_("A PNR is 5 to 8 letters and digits."), field="pnr")
    before = {"pnr": booking.pnr}
    booking.pnr = pnr
    booking.save(update_fields=["pnr"])
    travellers = {t.pk: t for t in booking.travellers.all()}
    for tid, number in (tickets or {}).items():
        number = number.replace("-", "").strip()
        if tid not in travellers:
            raise ActionError(_("Unknown traveller."), field="tickets")
        if not (number.isdigit() and len(number) == 13):
            raise ActionError(_("A ticket number has 13 digits."), field="tickets")
        travellers[tid].ticket_number = number
        travellers[tid].save(update_fields=["ticket_number"])
    audit.record(
        actor=actor,
        action="movements.booking_reference",
        obj=booking,
        before=before,
        after={"pnr": pnr},
        extra={"tickets": len(tickets or {})},
    )
    manifests.refresh_flights(_flights(booking), actor=actor, reason="PNR")
    return booking


@transaction.atomic
def set_traveller_document(*, actor: User, traveller: Traveller, document: str) -> Traveller:
    """The travel document a traveller flies on, as the manifest shows it."""
    document = " ".join(document.split()).upper()
    if not document:
        raise ActionError(_("Give the travel document."), field="document")
    if traveller.booking.status != BookingStatus.BOOKED:
        raise ConflictError(_("The booking is not open."), field="booking")
    before = {"document": traveller.document}
    traveller.document = document[:60]
    traveller.save(update_fields=["document"])
    audit.record(actor=actor, action="movements.traveller_document", obj=traveller,
                 before=before, after={"document": traveller.document})  # fmt: skip
    manifests.refresh_flights(_flights(traveller.booking), actor=actor, reason="document")
    return traveller
