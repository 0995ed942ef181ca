"""Demo movements: airports, airlines, agreements with fares, the coming weeks' flights with
seat blocks, a transit office, and bookings of the demo caseload's travel-ready cases.

Idempotent: what exists (by code, reference, flight and date, booked case) is kept.
Bookings go through ``book_case`` with every rule; a case the rules refuse is reported
and left for a movement officer to book in the browser.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.apps import apps
from django.core.management.base import OutputWrapper
from django.db import transaction
from django.utils import timezone

from passage.core.actions import create_organisation
from passage.core.choices import OrgKind
from passage.core.errors import ActionError
from passage.core.models import Organisation, User
from passage.movements import actions, departure, notify, sources
from passage.movements import booking as bk
from passage.movements.choices import (
    ACTIVE,
    BookingStatus,
    NotificationKind,
    PassengerType,
    TravellerRole,
)
from passage.movements.models import (
    Agreement,
    Airport,
    Booking,
    Flight,
    SeatBlock,
    TransitOffice,
)
from passage.profiles import queries as profiles
from passage.profiles.choices import Programme
from passage.registry.actions import update_case
from passage.registry.choices import CaseStatus
from passage.registry.models import Case

AIRPORTS = ["BSZ", "OSS", "IST", "FRA", "JFK", "ORD", "YYZ", "YUL", "ARN", "OSL", "HEL", "AMS"]
AIRLINES = ["TK", "KC", "LH", "AC", "QH"]
# (airline, reference, currency, fee, fares {destination: (adult, child, infant)})
AGREEMENTS = [
    ("TK", "TK-IOM-KG", "USD", "25.00", {
        "JFK": ("640.00", "480.00", "64.00"), "ORD": ("690.00", "518.00", "69.00"),
        "YYZ": ("710.00", "533.00", "71.00"), "ARN": ("390.00", "293.00", "39.00"),
        "OSL": ("410.00", "308.00", "41.00"), "IST": ("210.00", "158.00", "21.00"),
    }),
    ("LH", "LH-IOM-KG", "EUR", "20.00", {
        "FRA": ("320.00", "240.00", "32.00"), "HEL": ("360.00", "270.00", "36.00"),
        "AMS": ("350.00", "263.00", "35.00"),
    }),
]  # fmt: skip
# (airline, number, origin, destination, weekday (ISO), local departure, hours, arrival zone)
SCHEDULE = [
    ("TK", "345", "BSZ", "IST", 2, (7, 40), 5.8),
    ("TK", "1", "IST", "JFK", 2, (13, 0), 11.5),
    ("TK", "17", "IST", "YYZ", 2, (14, 0), 11.0),
    ("TK", "1797", "IST", "ARN", 2, (14, 30), 3.9),
    ("TK", "345", "BSZ", "IST", 4, (7, 40), 5.8),
    ("TK", "5", "IST", "ORD", 4, (13, 30), 12.0),
    ("LH", "1391", "BSZ", "FRA", 3, (4, 10), 7.5),
]
WEEKS = 8
# Receiving parties of the demo's other destinations: (country, name, e-mail).
RECEIVING = [
    ("CA", "COSTI Immigrant Services, Toronto (resettlement assistance)", "arrivals@costi.example"),
    ("SE", "Migrationsverket, reception unit", "reception@migrationsverket.example"),
]
WEEKS_BACK = 3
ENDINGS = {
    "arrived": "arrived", "departed": "departed", "no_show": "no_show", "interrupted": "interrupted"
}  # fmt: skip
WITNESS = "A. Sadykova (IOM finance assistant)"


def _officer() -> User | None:
    return User.objects.filter(role="movement_officer", is_active=True).order_by("pk").first()


def _reference_data(actor: User | None) -> None:
    for code in AIRPORTS:
        actions.ensure_airport(actor=actor, code=code)
    for code in AIRLINES:
        actions.ensure_airline(actor=actor, code=code)
    ist = actions.ensure_airport(actor=actor, code="IST")
    if not TransitOffice.objects.filter(airport=ist).exists():
        actions.set_transit_office(
            actor=actor, airport=ist, name="IOM Istanbul, airport desk",
            email="transit-ist@passage.example",
        )  # fmt: skip


def _agreements(actor: User, today: dt.date) -> list[Agreement]:
    rows = []
    for airline, reference, currency, fee, fares in AGREEMENTS:
        agreement = Agreement.objects.filter(reference=reference).first()
        if agreement is None:
            agreement = actions.create_agreement(
                actor=actor, airline=actions.ensure_airline(actor=actor, code=airline),
                reference=reference, valid_from=today.replace(month=1, day=1),
                valid_until=today.replace(year=today.year + 1, month=12, day=31),
                currency=currency, service_fee=fee,
                rebooking_rules="Free rebooking up to 24 h before departure.",
                refund_rules="Refundable less the agency's service fee.",
            )  # fmt: skip
            origin = actions.ensure_airport(actor=actor, code="BSZ")
            for dest, amounts in fares.items():
                for ptype, amount in zip(PassengerType.values, amounts, strict=True):
                    actions.set_fare(
                        actor=actor, agreement=agreement, origin=origin,
                        destination=actions.ensure_airport(actor=actor, code=dest),
                        passenger_type=ptype, amount=Decimal(amount),
                    )  # fmt: skip
        rows.append(agreement)
    return rows


def _flights(actor: User, today: dt.date, agreements: dict[str, Agreement]) -> int:
    made = 0
    # The coming weeks, and the past ones (the cases that already travelled); none this week.
    for week in [*range(-WEEKS_BACK - 1, -1), *range(WEEKS)]:
        monday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=week + 1)
        for airline, number, o, d, weekday, (hh, mm), hours in SCHEDULE:
            origin = actions.ensure_airport(actor=actor, code=o)
            dest = actions.ensure_airport(actor=actor, code=d)
            day = monday + dt.timedelta(days=weekday - 1)
            departs = dt.datetime(day.year, day.month, day.day, hh, mm, tzinfo=ZoneInfo(origin.tz))
            carrier = actions.ensure_airline(actor=actor, code=airline)
            if Flight.objects.filter(airline=carrier, number=number, departs_at=departs).exists():
                continue
            arrives = (departs + dt.timedelta(hours=hours)).astimezone(ZoneInfo(dest.tz))
            flight = actions.schedule_flight(
                actor=actor, airline=carrier, number=number, origin=origin, destination=dest,
                departs_at=departs, arrives_at=arrives,
            )  # fmt: skip
            agreement = agreements[airline]
            if agreement.covers(day) and not SeatBlock.objects.filter(flight=flight).exists():
                actions.hold_seat_block(
                    actor=actor, flight=flight, agreement=agreement, seats=30,
                    release_at=flight.departs_at - dt.timedelta(days=5),
                )  # fmt: skip
            made += 1
    return made


def _routes(
    case: Case, agreements: list[Agreement], after: dt.datetime, before: dt.datetime | None = None
) -> Iterator[tuple[Agreement, list[Flight]]]:
    """BSZ departures after ``after`` (and before ``before``), soonest first, that reach the
    case's destination country directly or with one connection on the same airline."""
    firsts = Flight.objects.filter(origin__iata="BSZ", departs_at__gt=after).select_related(
        "origin", "destination", "airline"
    )
    if before is not None:
        firsts = firsts.filter(departs_at__lt=before)
    for first in firsts.order_by("departs_at", "pk")[:60]:
        agreement = next((a for a in agreements if a.airline_id == first.airline_id), None)
        if agreement is None:
            continue
        if first.destination.country == case.destination_country:
            yield agreement, [first]
        connection = dt.timedelta(minutes=first.destination.min_connection_minutes)
        for second in Flight.objects.filter(
            origin=first.destination,
            destination__country=case.destination_country,
            departs_at__gt=first.arrives_at + connection,
            departs_at__lt=first.arrives_at + dt.timedelta(hours=12),
            airline=first.airline,
        ).select_related("origin", "destination", "airline")[:1]:
            yield agreement, [first, second]


