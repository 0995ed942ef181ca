"""Loan totals against hand-computed examples, and rebooking by a new ledger entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from passage.ledger.choices import EntryKind
from passage.ledger.models import LedgerEntry
from passage.loans import actions
from passage.loans.choices import LoanStatus, NoteStatus
from passage.loans.models import Loan
from passage.loans.tests.conftest import BISHKEK_DAY, book_ca, book_us, flights_on
from passage.movements import actions as mv
from passage.movements import booking as bk
from passage.profiles import actions as profile_actions
from passage.profiles.models import DestinationProfile

pytestmark = pytest.mark.django_db


def entries(loan: Loan) -> list[tuple[str, Decimal]]:
    return [(e.kind, e.amount) for e in LedgerEntry.objects.filter(account=loan.account)]


def test_usrap_family_fares_and_fee(world):
    """2 adults + 2 children + 1 infant to New York, the US profile including the fee:
    fares 2 × 650 + 2 × 490 + 65 = 2345.00; fee 5 × 25.00 = 125.00; loan 2470.00 USD."""
    booking = book_us(world, adults=2, children=2, infants=1)
    loan = Loan.objects.get(case=booking.case)
    assert loan.currency == "USD"
    assert loan.status == LoanStatus.PENDING
    assert actions.amount_of(loan) == Decimal("2470.00")
    kinds = entries(loan)
    assert sorted(a for k, a in kinds if k == EntryKind.CHARGE) == [
        Decimal("65.00"),
        Decimal("490.00"),
        Decimal("490.00"),
        Decimal("650.00"),
        Decimal("650.00"),
    ]
    assert [a for k, a in kinds if k == EntryKind.FEE] == [Decimal("25.00")] * 5


def test_canada_family_fares_only(world):
    """Canada's profile leaves the fee out: 2 × 700 + 1 × 525 = 1925.00 USD."""
    booking = book_ca(world, adults=2, children=1)
    loan = Loan.objects.get(case=booking.case)
    assert actions.amount_of(loan) == Decimal("1925.00")
    assert {k for k, _a in entries(loan)} == {EntryKind.CHARGE}


def test_fee_left_out_when_a_new_profile_version_says_so(world, personas):
    us = DestinationProfile.objects.filter(country="US", programme="").latest("effective_from")
    profile_actions.create_version(
        actor=personas.admin,
        country="US",
        programme="",
        base=us,
        effective_from=dt.date(2026, 8, 1),
        source_note="test",
        rules={"loan_includes_service_fee": False},
    )
    booking = book_us(world, adults=2, children=2, infants=1)
    assert actions.amount_of(Loan.objects.get(case=booking.case)) == Decimal("2345.00")


def test_rebooking_to_a_dearer_fare_adjusts_and_asks_for_new_notes(world):
    """Adult fare 650 → 800: the 2470.00 loan gains one adjustment of +300.00 (2770.00)."""
    booking = book_us(world, adults=2, children=2, infants=1)
    loan = Loan.objects.get(case=booking.case)
    notes = actions.generate_notes(actor=world.actor, loan=loan)
    assert len(notes) == 2
    actions.record_signature(actor=world.actor, note=notes[0], signed_on=BISHKEK_DAY)
    mv.set_fare(
        actor=world.actor,
        agreement=world.agreement,
        origin=world.airports["BSZ"],
        destination=world.airports["JFK"],
        passenger_type="ADT",
        amount="800.00",
    )
    new = bk.rebook(actor=world.actor, booking=booking, flights=flights_on(world, 2), reason="x")
    loan.refresh_from_db()
    assert loan.booking_id == new.pk
    assert actions.amount_of(loan) == Decimal("2770.00")
    last = LedgerEntry.objects.filter(account=loan.account).last()
    assert last is not None
    assert (last.kind, last.amount) == (EntryKind.ADJUSTMENT, Decimal("300.00"))
    assert loan.round == 2
    assert sorted(n.status for n in loan.notes.all()) == [NoteStatus.SUPERSEDED] * 2
    fresh = actions.generate_notes(actor=world.actor, loan=loan)
    assert [n.amount for n in fresh] == [Decimal("2770.00")] * 2


