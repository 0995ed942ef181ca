"""The demo data loads, books travel-ready cases through the rules, and is idempotent."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management.base import OutputWrapper

from passage.core.models import Organisation
from passage.movements import demo
from passage.movements.models import Agreement, Booking, Fare, Flight, Notification, SeatBlock
from passage.registry.choices import CaseStatus
from passage.registry.tests.factories import CaseFactory, EmbassyRequestFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent(personas: Any, isolated_readiness: Any, time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 8, 1, 9, 0, tzinfo=dt.UTC), tick=False)
    agency = Organisation.objects.create(
        name="USCRI", kind="agency", country="US", email="arrivals@uscri.example"
    )
    ready = CaseFactory(
        status=CaseStatus.TRAVEL_READY, destination_country="US", receiving_party=agency
    )
    MembershipFactory(case=ready)
    EmbassyRequestFactory(movement=True).cases.add(ready)
    out = OutputWrapper(io.StringIO())
    demo.load(out)
    booking = Booking.objects.get(case=ready)
    assert [leg.flight.destination.iata for leg in booking.legs.all()] == ["IST", "JFK"]
    assert Notification.objects.get(booking=booking).kind == "travel"
    ready.refresh_from_db()
    assert ready.status == CaseStatus.PARTNERS_NOTIFIED
    counts = [
        Flight.objects.count(),
        SeatBlock.objects.count(),
        Agreement.objects.count(),
        Fare.objects.count(),
        Booking.objects.count(),
    ]
    assert counts[0] == len(demo.SCHEDULE) * demo.WEEKS and counts[1] == counts[0]
    assert counts[3] == 3 * 9
    demo.load(out)
    assert counts == [
        Flight.objects.count(),
        SeatBlock.objects.count(),
        Agreement.objects.count(),
        Fare.objects.count(),
        Booking.objects.count(),
    ]