def _itinerary(
    case: Case, agreements: list[Agreement], after: dt.datetime, before: dt.datetime | None = None
) -> tuple[Agreement, list[Flight]] | None:
    return next(_routes(case, agreements, after, before), None)


def _receiving_parties(actor: User, cases: list[Case]) -> None:
    """A case to book without a receiving party gets its destination's demo one (through the
    registry's case update), so the partners can be notified."""
    for country, name, email in RECEIVING:
        party = Organisation.objects.filter(name=name).first()
        if party is None:
            party = create_organisation(
                actor=actor, name=name, kind=OrgKind.AGENCY, country=country, email=email
            )
        for case in cases:
            if case.destination_country == country and case.receiving_party_id is None:
                update_case(actor=actor, case=case, receiving_party=party)


def _candidates() -> list[Case]:
    """Cases the rules may book: travel-ready or booking requested, without an open booking,
    going where the demo's agreements fly (self-paying cases are the ticket counter's)."""
    countries = set(Airport.objects.values_list("country", flat=True)) - {"KG", "TR"}
    return list(
        Case.objects.filter(status__in=bk.BOOKABLE, destination_country__in=countries)
        .exclude(programme=Programme.SELF_PAYING)
        .exclude(bookings__status__in=ACTIVE)
        .order_by("pk")
    )


