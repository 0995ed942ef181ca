"""Demo movements: airports, airlines, agreements with fares, the coming weeks' flights with
seat blocks, a transit office, and bookings of the demo caseload's travel-ready cases.

Idempotent: what exists (by code, reference, flight and date, booked case) is kept.
Bookings go through ``book_case`` with every rule; a case the rules refuse is reported
and left for a movement officer to book in the browser.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.management.base import OutputWrapper
from django.db import transaction
from django.utils import timezone

from passage.core.errors import ActionError
from passage.core.models import User
from passage.movements import actions, notify
from passage.movements import booking as bk
from passage.movements.choices import NotificationKind, PassengerType
from passage.movements.models import Agreement, Booking, Flight, SeatBlock, TransitOffice
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
    for week in range(WEEKS):
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


def _itinerary(case: Case, agreement: Agreement) -> list[Flight] | None:
    """The first coming BSZ departure that connects to the case's destination country."""
    # The first flight whose seat block is still open (blocks close 5 days before).
    now = timezone.now() + dt.timedelta(days=5, hours=1)
    for first in Flight.objects.filter(origin__iata="BSZ", departs_at__gt=now).select_related(
        "origin", "destination", "airline"
    )[:40]:
        if first.destination.country == case.destination_country:
            return [first]
        connection = dt.timedelta(minutes=first.destination.min_connection_minutes)
        for second in Flight.objects.filter(
            origin=first.destination,
            destination__country=case.destination_country,
            departs_at__gt=first.arrives_at + connection,
            departs_at__lt=first.arrives_at + dt.timedelta(hours=12),
            airline=agreement.airline,
        ).select_related("origin", "destination", "airline")[:1]:
            return [first, second]
    return None


def _bookings(actor: User, agreement: Agreement, stdout: OutputWrapper) -> int:
    booked = 0
    ready = Case.objects.filter(status=CaseStatus.TRAVEL_READY).exclude(
        pk__in=Booking.objects.values("case_id")
    )
    for case in ready.order_by("pk")[:4]:
        flights = _itinerary(case, agreement)
        if flights is None:
            continue
        try:
            with transaction.atomic():
                booking = bk.book_case(actor=actor, case=case, agreement=agreement, flights=flights)
        except ActionError as exc:
            stdout.write(f"  not booked {case.file_number}: {exc.message}")
            continue
        booked += 1
        _notify(actor, booking, stdout)
    return booked


def _notify(actor: User, booking: Booking, stdout: OutputWrapper) -> None:
    """The destination's first notification (not the arrival one), through the outbox."""
    kinds = [k for k in notify.kinds_for(booking) if k != NotificationKind.ARRIVAL]
    party = booking.case.receiving_party
    if not kinds or party is None or not party.email:
        return
    try:
        with transaction.atomic():
            notify.notify(actor=actor, booking=booking, kind=kinds[0])
    except ActionError as exc:
        stdout.write(f"  not notified {booking.case.file_number}: {exc.message}")


def load(stdout: OutputWrapper) -> int:
    actor = _officer()
    if actor is None:
        stdout.write("  movements: no movement officer; skipped")
        return 0
    today = timezone.localdate()
    _reference_data(actor)
    agreements = {a.airline.iata: a for a in _agreements(actor, today)}
    made = _flights(actor, today, agreements)
    booked = _bookings(actor, agreements["TK"], stdout)
    stdout.write(f"  flights scheduled: {made}; cases booked: {booked}")
    return made + booked
