"""The departure day: fit to travel, check-in, loan hook, departed, arrived, side branches."""

from __future__ import annotations

import datetime as dt
from itertools import product

import pytest

from passage.core.errors import ActionError, ConflictError, TransitionError
from passage.movements import booking as bk
from passage.movements import departure, sources
from passage.movements.choices import BOOKING_TRANSITIONS, BookingStatus
from passage.movements.models import BookingStatusChange
from passage.movements.tests.conftest import latest_manifest
from passage.movements.tests.factories import BookingFactory
from passage.registry.choices import CaseStatus, Programme
from passage.registry.models import CaseStatusChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(world, monkeypatch):
    case = world.case(adults=2, country="CA", programme=Programme.CA_GAR)
    flights = [
        world.first,
        world.flight(
            "17",
            "IST",
            "YYZ",
            dt.datetime(2026, 9, 1, 11, 0, tzinfo=dt.UTC),
            dt.datetime(2026, 9, 1, 21, 0, tzinfo=dt.UTC),
        ),
    ]
    from passage.movements import actions

    actions.set_fare(
        actor=world.actor,
        agreement=world.agreement,
        origin=world.airports["BSZ"],
        destination=world.airports["YYZ"],
        passenger_type="ADT",
        amount="700.00",
    )
    return bk.book_case(actor=world.actor, case=case, agreement=world.agreement, flights=flights)


def signed(value):
    sources.register_loan_provider(lambda case: value)


@pytest.fixture(autouse=True)
def _no_loan_provider():
    yield
    sources.register_loan_provider(None)


def check_in_all(world, booking):
    for t in booking.travellers.all():
        departure.check_in(actor=world.actor, traveller=t)


def test_from_booked_to_arrived_with_history(world, booked):
    signed(True)
    departure.mark_fit_to_travel(actor=world.actor, booking=booked)
    check_in_all(world, booked)
    departure.mark_departed(actor=world.actor, booking=booked)
    departure.mark_in_transit(actor=world.actor, booking=booked)
    departure.mark_arrived(actor=world.actor, booking=booked, confirmation="ROC Montreal, e-mail")
    booked.case.refresh_from_db()
    assert booked.case.status == CaseStatus.ARRIVED
    assert [h.to_status for h in BookingStatusChange.objects.filter(booking=booked)] == [
        "booked",
        "departed",
        "arrived",
    ]
    moves = [c.to_status for c in CaseStatusChange.objects.filter(case=booked.case)]
    assert moves[-4:] == ["fit_to_travel", "departed", "in_transit", "arrived"]


def test_departure_blocked_until_loan_notes_signed(world, booked):
    departure.mark_fit_to_travel(actor=world.actor, booking=booked)
    check_in_all(world, booked)
    with pytest.raises(ConflictError) as err:  # no loan provider: cannot be confirmed
        departure.mark_departed(actor=world.actor, booking=booked)
    assert err.value.code == "loan_not_signed" and "no loan record" in err.value.message
    signed(False)
    with pytest.raises(ConflictError) as err:
        departure.mark_departed(actor=world.actor, booking=booked)
    assert "not all signed" in err.value.message
    signed(True)
    departure.mark_departed(actor=world.actor, booking=booked)
    assert booked.status == BookingStatus.DEPARTED


def test_no_loan_rule_departs_without_provider(world, booked):
    from passage.profiles.queries import profile_for

    profile = profile_for("CA", Programme.CA_GAR, booked.departure_date)
    profile.travel_loan_required = False
    profile.save()
    departure.mark_fit_to_travel(actor=world.actor, booking=booked)
    check_in_all(world, booked)
    departure.mark_departed(actor=world.actor, booking=booked)


def test_departure_needs_everyone_checked_in_and_fit(world, booked):
    signed(True)
    with pytest.raises(ConflictError) as err:
        departure.mark_departed(actor=world.actor, booking=booked)
    assert err.value.code == "not_fit"
    departure.mark_fit_to_travel(actor=world.actor, booking=booked)
    first = booked.travellers.first()
    departure.check_in(actor=world.actor, traveller=first)
    with pytest.raises(ConflictError) as err:
        departure.mark_departed(actor=world.actor, booking=booked)
    assert err.value.code == "not_checked_in"