def _has_profile(case: Case, day: dt.date) -> bool:
    try:
        profiles.profile_for(case.destination_country, case.programme, day)
    except ActionError:
        return False
    return True


def _loan_required(case: Case, day: dt.date) -> bool:
    try:
        profile = profiles.profile_for(case.destination_country, case.programme, day)
    except ActionError:
        return False  # no profile: booking will say so
    return bool(profile.travel_loan_required)


def _book(
    actor: User, case: Case, route: tuple[Agreement, list[Flight]], stdout: OutputWrapper
) -> Booking | None:
    agreement, flights = route
    try:
        with transaction.atomic():
            booking = bk.book_case(actor=actor, case=case, agreement=agreement, flights=flights)
    except ActionError as exc:
        stdout.write(f"  not booked {case.file_number}: {exc.message}")
        return None
    _notify(actor, booking, stdout)
    return booking


def _notify(actor: User, booking: Booking, stdout: OutputWrapper) -> None:
    """The destination's first notification (not the arrival one), through the outbox."""
    skip = {NotificationKind.ARRIVAL, NotificationKind.ITINERARY_CHANGE}
    kinds = [k for k in notify.kinds_for(booking) if k not in skip]
    party = booking.case.receiving_party
    if not kinds or party is None or not party.email:
        return
    try:
        with transaction.atomic():
            notify.notify(actor=actor, booking=booking, kind=kinds[0])
    except ActionError as exc:
        stdout.write(f"  not notified {booking.case.file_number}: {exc.message}")


def _step(stdout: OutputWrapper, case: Case, what: str, action: Callable[[], object]) -> bool:
    """One action in its own transaction; a refusal is reported and the walk stops."""
    try:
        with transaction.atomic():
            action()
    except ActionError as exc:
        stdout.write(f"  {case.file_number} not {what}: {exc.message}")
        return False
    return True


def _sign_notes(case: Case, on: dt.date) -> None:
    """The travel loan's notes generated and signed by the demo finance officer (when the
    loans capability is installed and the destination asks for a loan)."""
    if not apps.is_installed("passage.loans"):
        return
    from passage.loans import actions as loans
    from passage.loans.choices import NoteStatus

    officer = User.objects.filter(role="finance_officer", is_active=True).order_by("pk").first()
    loan = loans.live_loan(case)
    if officer is None or loan is None:
        return
    loans.generate_notes(actor=officer, loan=loan, on=on)
    for note in loan.notes.filter(round=loan.round, status=NoteStatus.PENDING):
        loans.record_signature(actor=officer, note=note, signed_on=on, witness=WITNESS)


