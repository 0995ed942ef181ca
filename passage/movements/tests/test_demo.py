"""The demo books every case the rules allow and walks some through the whole chain.

Run on several days of the week (the demo runs on any day): the past weeks' travel is
replayed through the real actions (arrived, departed, a no-show and an interruption, both
booked again), the coming weeks booked and notified, and a signed US loan case rebooked
at another fare. Loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management.base import OutputWrapper

from passage.core.models import Organisation
from passage.loans import hooks
from passage.movements import demo
from passage.movements.choices import BookingStatus
from passage.movements.models import Agreement, Booking, Fare, Flight, Notification, SeatBlock
from passage.outbox.models import OutboxMessage as Message
from passage.registry.choices import CaseStatus
from passage.registry.models import Case
from passage.registry.tests.factories import (
    CaseFactory,
    EmbassyRequestFactory,
    MembershipFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

# A Monday, a Wednesday (a flight day) and a Sunday, in the morning in Bishkek.
DAYS = [
    dt.datetime(2026, 8, 3, 3, 0, tzinfo=dt.UTC),
    dt.datetime(2026, 8, 5, 3, 0, tzinfo=dt.UTC),
    dt.datetime(2026, 8, 9, 3, 0, tzinfo=dt.UTC),
]


def caseload() -> dict[str, list[Case]]:
    """Travel-ready cases: five to Canada and one to the USA (loans), one to Sweden."""
    agency = Organisation.objects.create(
        name="USCRI", kind="agency", country="US", email="arrivals@uscri.example"
    )
    made: dict[str, list[Case]] = {"CA": [], "US": [], "SE": []}
    plan = [("CA", "ca_gar")] * 5 + [("US", "usrap_p1"), ("SE", "family_reunification")]
    for country, programme in plan:
        case = CaseFactory(
            status=CaseStatus.TRAVEL_READY,
            destination_country=country,
            programme=programme,
            receiving_party=agency if country == "US" else None,
        )
        MembershipFactory(case=case, person=PersonFactory(date_of_birth=dt.date(1985, 3, 1)))
        EmbassyRequestFactory(movement=True, reference=f"REQ-{case.file_number}").cases.add(case)
        made[country].append(case)
    return made


def counts() -> list[int]:
    return [
        Flight.objects.count(),
        SeatBlock.objects.count(),
        Agreement.objects.count(),
        Fare.objects.count(),
        Booking.objects.count(),
        Notification.objects.count(),
        Message.objects.count(),
    ]


@pytest.mark.parametrize("now", DAYS, ids=lambda d: d.strftime("%a"))
def test_demo_walks_the_chain_and_is_idempotent(
    now: dt.datetime, personas: Any, isolated_readiness: Any, time_machine: Any
) -> None:
    hooks.register()
    time_machine.move_to(now, tick=False)
    cases = caseload()
    out = OutputWrapper(io.StringIO())
    demo.load(out)
    statuses = sorted(Booking.objects.values_list("status", flat=True))
    assert statuses.count(BookingStatus.ARRIVED) == 1, out._out.getvalue()  # type: ignore[attr-defined]
    for status in (BookingStatus.DEPARTED, BookingStatus.NO_SHOW, BookingStatus.INTERRUPTED):
        assert statuses.count(status) == 1, status
    assert statuses.count(BookingStatus.REBOOKED) == 1
    # Every case is booked (again, after the no-show and the interruption) except the two
    # that travelled: 5 open bookings, the rebooked US one among them.
    assert statuses.count(BookingStatus.BOOKED) == 5
    arrived = Booking.objects.get(status=BookingStatus.ARRIVED)
    assert arrived.case.status == CaseStatus.ARRIVED
    assert all(t.checked_in for t in arrived.travellers.all())
    assert arrived.departure_date < now.date() - dt.timedelta(days=7)
    departed = Booking.objects.get(status=BookingStatus.DEPARTED)
    assert departed.case.status == CaseStatus.DEPARTED and departed.departure_date < now.date()
    for status in (BookingStatus.NO_SHOW, BookingStatus.INTERRUPTED):
        old = Booking.objects.get(status=status)
        again = Booking.objects.get(case=old.case, status=BookingStatus.BOOKED)
        assert again.departure_date > now.date()  # history kept, booked again
    interrupted = Booking.objects.get(status=BookingStatus.INTERRUPTED)
    assert interrupted.case == cases["SE"][0]
    # The US case moved to Chicago: a new booking replacing the first.
    us = Booking.objects.get(case=cases["US"][0], status=BookingStatus.BOOKED)
    assert us.replaces is not None
    assert [leg.flight.destination.iata for leg in us.legs.all()] == ["IST", "ORD"]
    # Partners told through the outbox (and the itinerary change for the US case).
    assert Notification.objects.filter(booking__case=cases["US"][0]).count() >= 2
    assert Message.objects.count() >= Notification.objects.count() > 0
    before = counts()
    assert before[0] == len(demo.SCHEDULE) * (demo.WEEKS + demo.WEEKS_BACK)
    assert before[1] == before[0] and before[3] == 3 * 9
    demo.load(out)
    assert counts() == before