def test_unfit_or_escort_outcome_refuses(world, booked, monkeypatch):
    people = [t.person_id for t in booked.travellers.all()]
    monkeypatch.setattr(
        sources, "health_needs", lambda c, on: {people[0]: sources.HealthNeeds(last_check="unfit")}
    )
    with pytest.raises(ConflictError) as err:
        departure.mark_fit_to_travel(actor=world.actor, booking=booked)
    assert err.value.code == "unfit"
    monkeypatch.setattr(
        sources, "health_needs", lambda c, on: {people[0]: sources.HealthNeeds(last_check="escort")}
    )
    with pytest.raises(ConflictError) as err:
        departure.mark_fit_to_travel(actor=world.actor, booking=booked)
    assert err.value.code == "escort_required"


def test_required_fit_check_missing_refuses(world):
    case = world.case(adults=1)  # US: fit-to-fly required
    booking = bk.book_case(
        actor=world.actor, case=case, agreement=world.agreement, flights=[world.first, world.second]
    )
    with pytest.raises(ConflictError) as err:
        departure.mark_fit_to_travel(actor=world.actor, booking=booking)
    assert err.value.code == "no_fit_check"


@pytest.mark.parametrize("action", ["mark_no_show", "mark_offloaded"])
@pytest.mark.parametrize("back_to", [CaseStatus.BOOKING_REQUESTED, CaseStatus.MEDICAL_SCHEDULED])
def test_no_show_and_offload_go_back(world, booked, action, back_to):
    departure.mark_fit_to_travel(actor=world.actor, booking=booked)
    getattr(departure, action)(
        actor=world.actor, booking=booked, reason="did not come", back_to=back_to
    )
    booked.case.refresh_from_db()
    assert booked.case.status == back_to
    side = CaseStatus.NO_SHOW if action == "mark_no_show" else CaseStatus.OFFLOADED
    assert [c.to_status for c in CaseStatusChange.objects.filter(case=booked.case)][-2:] == [
        side,
        back_to,
    ]
    assert latest_manifest(world.first).rows == []
    if back_to == CaseStatus.BOOKING_REQUESTED:  # booked again, the old booking kept
        again = bk.book_case(
            actor=world.actor,
            case=booked.case,
            agreement=world.agreement,
            flights=[world.first, booked.legs.last().flight],
        )
        assert again.pk != booked.pk and booked.case.bookings.count() == 2


def test_postpone_and_interrupt(world, booked):
    with pytest.raises(ActionError):
        departure.postpone(
            actor=world.actor, booking=booked, reason="", back_to=CaseStatus.BOOKING_REQUESTED
        )
    departure.postpone(actor=world.actor, booking=booked, reason="unwell")
    assert booked.status == BookingStatus.POSTPONED
    with pytest.raises(TransitionError):
        departure.mark_interrupted(actor=world.actor, booking=booked, reason="x")


def test_pnr_and_tickets(world, booked):
    t = booked.travellers.first()
    with pytest.raises(ActionError):
        departure.set_booking_reference(actor=world.actor, booking=booked, pnr="A1", tickets={})
    with pytest.raises(ActionError):
        departure.set_booking_reference(
            actor=world.actor, booking=booked, pnr="ABC123", tickets={t.pk: "123"}
        )
    departure.set_booking_reference(
        actor=world.actor, booking=booked, pnr="abc123", tickets={t.pk: "235-2100000001"}
    )
    t.refresh_from_db()
    assert booked.pnr == "ABC123" and t.ticket_number == "2352100000001"
    assert latest_manifest(world.first).rows[0]["pnr"] == "ABC123"


def test_every_pair_of_booking_states(db, personas):
    for current, target in product(BookingStatus.values, repeat=2):
        b = BookingFactory(status=current)
        if target in BOOKING_TRANSITIONS[current]:
            bk.set_booking_status(actor=personas.movement_officer, booking=b, to=target)
            b.refresh_from_db()
            assert b.status == target
            assert b.history.get().from_status == current
        else:
            with pytest.raises(TransitionError):
                bk.set_booking_status(actor=personas.movement_officer, booking=b, to=target)
            assert not b.history.exists()


def test_case_already_moved_by_the_health_app(world, booked):
    """Health moves the case to fit_to_travel (all fit) or postponed (unfit) itself."""
    from passage.registry.actions import transition_case

    transition_case(actor=world.actor, case=booked.case, to=CaseStatus.FIT_TO_TRAVEL)
    departure.mark_fit_to_travel(actor=world.actor, booking=booked)
    assert booked.case.status == CaseStatus.FIT_TO_TRAVEL
    transition_case(actor=world.actor, case=booked.case, to=CaseStatus.POSTPONED)
    departure.postpone(actor=world.actor, booking=booked, reason="unfit at the check")
    booked.case.refresh_from_db()
    assert booked.case.status == CaseStatus.BOOKING_REQUESTED
    assert booked.status == BookingStatus.POSTPONED
