"""Booking a case on an itinerary: every check, then seats taken under a row lock.

Checks, in order, each refusing with the reason: the case's status; the legs
(scheduled, joined, minimum connection time at each transit airport); the embassy
request covering movement on the departure day; travel readiness for that day
(the blockers listed); the destination's arrival-day rule; members together unless
a split is authorised; infants on an adult's lap; escorts the health record asks
for; fares on the agreement; the MEDIF and the agreement's pregnancy rule
(``pregnancy``). Then, with the flights and seat blocks locked
(``select_for_update``, in id order), free seats and the destination's per-flight
cap are counted and the booking is written. Two officers taking the last seats at
once: the second waits for the lock, counts again, and is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core import audit
from passage.core.errors import ActionError, ConflictError
from passage.core.models import User
from passage.core.workflow import apply_transition
from passage.movements import manifests, pregnancy, sources
from passage.movements.actions import fare_for
from passage.movements.choices import (
    BOOKING_TRANSITIONS,
    SEAT_HOLDING,
    BookingStatus,
    FlightStatus,
    NotificationKind,
    PassengerType,
    TravellerRole,
)
from passage.movements.models import (
    Agreement,
    Booking,
    BookingLeg,
    BookingStatusChange,
    Flight,
    SeatBlock,
    Traveller,
)
from passage.profiles import queries as profiles
from passage.profiles.models import DestinationProfile
from passage.profiles.workdays import add_working_days, arrival_refusal
from passage.registry.actions import transition_case
from passage.registry.choices import CaseStatus
from passage.registry.models import Case, Membership, Person
from passage.registry.services import require_service

BOOKABLE = frozenset({CaseStatus.TRAVEL_READY, CaseStatus.BOOKING_REQUESTED})


@dataclass(frozen=True)
class Escort:
    role: str
    surname: str
    given_names: str
    date_of_birth: dt.date | None = None
    document: str = ""
    nationality: str = ""


@dataclass
class Plan:
    """What a booking will be, once every check has passed."""

    case: Case
    agreement: Agreement
    flights: list[Flight]
    departure_date: dt.date
    arrival_date: dt.date
    members: list[Membership]
    escorts: list[Escort] = field(default_factory=list)
    split_reason: str = ""


def passenger_type(born: dt.date | None, on: dt.date) -> str:
    if born is None:
        return PassengerType.ADULT
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    if age < 2:
        return PassengerType.INFANT
    return PassengerType.CHILD if age < 12 else PassengerType.ADULT


def check_itinerary(flights: Sequence[Flight], now: dt.datetime | None = None) -> None:
    """Legs scheduled, in the future, joined, with the transit airport's connection time."""
    if not flights:
        raise ActionError(_("Choose at least one flight."), field="flights")
    now = now or timezone.now()
    for index, flight in enumerate(flights):
        if flight.status != FlightStatus.SCHEDULED:
            raise ActionError(
                _("Flight %(f)s is cancelled.") % {"f": flight.designator}, field="flights"
            )
        if flight.departs_at <= now:
            raise ActionError(
                _("Flight %(f)s has already left.") % {"f": flight.designator}, field="flights"
            )
        if index == 0:
            continue
        before = flights[index - 1]
        if before.destination_id != flight.origin_id:
            raise ActionError(
                _("Flight %(a)s arrives at %(x)s but %(b)s leaves from %(y)s.")
                % {
                    "a": before.designator,
                    "x": before.destination.iata,
                    "b": flight.designator,
                    "y": flight.origin.iata,
                },
                field="flights",
                code="legs_not_joined",
            )
        gap = (flight.departs_at - before.arrives_at).total_seconds() / 60
        needed = flight.origin.min_connection_minutes
        if gap < needed:
            raise ActionError(
                _(
                    "At %(airport)s the connection from %(a)s to %(b)s is %(gap)d minutes; "
                    "the minimum connection time there is %(mct)d minutes."
                )
                % {
                    "airport": flight.origin.iata,
                    "a": before.designator,
                    "b": flight.designator,
                    "gap": int(gap),
                    "mct": needed,
                },
                field="flights",
                code="connection_too_short",
            )


def _check_case(case: Case, departure: dt.date, arrival: dt.date) -> None:
    if case.status not in BOOKABLE:
        raise ConflictError(
            _("Case %(case)s is “%(status)s”; only a travel-ready case can be booked.")
            % {"case": case.file_number, "status": case.get_status_display()},
            code="case_not_bookable",
            field="case",
        )
    check_ready(case, departure, arrival)


