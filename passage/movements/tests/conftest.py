"""A small world for movement tests: airports from airportsdata, an agreement, flights, cases.

Readiness: booking asks ``passage.movements.sources.readiness_for``. These tests pin it
to the registered-source path with only the test's own sources registered, so a case's
readiness is exactly what the test sets (``world.blockers``), whatever other apps register.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from passage.core import readiness
from passage.core.readiness import Constraint
from passage.movements import actions, manifests, sources
from passage.movements.choices import PassengerType
from passage.movements.models import Agreement, Airline, Airport, Flight, Manifest, SeatBlock
from passage.registry.choices import CaseStatus, Programme, Relationship, Sex
from passage.registry.models import Case
from passage.registry.tests.factories import (
    CaseFactory,
    EmbassyRequestFactory,
    MembershipFactory,
    PersonFactory,
)

BISHKEK, ISTANBUL, NEW_YORK = (
    ZoneInfo(z) for z in ("Asia/Bishkek", "Europe/Istanbul", "America/New_York")
)
NOW = dt.datetime(2026, 8, 1, 9, 0, tzinfo=dt.UTC)


@dataclass
class World:
    actor: Any
    airports: dict[str, Airport]
    airline: Airline
    agreement: Agreement
    first: Flight
    second: Flight
    blocks: dict[int, SeatBlock]
    blockers: dict[int, list[str]] = field(default_factory=dict)

    def flight(
        self,
        number: str,
        origin: str,
        dest: str,
        departs: dt.datetime,
        arrives: dt.datetime,
        seats: int = 10,
    ) -> Flight:
        flight = actions.schedule_flight(
            actor=self.actor,
            airline=self.airline,
            number=number,
            origin=self.airports[origin],
            destination=self.airports[dest],
            departs_at=departs,
            arrives_at=arrives,
        )
        self.blocks[flight.pk] = actions.hold_seat_block(
            actor=self.actor,
            flight=flight,
            agreement=self.agreement,
            seats=seats,
            release_at=flight.departs_at - dt.timedelta(days=3),
        )
        return flight

    def case(
        self,
        *,
        adults: int = 2,
        children: int = 0,
        infants: int = 0,
        country: str = "US",
        programme: str = Programme.USRAP_P1,
        status: str = CaseStatus.TRAVEL_READY,
        movement: bool = True,
    ) -> Case:
        case = CaseFactory(destination_country=country, programme=programme, status=status)
        births = [dt.date(1985, 3, 1)] * adults + [dt.date(2018, 5, 5)] * children
        births += [dt.date(2026, 1, 10)] * infants
        for index, born in enumerate(births):
            person = PersonFactory(date_of_birth=born, sex=Sex.FEMALE if index % 2 else Sex.MALE)
            MembershipFactory(
                case=case,
                person=person,
                relationship=Relationship.PRINCIPAL if index == 0 else Relationship.CHILD,
            )
        if movement:
            request = EmbassyRequestFactory(movement=True, reference=f"REQ-{case.file_number}")
            request.cases.add(case)
        return case


def latest_manifest(flight: Flight) -> Manifest:
    found = manifests.latest(flight)
    assert found is not None, f"no manifest for {flight}"
    return found


@pytest.fixture
def isolated_readiness(monkeypatch: pytest.MonkeyPatch) -> dict[int, list[str]]:
    blockers: dict[int, list[str]] = {}

    def source(cases: Any) -> list[Constraint]:
        return [
            Constraint(source="test", code="blocked", case_id=c.pk, label="test", blocker=reason)
            for c in cases
            for reason in blockers.get(c.pk, [])
        ]

    monkeypatch.setattr(readiness, "_sources", {"test": source})
    monkeypatch.setattr(sources, "_documents_readiness", lambda: None)
    monkeypatch.setattr(sources, "health_needs", lambda case, on: {})
    return blockers


@pytest.fixture
def world(
    db: Any, personas: Any, time_machine: Any, isolated_readiness: dict[int, list[str]]
) -> World:
    time_machine.move_to(NOW, tick=False)
    actor = personas.movement_officer
    airports = {
        c: actions.ensure_airport(actor=actor, code=c) for c in ("BSZ", "IST", "JFK", "YYZ")
    }
    airline = actions.ensure_airline(actor=actor, code="TK")
    agreement = actions.create_agreement(
        actor=actor,
        airline=airline,
        reference="TK-IOM-2026",
        valid_from=dt.date(2026, 1, 1),
        valid_until=dt.date(2026, 12, 31),
        currency="USD",
        service_fee=Decimal("25.00"),
    )
    for dest, amounts in {
        "JFK": ("650.00", "490.00", "65.00"),
        "YYZ": ("700.00", "525.00", "70.00"),
    }.items():
        for ptype, amount in zip(PassengerType.values, amounts, strict=True):
            actions.set_fare(
                actor=actor,
                agreement=agreement,
                origin=airports["BSZ"],
                destination=airports[dest],
                passenger_type=ptype,
                amount=amount,
            )
    w = World(actor, airports, airline, agreement, None, None, {}, isolated_readiness)  # type: ignore[arg-type]
    w.first = w.flight(
        "345",
        "BSZ",
        "IST",
        dt.datetime(2026, 9, 1, 7, 40, tzinfo=BISHKEK),
        dt.datetime(2026, 9, 1, 10, 30, tzinfo=ISTANBUL),
    )
    w.second = w.flight(
        "1",
        "IST",
        "JFK",
        dt.datetime(2026, 9, 1, 13, 0, tzinfo=ISTANBUL),
        dt.datetime(2026, 9, 1, 16, 30, tzinfo=NEW_YORK),
    )
    return w
