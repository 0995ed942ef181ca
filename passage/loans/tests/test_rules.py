"""The loan's transition table, a rebooking in another currency, estimated ages, query budgets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import product

import pytest

from passage.core.errors import TransitionError
from passage.core.models import AuditEvent
from passage.loans import actions, compute, queries
from passage.loans.choices import LOAN_TRANSITIONS, LoanStatus
from passage.loans.models import Loan
from passage.loans.tests.conftest import book_us, flights_on
from passage.movements import actions as mv
from passage.movements import booking as bk

pytestmark = pytest.mark.django_db


def test_every_pair_of_loan_states(world):
    booking = book_us(world, adults=1)
    loan = Loan.objects.get(case=booking.case)
    for here, there in product(LoanStatus.values, repeat=2):
        Loan.objects.filter(pk=loan.pk).update(status=here)
        loan.refresh_from_db()
        if there in LOAN_TRANSITIONS[here]:
            actions.set_status(actor=world.actor, loan=loan, to=there)
            assert loan.status == there
        else:
            with pytest.raises(TransitionError):
                actions.set_status(actor=world.actor, loan=loan, to=there)


def test_rebooking_in_another_currency_cancels_and_opens_a_new_loan(world):
    booking = book_us(world, adults=1)  # 650 + 25 = 675.00 USD
    old = Loan.objects.get(case=booking.case)
    euro = mv.create_agreement(
        actor=world.actor,
        airline=world.airline,
        reference="TK-EUR",
        currency="EUR",
        valid_from=dt.date(2026, 1, 1),
        valid_until=dt.date(2026, 12, 31),
        service_fee="20.00",
    )
    mv.set_fare(
        actor=world.actor,
        agreement=euro,
        origin=world.airports["BSZ"],
        destination=world.airports["JFK"],
        passenger_type="ADT",
        amount="600.00",
    )
    flights = flights_on(world, 3)
    for flight in flights:
        mv.hold_seat_block(
            actor=world.actor,
            flight=flight,
            agreement=euro,
            seats=5,
            release_at=flight.departs_at - dt.timedelta(days=3),
        )
    bk.rebook(actor=world.actor, booking=booking, flights=flights, reason="x", agreement=euro)
    old.refresh_from_db()
    assert old.status == LoanStatus.CANCELLED
    assert actions.amount_of(old) == Decimal("0.00")
    new = Loan.objects.exclude(pk=old.pk).get(case=booking.case)
    assert (new.currency, actions.amount_of(new)) == ("EUR", Decimal("620.00"))


def test_estimated_birth_near_the_signing_age_is_flagged(world):
    booking = book_us(world, adults=2)
    loan = Loan.objects.get(case=booking.case)
    person = booking.travellers.order_by("id").first().person  # type: ignore[union-attr]
    assert person is not None
    person.date_of_birth, person.date_of_birth_estimated = dt.date(2008, 1, 1), True
    person.save()
    flags = [s.estimated_near_threshold for s in queries.signers(loan, dt.date(2026, 8, 1))]
    assert flags == [True, False]
    assert compute.note_language(["uz", "ky", "ru"]) == "ky"
    assert compute.note_language(["uz"]) == "ru"


def test_actions_are_audited(world):
    booking = book_us(world, adults=1)
    loan = Loan.objects.get(case=booking.case)
    (note,) = actions.generate_notes(actor=world.actor, loan=loan)
    actions.record_signature(actor=world.actor, note=note, signed_on=dt.date(2026, 8, 1))
    found = set(
        AuditEvent.objects.filter(action__startswith="loans.").values_list("action", flat=True)
    )
    assert {"loans.open", "loans.note", "loans.sign", "loans.status"} <= found


def test_lists_do_not_grow_with_loans(world, personas, django_assert_max_num_queries):
    for _ in range(2):
        book_us(world, adults=1)
    client = personas.client("finance_officer")
    api = personas.api_client("finance_officer")
    with django_assert_max_num_queries(12) as few:
        client.get("/loans/all/")
    with django_assert_max_num_queries(12):
        api.get("/api/v1/loans")
    for _ in range(3):
        book_us(world, adults=1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/loans/all/")
