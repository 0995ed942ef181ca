"""Read side of movements: the departures calendar, flights with seat counts, bookings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from passage.core import policy
from passage.core.policy import AnyUser
from passage.movements.choices import SEAT_HOLDING, FlightStatus, PassengerType, TravellerRole
from passage.movements.models import (
    Agreement,
    Booking,
    BookingLeg,
    Flight,
    SeatBlock,
    Traveller,
)
from passage.registry.choices import CaseStatus
from passage.registry.models import Case

FLIGHT_RELATED = ("airline", "origin", "destination")


@dataclass(frozen=True)
class BlockLoad:
    block: SeatBlock
    taken: int

    @property
    def free(self) -> int:
        return max(self.block.seats - self.taken, 0)


def seats_taken(blocks: list[SeatBlock]) -> dict[int, int]:
    """Seats taken on each block (infants take none); one query."""
    rows = (
        Traveller.objects.filter(
            booking__legs__seat_block__in=blocks, booking__status__in=SEAT_HOLDING
        )
        .exclude(passenger_type=PassengerType.INFANT)
        .values("booking__legs__seat_block")
        .annotate(n=Count("id", distinct=True))
    )
    return {r["booking__legs__seat_block"]: r["n"] for r in rows}


def flights(
    user: AnyUser, start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[Flight]:
    """Flights departing from ``start`` to ``end`` (UTC days around them), with their blocks."""
    rows = policy.visible_to(Flight.objects.select_related(*FLIGHT_RELATED), user)
    if start:
        rows = rows.filter(
            departs_at__gte=dt.datetime.combine(start, dt.time.min, dt.UTC) - dt.timedelta(hours=14)
        )
    if end:
        rows = rows.filter(
            departs_at__lt=dt.datetime.combine(end, dt.time.max, dt.UTC) + dt.timedelta(hours=14)
        )
    return rows.prefetch_related("seat_blocks__agreement").annotate(
        passengers=Count(
            "legs__booking__travellers",
            filter=Q(legs__booking__status__in=SEAT_HOLDING),
            distinct=True,
        )
    )


def calendar(user: AnyUser, start: dt.date, days: int = 31) -> list[tuple[dt.date, list[Flight]]]:
    """Departures grouped by their local departure day."""
    end = start + dt.timedelta(days=days - 1)
    by_day: dict[dt.date, list[Flight]] = {}
    for flight in flights(user, start, end).filter(status=FlightStatus.SCHEDULED):
        day = flight.departs_local.date()
        if start <= day <= end:
            by_day.setdefault(day, []).append(flight)
    return sorted(by_day.items())


def block_loads(flight: Flight) -> list[BlockLoad]:
    blocks = list(flight.seat_blocks.all())
    taken = seats_taken(blocks)
    return [BlockLoad(b, taken.get(b.pk, 0)) for b in blocks]


def bookings(user: AnyUser) -> QuerySet[Booking]:
    return policy.visible_to(
        Booking.objects.select_related("case", "agreement__airline").prefetch_related(
            Prefetch(
                "legs",
                queryset=BookingLeg.objects.select_related(
                    "flight__airline", "flight__origin", "flight__destination"
                ),
            ),
            "travellers",
        ),
        user,
    )


def bookings_on(user: AnyUser, flight: Flight) -> list[Booking]:
    return list(bookings(user).filter(legs__flight=flight, status__in=SEAT_HOLDING).distinct())


def departures_on(user: AnyUser, day: dt.date) -> list[tuple[Flight, list[Booking]]]:
    """The flights leaving on ``day`` (local) with the bookings whose first leg they are."""
    result = []
    for flight in flights(user, day, day):
        if flight.departs_local.date() != day:
            continue
        first = [b for b in bookings_on(user, flight) if b.legs.all()[0].flight_id == flight.pk]
        if first:
            result.append((flight, first))
    return result


def in_flight(user: AnyUser) -> list[Booking]:
    from passage.movements.choices import BookingStatus

    return list(bookings(user).filter(status=BookingStatus.DEPARTED).order_by("departure_date"))


def ready_cases(user: AnyUser) -> QuerySet[Case]:
    """Cases waiting for a booking: travel-ready, or sent back to booking."""
    return (
        policy.visible_to(Case.objects.all(), user)
        .filter(status__in=[CaseStatus.TRAVEL_READY, CaseStatus.BOOKING_REQUESTED])
        .annotate(members=Count("memberships", filter=Q(memberships__ended_at__isnull=True)))
        .order_by("priority", "status_changed_at")
    )


def agreements(user: AnyUser, on: dt.date | None = None) -> QuerySet[Agreement]:
    rows = policy.visible_to(Agreement.objects.select_related("airline"), user)
    if on:
        rows = rows.filter(valid_from__lte=on, valid_until__gte=on)
    return rows.annotate(fare_count=Count("fares"))


def bookable_flights(user: AnyUser, agreement: Agreement | None = None) -> list[Flight]:
    """Upcoming scheduled flights with an unreleased block (of the agreement, when given)."""
    now = timezone.now()
    rows = flights(user).filter(
        status=FlightStatus.SCHEDULED, departs_at__gt=now, seat_blocks__release_at__gt=now
    )
    if agreement is not None:
        rows = rows.filter(seat_blocks__agreement=agreement)
    return list(rows.distinct().order_by("departs_at")[:200])


def travellers_summary(booking: Booking) -> dict[str, Any]:
    travellers = list(booking.travellers.all())
    return {
        "members": sum(1 for t in travellers if t.role == TravellerRole.MEMBER),
        "escorts": sum(1 for t in travellers if t.role != TravellerRole.MEMBER),
        "checked_in": sum(1 for t in travellers if t.checked_in),
        "total": len(travellers),
    }
