"""Two people booking the last places of one slot at the same moment, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from passage.core.errors import ConflictError
from passage.vac import actions
from passage.vac.models import Appointment, Slot
from passage.vac.tests.factories import CentreRulesFactory, FeeProfileFactory, SlotFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _together(*calls):
    from django.db import connection

    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _book(slot: Slot, n: int, people: int):
    return lambda: actions.book_appointment(
        actor=None,
        slot=slot,
        people=people,
        full_name=f"Person {n}",
        email=f"p{n}@example.org",
        date_of_birth=dt.date(1990, 1, n + 1),
    )


def test_two_bookings_for_the_last_places_one_wins_one_is_refused():
    FeeProfileFactory()
    CentreRulesFactory()
    slot = SlotFactory(capacity=4, booked=1)
    results = _together(_book(slot, 1, 3), _book(slot, 2, 3))
    wins = [r for r in results if isinstance(r, Appointment)]
    refusals = [r for r in results if isinstance(r, ConflictError)]
    assert len(wins) == 1 and len(refusals) == 1, results
    assert refusals[0].code == "slot_full"
    slot.refresh_from_db()
    assert slot.booked == 4 and Appointment.objects.count() == 1


def test_many_at_once_never_overbook():
    FeeProfileFactory()
    CentreRulesFactory(max_future_per_person=5)
    slot = SlotFactory(capacity=5)
    results = _together(*[_book(slot, n, 1) for n in range(8)])
    assert sum(isinstance(r, Appointment) for r in results) == 5
    assert sum(isinstance(r, ConflictError) for r in results) == 3
    slot.refresh_from_db()
    assert slot.booked == 5 == Appointment.objects.count()
