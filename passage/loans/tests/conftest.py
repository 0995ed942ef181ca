"""The movements test world (airports, an agreement in USD, flights, cases) reused for loans.

Fares of the world's agreement (USD): Bishkek–New York 650 adult, 490 child, 65 infant;
Bishkek–Toronto 700, 525, 70. The agreement's service fee is 25.00 a ticket.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from passage.loans import hooks
from passage.movements import booking as bk
from passage.movements import sources
from passage.movements.models import Booking, Flight
from passage.movements.tests.conftest import (  # noqa: F401 (fixtures)
    World,
    isolated_readiness,
    world,
)
from passage.registry.choices import Programme


@pytest.fixture(autouse=True)
def _loan_hooks() -> Iterator[None]:
    """Other apps' tests replace the loan provider; ours run with the real hooks."""
    hooks.register()
    yield
    hooks.register()


def toronto(w: World, number: str = "17", day: int = 1) -> Flight:
    return w.flight(
        number,
        "IST",
        "YYZ",
        dt.datetime(2026, 9, day, 11, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 9, day, 21, 0, tzinfo=dt.UTC),
    )


def book_us(w: World, **family: Any) -> Booking:
    case = w.case(**family)
    return bk.book_case(
        actor=w.actor, case=case, agreement=w.agreement, flights=[w.first, w.second]
    )


def book_ca(w: World, **family: Any) -> Booking:
    case = w.case(country="CA", programme=Programme.CA_GAR, **family)
    return bk.book_case(
        actor=w.actor,
        case=case,
        agreement=w.agreement,
        flights=[w.first, toronto(w)],
    )


__all__ = ["book_ca", "book_us", "sources", "toronto"]


BISHKEK_DAY = dt.date(2026, 8, 1)


def flights_on(w: World, day: int) -> list[Flight]:
    """A Bishkek–Istanbul–New York itinerary on another day of September 2026."""
    from passage.movements.tests.conftest import BISHKEK, ISTANBUL, NEW_YORK

    return [
        w.flight(
            f"3{day}5",
            "BSZ",
            "IST",
            dt.datetime(2026, 9, day, 7, 40, tzinfo=BISHKEK),
            dt.datetime(2026, 9, day, 10, 30, tzinfo=ISTANBUL),
        ),
        w.flight(
            f"{day}1",
            "IST",
            "JFK",
            dt.datetime(2026, 9, day, 13, 0, tzinfo=ISTANBUL),
            dt.datetime(2026, 9, day, 16, 30, tzinfo=NEW_YORK),
        ),
    ]
