"""The movements test world (BSZ–IST–JFK on 1 September 2026, TK agreement in USD, fee 25)
with a self-paying family, the agreement's ticket rules and the day's rates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from passage.ledger import actions as ledger
from passage.movements.tests.conftest import (
    BISHKEK,
    ISTANBUL,
    NEW_YORK,
    World,
    isolated_readiness,
    world,
)
from passage.registry.choices import Programme
from passage.registry.models import Case
from passage.tickets import actions
from passage.tickets.models import Sale

__all__ = ["isolated_readiness", "world"]
TODAY = dt.date(2026, 8, 1)
KGS_RATE = Decimal("87.45")


def family(w: World, adults: int = 2, children: int = 1, infants: int = 1) -> Case:
    return w.case(
        adults=adults, children=children, infants=infants, programme=Programme.SELF_PAYING
    )


@pytest.fixture
def counter(world: World, personas: Any) -> World:
    actions.set_rules(
        actor=personas.finance_officer,
        agreement=world.agreement,
        change_fee="40.00",
        change_until_days=1,
        refund_fee="50.00",
        refund_until_days=3,
    )
    ledger.record_rate(
        actor=personas.finance_officer,
        base="USD",
        quote="KGS",
        rate=KGS_RATE,
        on=TODAY,
        source="NBKR",
    )
    return world


def later_itinerary(w: World) -> list[Any]:
    first = w.flight(
        "345",
        "BSZ",
        "IST",
        dt.datetime(2026, 9, 8, 7, 40, tzinfo=BISHKEK),
        dt.datetime(2026, 9, 8, 10, 30, tzinfo=ISTANBUL),
    )
    second = w.flight(
        "1",
        "IST",
        "JFK",
        dt.datetime(2026, 9, 8, 13, 0, tzinfo=ISTANBUL),
        dt.datetime(2026, 9, 8, 16, 30, tzinfo=NEW_YORK),
    )
    return [first, second]


def booking_of(sale: Sale) -> Any:
    assert sale.booking is not None
    return sale.booking


def booked(w: World, actor: Any, case: Case | None = None) -> Sale:
    sale = actions.create_sale(
        actor=actor, case=case or family(w), agreement=w.agreement, flights=[w.first, w.second]
    )
    return actions.book_sale(actor=actor, sale=sale)