def _fit_checks(actor: User, booking: Booking) -> None:
    """The pre-embarkation check of every member, 30 hours before the first leg (health)."""
    departs = booking.legs.select_related("flight").first().flight.departs_at  # type: ignore[union-attr]
    members = list(booking.travellers.filter(role=TravellerRole.MEMBER, person__isnull=False))
    if apps.is_installed("passage.health"):
        from passage.health import records
    else:
        members = []
    for traveller in members:
        records.record_departure_check(
            actor=actor, case=booking.case, person=traveller.person,  # type: ignore[arg-type]
            kind="fit_to_fly", checked_at=departs - dt.timedelta(hours=30),
            departure_at=departs, outcome="fit",
        )  # fmt: skip
    booking.case.refresh_from_db(fields=["status"])
    if booking.case.status != CaseStatus.FIT_TO_TRAVEL:
        departure.mark_fit_to_travel(actor=actor, booking=booking)


def _check_in(actor: User, booking: Booking) -> None:
    for traveller in booking.travellers.all():
        departure.check_in(actor=actor, traveller=traveller)


@contextmanager
def _at(moment: dt.datetime) -> Iterator[None]:
    """Replay a step of the past weeks at the time it happened (time-machine, a development
    dependency; ``_past`` is skipped without it)."""
    import time_machine

    with time_machine.travel(moment, tick=False):
        yield


def _past(
    actor: User, case: Case, agreements: list[Agreement], week: int, ending: str,
    stdout: OutputWrapper,
) -> Booking | None:  # fmt: skip
    """Replay a case's travel on a flight ``week`` weeks ago, through the real actions:
    booked 12 days before, partners notified, notes signed, the fit-to-fly check, check-in,
    then ``ending``: arrived, departed (arrival not yet confirmed), no_show or interrupted."""
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    start = monday - dt.timedelta(weeks=week)
    after = dt.datetime(start.year, start.month, start.day, tzinfo=dt.UTC)
    route = _itinerary(case, agreements, after, after + dt.timedelta(days=7))
    if route is None:
        return None
    flights = route[1]
    departs, arrives = flights[0].departs_at, flights[-1].arrives_at
    people = list(case.memberships.filter(ended_at__isnull=True).values_list("person", flat=True))
    if sources.pregnancy(people, timezone.localdate()):
        return None  # a pregnant traveller: left for the coming weeks (the certificate rule)
    with _at(departs - dt.timedelta(days=12)):
        booking = _book(actor, case, route, stdout)
    if booking is None:
        return None
    with _at(departs - dt.timedelta(days=10)):
        if not _step(stdout, case, "signed", lambda: _sign_notes(case, timezone.localdate())):
            return booking
    with _at(departs - dt.timedelta(hours=29)):
        if not _step(stdout, case, "fit to travel", lambda: _fit_checks(actor, booking)):
            return booking
    if ending == "no_show":
        with _at(departs + dt.timedelta(minutes=20)):
            _step(stdout, case, "a no-show", lambda: departure.mark_no_show(
                actor=actor, booking=booking, reason="Did not come to the airport; the family "
                "asked for a later flight (illness).",
            ))  # fmt: skip
        return booking
    with _at(departs - dt.timedelta(hours=3)):
        if not _step(stdout, case, "checked in", lambda: _check_in(actor, booking)):
            return booking
    with _at(departs + dt.timedelta(minutes=15)):
        if not _step(stdout, case, "departed", lambda: departure.mark_departed(
            actor=actor, booking=booking
        )):  # fmt: skip
            return booking
    if ending == "interrupted" and len(flights) > 1:
        with _at(flights[0].arrives_at + dt.timedelta(hours=2)):
            _step(stdout, case, "interrupted", lambda: departure.mark_interrupted(
                actor=actor, booking=booking, reason=f"Missed the connection at "
                f"{flights[0].destination.iata}; returned with the transit office's help.",
            ))  # fmt: skip
    elif ending == "arrived":
        party = case.receiving_party.name if case.receiving_party else "the receiving party"
        with _at(arrives + dt.timedelta(hours=3)):
            _step(stdout, case, "arrived", lambda: departure.mark_arrived(
                actor=actor, booking=booking, confirmation=f"Met at the airport by {party}",
            ))  # fmt: skip
    return booking