def test_rebooking_at_the_same_total_keeps_notes(world):
    booking = book_us(world, adults=1)
    loan = Loan.objects.get(case=booking.case)
    (note,) = actions.generate_notes(actor=world.actor, loan=loan)
    actions.record_signature(actor=world.actor, note=note, signed_on=BISHKEK_DAY)
    loan.refresh_from_db()
    assert loan.status == LoanStatus.SIGNED
    bk.rebook(actor=world.actor, booking=booking, flights=flights_on(world, 2), reason="x")
    loan.refresh_from_db()
    note.refresh_from_db()
    assert (loan.status, loan.round, note.status) == (LoanStatus.SIGNED, 1, NoteStatus.SIGNED)
    assert LedgerEntry.objects.filter(account=loan.account, kind=EntryKind.ADJUSTMENT).count() == 0


def test_cheaper_rebooking_after_signing_goes_back_to_pending(world):
    booking = book_us(world, adults=1, children=1)  # 650 + 490 + 2 × 25 = 1190.00
    loan = Loan.objects.get(case=booking.case)
    (note,) = actions.generate_notes(actor=world.actor, loan=loan)
    actions.record_signature(actor=world.actor, note=note, signed_on=BISHKEK_DAY)
    mv.set_fare(
        actor=world.actor,
        agreement=world.agreement,
        origin=world.airports["BSZ"],
        destination=world.airports["JFK"],
        passenger_type="CHD",
        amount="400.00",
    )
    bk.rebook(actor=world.actor, booking=booking, flights=flights_on(world, 2), reason="x")
    loan.refresh_from_db()
    assert actions.amount_of(loan) == Decimal("1100.00")
    assert loan.status == LoanStatus.PENDING
    assert [(h.from_status, h.to_status) for h in loan.history.all()][-2:] == [
        ("pending", "signed"),
        ("signed", "pending"),
    ]


def test_new_notes_send_a_loan_signed_case_back_to_partners_notified(world):
    from passage.registry.actions import transition_case
    from passage.registry.choices import CaseStatus

    booking = book_us(world, adults=1)
    transition_case(actor=world.actor, case=booking.case, to=CaseStatus.PARTNERS_NOTIFIED)
    loan = Loan.objects.get(case=booking.case)
    (note,) = actions.generate_notes(actor=world.actor, loan=loan)
    actions.record_signature(actor=world.actor, note=note, signed_on=BISHKEK_DAY)
    booking.case.refresh_from_db()
    assert booking.case.status == CaseStatus.LOAN_SIGNED
    mv.set_fare(
        actor=world.actor,
        agreement=world.agreement,
        origin=world.airports["BSZ"],
        destination=world.airports["JFK"],
        passenger_type="ADT",
        amount="700.00",
    )
    bk.rebook(actor=world.actor, booking=booking, flights=flights_on(world, 2), reason="x")
    booking.case.refresh_from_db()
    assert booking.case.status == CaseStatus.PARTNERS_NOTIFIED
    last = booking.case.status_history.last()
    assert last is not None and (last.from_status, last.to_status) == (
        "loan_signed",
        "partners_notified",
    )


def test_cancel_adjusts_to_zero(world):
    booking = book_ca(world, adults=1)
    loan = Loan.objects.get(case=booking.case)
    actions.cancel_loan(actor=world.actor, loan=loan, reason="Case withdrawn")
    loan.refresh_from_db()
    assert loan.status == LoanStatus.CANCELLED
    assert actions.amount_of(loan) == Decimal("0.00")
    assert entries(loan) == [
        (EntryKind.CHARGE, Decimal("700.00")),
        (EntryKind.ADJUSTMENT, Decimal("-700.00")),
    ]
