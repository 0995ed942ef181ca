"""Two officers booking the last seats of a block at the same moment, on PostgreSQL.

Each officer runs in its own thread with its own connection and transaction; a
barrier starts them together. Exactly one succeeds and the other is refused with
the seat count, and the block is never oversold.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection

from passage.core.errors import ConflictError
from passage.movements import booking as bk
from passage.movements.choices import SEAT_HOLDING, PassengerType
from passage.movements.models import Booking, Traveller
from passage.profiles.models import DestinationProfile
from passage.profiles.tests.factories import DestinationProfileFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _race(world: Any, cases: list[Any]) -> tuple[list[Booking], list[ConflictError]]:
    barrier = threading.Barrier(len(cases))
    done: list[Booking] = []
    refused: list[ConflictError] = []
    lock = threading.Lock()
    failed: list[Exception] = []

    def officer(case: Any) -> None:
        try:
            barrier.wait()
            result = bk.book_case(
                actor=world.actor,
                case=case,
                agreement=world.agreement,
                flights=[world.first, world.second],
            )
            with lock:
                done.append(result)
        except ConflictError as exc:
            with lock:
                refused.append(exc)
        except Exception as exc:  # a deadlock or a database error fails the test below
            with lock:
                failed.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=officer, args=(c,)) for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not failed, failed
    return done, refused


@pytest.fixture
def profiles(transactional_db: Any) -> None:
    # A transactional test flushes migration data; the first one still sees it.
    if not DestinationProfile.objects.filter(country="US").exists():
        DestinationProfileFactory(country="US", effective_from=dt.date(2025, 1, 1))


def test_last_seats_go_to_one_officer_only(profiles: None, world: Any) -> None:
    world.blocks[world.first.pk].seats = 4
    world.blocks[world.first.pk].save()
    first, second = world.case(adults=3), world.case(adults=3)
    done, refused = _race(world, [first, second])
    assert len(done) == 1 and len(refused) == 1
    assert refused[0].code == "no_seats" and "3 needed" in refused[0].message
    taken = Traveller.objects.filter(
        booking__legs__seat_block=world.blocks[world.first.pk], booking__status__in=SEAT_HOLDING
    ).exclude(passenger_type=PassengerType.INFANT)
    assert taken.count() == 3


def test_many_officers_never_oversell(profiles: None, world: Any) -> None:
    cases = [world.case(adults=2) for _ in range(8)]
    done, refused = _race(world, cases)
    assert len(done) == 5 and len(refused) == 3  # 10 seats, 2 a case
    for block in world.blocks.values():
        seats = Traveller.objects.filter(
            booking__legs__seat_block=block, booking__status__in=SEAT_HOLDING
        ).count()
        assert seats <= block.seats