def _bookings(actor: User, agreements: list[Agreement], stdout: OutputWrapper) -> dict[str, int]:
    """Every case the rules allow booked; a few walked through the past weeks' travel."""
    done = {"booked": 0, "arrived": 0, "departed": 0, "no_show": 0, "interrupted": 0}
    cases = _candidates()
    _receiving_parties(actor, cases)
    today = timezone.localdate()
    # US cases last: the coming weeks keep one for the rebooking at another fare.
    loan_cases = sorted(
        (c for c in cases if _loan_required(c, today)),
        key=lambda c: (c.destination_country == "US", c.pk),
    )
    others = [c for c in cases if c not in loan_cases and _has_profile(c, today)]
    # (pool, weeks ago, ending): each ending walks the first case of its pool that books
    # (a case with a pregnant traveller, for one, is left for the coming weeks).
    plan = [
        (loan_cases, 2, "arrived"),
        (loan_cases, 1, "departed"),
        (loan_cases, 1, "no_show"),
        (others, 1, "interrupted"),  # at the transit airport: a case with a connection
    ]
    try:
        import time_machine  # noqa: F401
    except ImportError:
        stdout.write("  movements: time-machine is not installed; no past travel replayed")
        plan = []
    for pool, week, ending in plan:
        for case in list(pool):
            booking = _past(actor, case, agreements, week, ending, stdout)
            if booking is None:
                continue
            pool.remove(case)
            booking.refresh_from_db()
            done["booked"] += 1
            if booking.status in ENDINGS:
                done[ENDINGS[booking.status]] += 1
            break
    # The coming weeks: every case still to book (no-shows and interruptions again).
    soon = timezone.now() + dt.timedelta(days=5, hours=1)
    for case in _candidates():
        route = _itinerary(case, agreements, soon)
        if route is not None and _book(actor, case, route, stdout) is not None:
            done["booked"] += 1
    return done


def _rebook_dearer(actor: User, stdout: OutputWrapper) -> bool:
    """A signed loan case moved to another routing with another fare: the loan's total
    changes by an adjustment, its notes are superseded and new ones are asked for."""
    found: tuple[Booking, list[Flight]] | None = None
    loan_bookings = Booking.objects.exclude(case__programme=Programme.SELF_PAYING)
    if loan_bookings.filter(replaces__isnull=False).exists():
        return False  # done on an earlier load
    for booking in loan_bookings.filter(
        status=BookingStatus.BOOKED, case__destination_country="US"
    ).order_by("pk"):
        legs = [leg.flight for leg in booking.legs.select_related("flight")]
        for _agreement, flights in _routes(
            booking.case, [booking.agreement], legs[0].departs_at - dt.timedelta(hours=1)
        ):
            if flights[-1].destination_id != legs[-1].destination_id:
                found = (booking, flights)
                break
        if found is not None:
            break
    if found is None:
        return False
    booking, flights = found
    case = booking.case
    if not _step(stdout, case, "signed", lambda: _sign_notes(case, timezone.localdate())):
        return False
    return _step(stdout, case, "rebooked", lambda: bk.rebook(
        actor=actor, booking=booking, flights=flights,
        reason="The receiving agency asked for arrival in Chicago (family ties).",
    ))  # fmt: skip


def load(stdout: OutputWrapper) -> int:
    actor = _officer()
    if actor is None:
        stdout.write("  movements: no movement officer; skipped")
        return 0
    today = timezone.localdate()
    _reference_data(actor)
    agreements = _agreements(actor, today)
    made = _flights(actor, today, {a.airline.iata: a for a in agreements})
    done = _bookings(actor, agreements, stdout)
    rebooked = _rebook_dearer(actor, stdout)
    stdout.write(
        f"  flights scheduled: {made}; cases booked: {done['booked']} (arrived "
        f"{done['arrived']}, departed {done['departed']}, no-show {done['no_show']}, "
        f"interrupted {done['interrupted']}); rebooked at another fare: {int(rebooked)}"
    )
    return made + done["booked"]
