"""Notes for exactly the adults; a minor refused with nothing written; departure waits."""

from __future__ import annotations

import datetime as dt

import pytest

from passage.core.errors import ActionError, ConflictError
from passage.core.models import AuditEvent
from passage.loans import actions, queries
from passage.loans.choices import LoanStatus, NoteStatus
from passage.loans.models import Loan, PromissoryNote
from passage.loans.tests.conftest import BISHKEK_DAY, book_ca, book_us
from passage.movements import departure, sources
from passage.movements.choices import BookingStatus
from passage.movements.models import Booking
from passage.registry.choices import CaseStatus
from passage.registry.models import Person

pytestmark = pytest.mark.django_db


def person_of(booking: Booking, ptype: str = "ADT") -> Person:
    person = booking.travellers.filter(passenger_type=ptype).first().person  # type: ignore[union-attr]
    assert person is not None
    return person


def test_notes_for_exactly_the_adults(world):
    booking = book_us(world, adults=2, children=2, infants=1)
    loan = Loan.objects.get(case=booking.case)
    notes = actions.generate_notes(actor=world.actor, loan=loan)
    adults = {t.person_id for t in booking.travellers.filter(passenger_type="ADT")}
    assert {n.person_id for n in notes} == adults
    assert {str(n.amount) for n in notes} == {"2470.00"}
    again = actions.generate_notes(actor=world.actor, loan=loan)
    assert again == []  # idempotent
    assert PromissoryNote.objects.filter(loan=loan).count() == 2


def test_seventeen_year_old_has_no_note_until_eighteen(world):
    booking = book_us(world, adults=1)
    loan = Loan.objects.get(case=booking.case)
    teen = booking.travellers.first()
    assert teen is not None and teen.person is not None
    teen.person.date_of_birth = dt.date(2008, 8, 15)  # 18 on 2026-08-15
    teen.person.save()
    assert actions.generate_notes(actor=world.actor, loan=loan) == []
    assert [s.adult for s in queries.signers(loan, dt.date(2026, 8, 14))] == [False]
    assert [s.adult for s in queries.signers(loan, dt.date(2026, 8, 15))] == [True]
    notes = actions.generate_notes(actor=world.actor, loan=loan, on=dt.date(2026, 8, 15))
    assert len(notes) == 1


def test_a_note_for_a_minor_is_refused_and_nothing_written(world):
    booking = book_us(world, adults=1, children=1)
    loan = Loan.objects.get(case=booking.case)
    child = person_of(booking, "CHD")
    events = AuditEvent.objects.count()
    with pytest.raises(ActionError) as caught:
        actions.generate_notes(actor=world.actor, loan=loan, people=[child])
    assert caught.value.code == "minor"
    assert "is 8 on 2026-08-01" in caught.value.message
    assert "18 or over" in caught.value.message
    assert PromissoryNote.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_signed_by_a_minor_is_refused(world):
    """A note generated for the day someone turns 18 cannot be signed the day before."""
    booking = book_us(world, adults=1)
    loan = Loan.objects.get(case=booking.case)
    person = person_of(booking)
    person.date_of_birth, person.date_of_birth_estimated = dt.date(2008, 8, 1), True
    person.save()
    (note,) = actions.generate_notes(actor=world.actor, loan=loan)  # 18 today
    person.date_of_birth = dt.date(2008, 8, 2)
    person.save()
    note.date_of_birth = dt.date(2008, 8, 2)  # the date corrected after generating
    PromissoryNote.objects.filter(pk=note.pk).update(date_of_birth=note.date_of_birth)
    with pytest.raises(ActionError) as caught:
        actions.record_signature(actor=world.actor, note=note, signed_on=BISHKEK_DAY)
    assert caught.value.code == "minor"
    assert "estimated date of birth" in caught.value.message
    note.refresh_from_db()
    assert note.status == NoteStatus.PENDING and note.signed_on is None


@pytest.mark.parametrize(
    ("signed_on", "field"),
    [(dt.date(2026, 8, 2), "signed_on"), (dt.date(2026, 7, 1), "signed_on")],
)
def test_bad_signing_dates(world, signed_on, field):
    booking = book_us(world, adults=1)
    (note,) = actions.generate_notes(actor=world.actor, loan=Loan.objects.get(case=booking.case))
    with pytest.raises(ActionError) as caught:
        actions.record_signature(actor=world.actor, note=note, signed_on=signed_on)
    assert caught.value.field == field
    note.refresh_from_db()
    assert note.status == NoteStatus.PENDING