def check_ready(case: Case, departure: dt.date, arrival: dt.date) -> None:
    """The embassy request, readiness on the departure day, the arrival-day rule on the
    arrival leg's date (readiness would apply it to the departure date). Readiness's
    default pregnancy limit is left out: the agreement's rule applies (``plan_booking``)."""
    require_service(case, "movement", departure)
    result = sources.readiness_for([case], departure, arrival_checked=True, airline_checked=True)[
        case.pk
    ]
    if not result.ready:
        raise ActionError(
            _("Case %(case)s is not ready to travel on %(date)s: %(blockers)s")
            % {
                "case": case.file_number,
                "date": departure.isoformat(),
                "blockers": "; ".join(result.blockers),
            },
            code="not_ready",
            field="departure_date",
            errors=[{"message": b} for b in result.blockers],
        )
    profile = profiles.profile_for(case.destination_country, case.programme, departure)
    refusal = arrival_refusal(profile, arrival)
    if refusal:
        raise ActionError(refusal, code="arrival_day", field="flights")


def _choose_members(
    case: Case, people: Sequence[Person] | None, split_reason: str
) -> list[Membership]:
    members = list(
        Membership.objects.filter(case=case, ended_at__isnull=True).select_related("person")
    )
    if not members:
        raise ActionError(_("Case %(case)s has no members.") % {"case": case.file_number})
    if people is None:
        return members
    wanted = {p.pk for p in people}
    chosen = [m for m in members if m.person_id in wanted]
    if len(chosen) != len(wanted):
        raise ActionError(_("Someone chosen is not a member of this case."), field="members")
    if len(chosen) < len(members) and not split_reason.strip():
        left = ", ".join(m.person.latin_name for m in members if m.person_id not in wanted)
        raise ActionError(
            _(
                "A case travels together. %(left)s would stay behind: give the reason the split "
                "is authorised."
            )
            % {"left": left},
            code="split_not_authorised",
            field="split_reason",
        )
    return chosen


def plan_booking(
    *,
    case: Case,
    agreement: Agreement,
    flights: Sequence[Flight],
    people: Sequence[Person] | None = None,
    split_reason: str = "",
    escorts: Sequence[Escort] = (),
    check_case: bool = True,
) -> Plan:
    """Every check that needs no lock; raises the first refusal."""
    flights = list(flights)
    check_itinerary(flights)
    departure = flights[0].departs_local.date()
    arrival = flights[-1].arrives_local.date()
    if check_case:
        _check_case(case, departure, arrival)
    if not agreement.covers(departure):
        raise ActionError(
            _("Agreement %(ref)s is valid %(start)s to %(end)s, not on %(date)s.")
            % {
                "ref": agreement.reference,
                "start": agreement.valid_from,
                "end": agreement.valid_until,
                "date": departure,
            },
            field="agreement",
        )
    for flight in flights:
        if flight.airline_id != agreement.airline_id:
            raise ActionError(
                _("Flight %(f)s is not flown by the agreement's airline.")
                % {"f": flight.designator},
                field="agreement",
            )
    for escort in escorts:
        if escort.role not in (TravellerRole.MEDICAL_ESCORT, TravellerRole.OPERATIONAL_ESCORT):
            raise ActionError(_("Unknown escort role."), field="escorts")
        if not escort.surname.strip() or not escort.given_names.strip():
            raise ActionError(
                _("Give the escort's name as in the travel document."), field="escorts"
            )
    members = _choose_members(case, people, split_reason)
    plan = Plan(case, agreement, flights, departure, arrival, members, list(escorts), split_reason)
    _check_medif(plan)
    _check_pregnancy(plan)
    return plan


