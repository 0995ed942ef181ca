"""Booking throughput under concurrent officers (PostgreSQL): bookings per second, no seat
oversold, against the same bookings made one after another by a single officer.

Readiness and health are other apps' work: the benchmark registers no readiness source,
so it measures booking itself (checks, locks, writes, manifest versions).
"""

from __future__ import annotations

import argparse
import datetime as dt
import threading
import time
from typing import Any

from bench.common import Table

OFFICERS = 8


def world(tag: str, seats: int) -> dict[str, Any]:
    """An agreement, a two-leg itinerary with blocks of ``seats`` seats, and an officer."""
    from passage.core import readiness
    from passage.core.choices import OrgKind, Role
    from passage.core.models import Organisation, User
    from passage.movements import actions, sources

    readiness._sources.clear()
    sources._documents_readiness = lambda: None
    mission, _ = Organisation.objects.get_or_create(name="Bench mission", kind=OrgKind.MISSION)
    officer, _ = User.objects.get_or_create(
        username="bench-movement", defaults={"organisation": mission, "role": Role.MOVEMENT_OFFICER}
    )
    airline = actions.ensure_airline(actor=officer, code="TK")
    today = dt.date.today()
    agreement = actions.create_agreement(
        actor=officer,
        airline=airline,
        reference=f"BENCH-{tag}",
        valid_from=today,
        valid_until=today + dt.timedelta(days=400),
        currency="USD",
        service_fee="25.00",
    )
    bsz, ist, jfk = (actions.ensure_airport(actor=officer, code=c) for c in ("BSZ", "IST", "JFK"))
    for ptype in ("ADT", "CHD", "INF"):
        actions.set_fare(
            actor=officer,
            agreement=agreement,
            origin=bsz,
            destination=jfk,
            passenger_type=ptype,
            amount="650.00",
        )
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=30 + len(tag))
    flights = []
    for number, origin, dest, offset in (("345", bsz, ist, 0), ("1", ist, jfk, 8)):
        departs = start + dt.timedelta(hours=offset, minutes=len(tag))
        flight = actions.schedule_flight(
            actor=officer,
            airline=airline,
            number=number,
            origin=origin,
            destination=dest,
            departs_at=departs,
            arrives_at=departs + dt.timedelta(hours=5),
        )
        actions.hold_seat_block(
            actor=officer,
            flight=flight,
            agreement=agreement,
            seats=seats,
            release_at=departs - dt.timedelta(days=1),
        )
        flights.append(flight)
    return {"officer": officer, "agreement": agreement, "flights": flights, "day": start.date()}


def cases(n: int, size: int, day: dt.date, tag: str) -> list[Any]:
    from passage.core.choices import OrgKind
    from passage.core.models import Organisation
    from passage.registry.choices import CaseStatus, Programme, Relationship, Sex
    from passage.registry.models import Case, EmbassyRequest, Membership, Person

    embassy, _ = Organisation.objects.get_or_create(
        name="Bench US Embassy", kind=OrgKind.EMBASSY, country="US"
    )
    request = EmbassyRequest.objects.create(
        embassy=embassy,
        reference=f"BENCH-{tag}",
        issued_on=day - dt.timedelta(days=60),
        valid_from=day - dt.timedelta(days=60),
        valid_until=day + dt.timedelta(days=60),
        movement=True,
    )
    made = []
    for i in range(n):
        case = Case.objects.create(
            file_number=f"B-{tag}-{i:05d}",
            programme=Programme.USRAP_P1,
            destination_country="US",
            status=CaseStatus.TRAVEL_READY,
        )
        for j in range(size):
            person = Person.objects.create(
                given_names=f"G{j}",
                surname=f"S{i}",
                latin_given_names=f"GIVEN{j}",
                latin_surname=f"SURNAME{tag}{i}",
                sex=Sex.FEMALE,
                date_of_birth=dt.date(1980 + j, 1, 1),
                nationality="AF",
                consent_date=day - dt.timedelta(days=90),
                consent_scope="bench",
            )
            Membership.objects.create(
                case=case,
                person=person,
                relationship=Relationship.PRINCIPAL if j == 0 else Relationship.CHILD,
            )
        made.append(case)
    request.cases.add(*made)
    return made


def book_all(w: dict[str, Any], todo: list[Any], officers: int) -> tuple[int, int, float]:
    """Book ``todo`` with ``officers`` threads; (booked, refused, seconds)."""
    from django.db import connection

    from passage.core.errors import ConflictError
    from passage.movements import booking as bk

    queue = list(todo)
    lock = threading.Lock()
    counts = {"booked": 0, "refused": 0}

    def officer() -> None:
        try:
            while True:
                with lock:
                    if not queue:
                        return
                    case = queue.pop()
                try:
                    bk.book_case(
                        actor=w["officer"],
                        case=case,
                        agreement=w["agreement"],
                        flights=w["flights"],
                    )
                    key = "booked"
                except ConflictError:
                    key = "refused"
                with lock:
                    counts[key] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=officer) for _ in range(officers)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return counts["booked"], counts["refused"], time.perf_counter() - start


def oversold(w: dict[str, Any]) -> int:
    from passage.movements.queries import seats_taken

    blocks = [b for f in w["flights"] for b in f.seat_blocks.all()]
    taken = seats_taken(blocks)
    return sum(max(0, taken.get(b.pk, 0) - b.seats) for b in blocks)


def run(table: Table, args: argparse.Namespace) -> None:
    from django.db import connection

    n = max(20, int(200 * args.scale))
    size = 3
    seats = n * size * 3 // 4  # a quarter of the cases find the block full
    serial_w = world("serial", seats)
    serial_cases = cases(n, size, serial_w["day"], "serial")
    booked_1, _refused, secs_1 = book_all(serial_w, serial_cases, 1)
    if connection.vendor != "postgresql":
        table.add(
            "movements",
            f"{n} bookings, 1 officer",
            booked_1 / secs_1,
            "bookings/s",
            note="concurrent run skipped: SQLite serialises writers; run on PostgreSQL",
        )
        return
    conc_w = world("concurrent", seats)
    conc_cases = cases(n, size, conc_w["day"], "concurrent")
    booked, refused, secs = book_all(conc_w, conc_cases, OFFICERS)
    table.add(
        "movements",
        f"{n} bookings of {size}, {OFFICERS} concurrent officers",
        booked / secs,
        "bookings/s",
        baseline=booked_1 / secs_1,
        baseline_name="1 officer, same bookings",
        note=f"booked {booked}, refused {refused} (block of {seats}); seats oversold: "
        f"{oversold(conc_w)} (serial {oversold(serial_w)})",
    )