def test_signing_twice_is_a_conflict(world):
    booking = book_us(world, adults=1)
    (note,) = actions.generate_notes(actor=world.actor, loan=Loan.objects.get(case=booking.case))
    actions.record_signature(actor=world.actor, note=note, signed_on=BISHKEK_DAY)
    with pytest.raises(ConflictError):
        actions.record_signature(actor=world.actor, note=note, signed_on=BISHKEK_DAY)


def test_no_date_of_birth_is_asked_for(world):
    booking = book_us(world, adults=1)
    person = person_of(booking)
    person.date_of_birth = None
    person.save()
    loan = Loan.objects.get(case=booking.case)
    with pytest.raises(ActionError) as caught:
        actions.generate_notes(actor=world.actor, loan=loan)
    assert caught.value.code == "no_date_of_birth"
    assert queries.notes_signed(booking.case) is False


def _ready_to_depart(world, booking):
    departure.mark_fit_to_travel(actor=world.actor, booking=booking)
    for t in booking.travellers.all():
        departure.check_in(actor=world.actor, traveller=t)


def test_departure_blocked_until_every_note_is_signed(world):
    booking = book_ca(world, adults=2, children=1)
    _ready_to_depart(world, booking)
    loan = Loan.objects.get(case=booking.case)
    with pytest.raises(ConflictError) as caught:
        departure.mark_departed(actor=world.actor, booking=booking)
    assert caught.value.code == "loan_not_signed"
    first, second = actions.generate_notes(actor=world.actor, loan=loan)
    actions.record_signature(actor=world.actor, note=first, signed_on=BISHKEK_DAY)
    with pytest.raises(ConflictError):
        departure.mark_departed(actor=world.actor, booking=booking)
    actions.record_signature(actor=world.actor, note=second, signed_on=BISHKEK_DAY)
    loan.refresh_from_db()
    assert loan.status == LoanStatus.SIGNED
    departure.mark_departed(actor=world.actor, booking=booking)
    booking.refresh_from_db()
    loan.refresh_from_db()
    assert booking.status == BookingStatus.DEPARTED
    assert booking.case.status == CaseStatus.DEPARTED
    assert loan.status == LoanStatus.ACTIVE


def test_arrival_then_handover(world):
    booking = book_ca(world, adults=1)
    loan = Loan.objects.get(case=booking.case)
    (note,) = actions.generate_notes(actor=world.actor, loan=loan)
    actions.record_signature(actor=world.actor, note=note, signed_on=BISHKEK_DAY)
    _ready_to_depart(world, booking)
    with pytest.raises(ConflictError):
        actions.hand_over(
            actor=world.actor, loan=loan, servicer="IRCC", on=BISHKEK_DAY, reference="R1"
        )
    departure.mark_departed(actor=world.actor, booking=booking)
    departure.mark_arrived(actor=world.actor, booking=booking, confirmation="ROC")
    loan.refresh_from_db()
    assert loan.arrived_on == dt.date(2026, 9, 1)
    assert queries.summary(loan).repayment_starts == dt.date(2027, 9, 1)  # month 12
    with pytest.raises(ActionError) as caught:
        actions.hand_over(
            actor=world.actor, loan=loan, servicer="IRCC", on=BISHKEK_DAY, reference="R1"
        )
    assert caught.value.field == "on"
    world_time = dt.date(2026, 9, 10)
    import time_machine

    with time_machine.travel(dt.datetime(2026, 9, 10, 9, tzinfo=dt.UTC), tick=False):
        actions.hand_over(
            actor=world.actor, loan=loan, servicer="IRCC ILP", on=world_time, reference="ILP-77"
        )
    loan.refresh_from_db()
    assert (loan.status, loan.servicer, loan.handover_reference) == (
        LoanStatus.HANDED_OVER,
        "IRCC ILP",
        "ILP-77",
    )


def test_provider_none_without_a_loan_and_for_other_destinations(world):
    booking = book_us(world, adults=1)
    assert queries.notes_signed(booking.case) is False
    assert sources.loan_notes_signed(booking.case) is False
    other = world.case(country="SE", programme="")
    assert queries.notes_signed(other) is None


def test_notified_case_moves_to_loan_signed(world):
    from passage.registry.actions import transition_case

    booking = book_ca(world, adults=1)
    transition_case(actor=world.actor, case=booking.case, to=CaseStatus.PARTNERS_NOTIFIED)
    (note,) = actions.generate_notes(actor=world.actor, loan=Loan.objects.get(case=booking.case))
    actions.record_signature(actor=world.actor, note=note, signed_on=BISHKEK_DAY)
    booking.case.refresh_from_db()
    assert booking.case.status == CaseStatus.LOAN_SIGNED