def _lock_and_count(plan: Plan, seats_needed: int, refugees: int) -> list[SeatBlock]:
    """Lock the flights and blocks, then check free seats and the per-flight cap."""
    ids = sorted(f.pk for f in plan.flights)
    list(Flight.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    blocks = list(
        SeatBlock.objects.select_for_update()
        .filter(flight_id__in=ids, agreement=plan.agreement)
        .order_by("pk")
    )
    profile = profiles.profile_for(
        plan.case.destination_country, plan.case.programme, plan.departure_date
    )
    now = timezone.now()
    chosen = []
    for flight in plan.flights:
        chosen.append(_block_for(flight, blocks, seats_needed, now))
        _check_cap(plan, profile, flight, refugees)
    return chosen


def over_cap_deadline(profile: DestinationProfile, departure: dt.date) -> dt.date | None:
    """The last day a booking over the per-flight cap can be made (working days of the
    destination before departure); None when the profile allows no booking over the cap."""
    notice = profile.over_cap_notice_working_days
    if notice is None:
        return None
    return add_working_days(profile.country, departure, -notice)


def _check_cap(plan: Plan, profile: DestinationProfile, flight: Flight, refugees: int) -> None:
    """The destination's most refugees on one flight; more only with the profile's notice."""
    cap = profile.max_refugees_per_flight
    if cap is None:
        return
    on_board = Traveller.objects.filter(
        booking__legs__flight=flight,
        booking__status__in=SEAT_HOLDING,
        booking__case__destination_country=plan.case.destination_country,
        role=TravellerRole.MEMBER,
    ).count()
    if on_board + refugees <= cap:
        return
    values = {"f": flight.designator, "n": on_board, "c": profile.country, "cap": cap}
    deadline = over_cap_deadline(profile, plan.departure_date)
    if deadline is None:
        message = _(
            "Flight %(f)s already carries %(n)d refugees to %(c)s; %(c)s takes at most "
            "%(cap)d on one flight."
        )
    elif timezone.localdate() <= deadline:
        return  # booked with the notice the destination asks for
    else:
        values |= {
            "days": profile.over_cap_notice_working_days,
            "deadline": deadline.isoformat(),
            "departure": plan.departure_date.isoformat(),
        }
        message = _(
            "Flight %(f)s already carries %(n)d refugees to %(c)s; %(c)s takes at most "
            "%(cap)d on one flight, and more only with %(days)d working days' notice: "
            "for the departure on %(departure)s the last day was %(deadline)s."
        )
    raise ConflictError(message % values, code="flight_cap", field="flights")


def _block_for(flight: Flight, blocks: list[SeatBlock], needed: int, now: dt.datetime) -> SeatBlock:
    mine = [b for b in blocks if b.flight_id == flight.pk]
    if not mine:
        raise ActionError(
            _("No seat block is held on %(f)s under this agreement.") % {"f": flight.designator},
            field="flights",
            code="no_seat_block",
        )
    free_total = 0
    for block in mine:
        if block.release_at <= now:
            continue
        taken = (
            Traveller.objects.filter(
                booking__legs__seat_block=block, booking__status__in=SEAT_HOLDING
            )
            .exclude(passenger_type=PassengerType.INFANT)
            .count()
        )
        free = block.seats - taken
        free_total += max(free, 0)
        if free >= needed:
            return block
    if all(b.release_at <= now for b in mine):
        raise ConflictError(
            _("The seat block on %(f)s was released.") % {"f": flight.designator},
            code="block_released",
            field="flights",
        )
    raise ConflictError(
        _("Not enough seats on %(f)s: %(free)d free, %(needed)d needed.")
        % {"f": flight.designator, "free": free_total, "needed": needed},
        code="no_seats",
        field="flights",
    )


def _travellers(plan: Plan, booking: Booking) -> list[Traveller]:
    """Members (with health SSRs), infants on an adult's lap, then escorts."""
    needs = sources.health_needs(plan.case, plan.departure_date)
    documents = sources.travel_documents([m.person_id for m in plan.members], plan.departure_date)
    origin, destination = plan.flights[0].origin, plan.flights[-1].destination
    agreement = plan.agreement
    rows: list[Traveller] = []
    for m in plan.members:
        person = m.person
        ptype = passenger_type(person.date_of_birth, plan.departure_date)
        ssrs = list(needs.get(person.pk, sources.HealthNeeds()).ssr_codes)
        rows.append(
            Traveller(
                booking=booking,
                role=TravellerRole.MEMBER,
                person=person,
                surname=person.latin_surname.upper(),
                given_names=person.latin_given_names.upper(),
                date_of_birth=person.date_of_birth,
                sex=person.sex,
                nationality=person.nationality,
                document=documents.get(person.pk, ""),
                passenger_type=ptype,
                ssr_codes=ssrs,
                baggage_pieces=1 if ptype == PassengerType.INFANT else agreement.baggage_pieces,
                baggage_kg=agreement.infant_baggage_kg
                if ptype == PassengerType.INFANT
                else agreement.baggage_kg,
                fare=fare_for(agreement, origin, destination, ptype),
                currency=agreement.currency,
            )
        )
    for e in plan.escorts:
        rows.append(
            Traveller(
                booking=booking,
                role=e.role,
                surname=e.surname.upper(),
                given_names=e.given_names.upper(),
                date_of_birth=e.date_of_birth,
                nationality=e.nationality,
                document=e.document,
                passenger_type=PassengerType.ADULT,
                baggage_pieces=agreement.baggage_pieces,
                baggage_kg=agreement.baggage_kg,
                fare=fare_for(agreement, origin, destination, PassengerType.ADULT),
                currency=agreement.currency,
            )
        )
    return rows


def _check_medif(plan: Plan) -> None:
    """An approved MEDIF (airline medical clearance) valid on departure, by the agreement's rule."""
    days = plan.agreement.medif_validity_days
    names = {m.person_id: m.person.latin_name for m in plan.members}
    for pid, (status, issued) in sources.medif(list(names)).items():
        if status != "approved" or issued is None:
            raise ActionError(
                _("The MEDIF of %(who)s is not approved.") % {"who": names[pid]},
                code="medif",
                field="members",
            )
        until = issued + dt.timedelta(days=days)
        if not issued <= plan.departure_date <= until:
            raise ActionError(
                _(
                    "The MEDIF of %(who)s (%(date)s) is valid %(days)d days under agreement "
                    "%(ref)s, until %(until)s, not on %(departure)s."
                )
                % {
                    "who": names[pid],
                    "date": issued.isoformat(),
                    "days": days,
                    "ref": plan.agreement.reference,
                    "until": until.isoformat(),
                    "departure": plan.departure_date.isoformat(),
                },
                code="medif",
                field="members",
            )


def _check_pregnancy(plan: Plan) -> None:
    """The agreement's pregnancy rule on the departure date (``passage.movements.pregnancy``)."""
    people = [(m.person_id, m.person.latin_name) for m in plan.members]
    found = pregnancy.refusals(plan.agreement, people, plan.departure_date)
    if found:
        raise ActionError(
            " ".join(found),
            code=pregnancy.CODE,
            field="members",
            errors=[{"message": message} for message in found],
        )


def _check_escorts_and_laps(plan: Plan, rows: list[Traveller]) -> None:
    needs = sources.health_needs(plan.case, plan.departure_date)
    wanting = [
        m.person.latin_name
        for m in plan.members
        if needs.get(m.person_id, sources.HealthNeeds()).escort_required
    ]
    if wanting and not any(e.role == TravellerRole.MEDICAL_ESCORT for e in plan.escorts):
        raise ActionError(
            _("The health record asks for a medical escort for %(who)s: book one with the case.")
            % {"who": ", ".join(wanting)},
            code="escort_required",
            field="escorts",
        )
    infants = [t for t in rows if t.passenger_type == PassengerType.INFANT]
    adults = [
        t
        for t in rows
        if t.role == TravellerRole.MEMBER and t.passenger_type == PassengerType.ADULT
    ]
    adults += [t for t in rows if t.role != TravellerRole.MEMBER]
    if len(infants) > len(adults):
        raise ActionError(
            _("%(n)d infants but only %(a)d adults: each infant travels on an adult's lap.")
            % {"n": len(infants), "a": len(adults)},
            code="infant_without_lap",
            field="members",
        )


def _save(
    plan: Plan, actor: User | None, blocks: list[SeatBlock], replaces: Booking | None
) -> Booking:
    booking = Booking.objects.create(
        case=plan.case,
        agreement=plan.agreement,
        departure_date=plan.departure_date,
        arrival_date=plan.arrival_date,
        split_authorised=plan.split_reason.strip(),
        group=len(plan.members) > 1,
        replaces=replaces,
        created_by=actor,
    )
    rows = _travellers(plan, booking)
    _check_escorts_and_laps(plan, rows)
    Traveller.objects.bulk_create(rows)
    saved = list(booking.travellers.order_by("id"))
    infants = [t for t in saved if t.passenger_type == PassengerType.INFANT]
    laps = [t for t in saved if t.passenger_type == PassengerType.ADULT]
    for infant, adult in zip(infants, laps, strict=False):
        infant.on_lap_of = adult
        infant.save(update_fields=["on_lap_of"])
        if "INFT" not in adult.ssr_codes:
            adult.ssr_codes = [*adult.ssr_codes, "INFT"]
            adult.save(update_fields=["ssr_codes"])
    BookingLeg.objects.bulk_create(
        BookingLeg(booking=booking, sequence=i + 1, flight=f, seat_block=b)
        for i, (f, b) in enumerate(zip(plan.flights, blocks, strict=True))
    )
    BookingStatusChange.objects.create(booking=booking, to_status=BookingStatus.BOOKED, actor=actor)
    sources.booking_changed(booking, actor)
    return booking


def _seats(plan: Plan) -> tuple[int, int]:
    ages = [passenger_type(m.person.date_of_birth, plan.departure_date) for m in plan.members]
    seats = sum(1 for t in ages if t != PassengerType.INFANT) + len(plan.escorts)
    return seats, len(plan.members)


@transaction.atomic
def book_case(
    *,
    actor: User,
    case: Case,
    agreement: Agreement,
    flights: Sequence[Flight],
    people: Sequence[Person] | None = None,
    split_reason: str = "",
    escorts: Sequence[Escort] = (),
) -> Booking:
    """Book a travel-ready case (all members, or an authorised part) on an itinerary."""
    plan = plan_booking(
        case=case,
        agreement=agreement,
        flights=flights,
        people=people,
        split_reason=split_reason,
        escorts=escorts,
    )
    blocks = _lock_and_count(plan, *_seats(plan))
    booking = _save(plan, actor, blocks, None)
    if case.status == CaseStatus.TRAVEL_READY:
        transition_case(
            actor=actor, case=case, to=CaseStatus.BOOKING_REQUESTED, reason=_("Booking")
        )
    transition_case(
        actor=actor,
        case=case,
        to=CaseStatus.BOOKED,
        reason=_("Booked on %(legs)s") % {"legs": itinerary_text(plan.flights)},
    )
    audit.record(
        actor=actor,
        action="movements.book",
        obj=booking,
        after={
            "case": case.file_number,
            "flights": [f.pk for f in plan.flights],
            "travellers": booking.travellers.count(),
            "split": plan.split_reason,
        },
    )
    manifests.refresh_flights(plan.flights, actor=actor, reason=f"booked {case.file_number}")
    return booking


def itinerary_text(flights: Sequence[Flight]) -> str:
    return ", ".join(f"{f.designator} {f.origin_code}–{f.destination_code}" for f in flights)


def set_booking_status(
    *, actor: User | None, booking: Booking, to: str, reason: str = ""
) -> Booking:
    """Move a booking through its table, with a history row and an audit event."""
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    apply_transition(
        locked,
        to,
        table=BOOKING_TRANSITIONS,
        choices=BookingStatus,
        history=BookingStatusChange,
        actor=actor,
        action="movements.booking_status",
        reason=reason,
    )
    booking.status, booking.status_changed_at = locked.status, locked.status_changed_at
    sources.booking_changed(booking, actor)
    return booking


@transaction.atomic
def rebook(
    *,
    actor: User,
    booking: Booking,
    flights: Sequence[Flight],
    reason: str,
    agreement: Agreement | None = None,
    people: Sequence[Person] | None = None,
) -> Booking:
    """Move a booked case to other flights; the old booking stays as history (rebooked).

    ``people`` (members of the booking) books only some of its travellers: those left
    out stay behind, a split whose authorisation is the booking's or ``reason``."""
    if not reason.strip():
        raise ActionError(_("Say why the case is rebooked."), field="reason")
    if booking.status != BookingStatus.BOOKED:
        raise ConflictError(
            _("Only a booking that has not departed can be rebooked."), field="booking"
        )
    booked = [t.person for t in booking.travellers.filter(role=TravellerRole.MEMBER) if t.person]
    if people is None:
        people = booked
    escorts = [
        Escort(t.role, t.surname, t.given_names, t.date_of_birth, t.document, t.nationality)
        for t in booking.travellers.exclude(role=TravellerRole.MEMBER)
    ]
    plan = plan_booking(
        case=booking.case,
        agreement=agreement or booking.agreement,
        flights=flights,
        people=people,
        escorts=escorts,
        split_reason=booking.split_authorised or reason,
        check_case=False,
    )
    old_flights = [leg.flight for leg in booking.legs.select_related("flight")]
    check_ready(booking.case, plan.departure_date, plan.arrival_date)
    set_booking_status(actor=actor, booking=booking, to=BookingStatus.REBOOKED, reason=reason)
    blocks = _lock_and_count(plan, *_seats(plan))
    new = _save(plan, actor, blocks, booking)
    audit.record(
        actor=actor,
        action="movements.rebook",
        obj=new,
        extra={"replaces": booking.pk, "reason": reason},
    )
    manifests.refresh_flights([*old_flights, *plan.flights], actor=actor, reason="rebooked")
    if booking.notifications.exists():
        # Whoever was told about the old itinerary is told about the change.
        from passage.movements import notify

        notify.notify(actor=actor, booking=new, kind=NotificationKind.ITINERARY_CHANGE)
    return new
