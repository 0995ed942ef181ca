"""Read side of travel loans: who must sign, whether all have, the finance lists, statements."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils import timezone

from passage.core import policy
from passage.core.policy import AnyUser
from passage.ledger.models import LedgerEntry
from passage.ledger.queries import balance, balances
from passage.loans import compute
from passage.loans.choices import OPEN, LoanStatus, NoteStatus
from passage.loans.models import Loan, PromissoryNote
from passage.movements.choices import BookingStatus
from passage.registry.models import Case, Person

LIST_RELATED = ("case", "booking", "account", "profile")


@dataclass
class Signer:
    """One member of the booking: whether they sign on ``on``, and their note of the round."""

    person: Person
    passenger_type: str
    adult: bool
    age: int | None
    note: PromissoryNote | None
    estimated_near_threshold: bool = False

    @property
    def signed(self) -> bool:
        return self.note is not None and self.note.status == NoteStatus.SIGNED


@dataclass
class LoanSummary:
    loan: Loan
    amount: Decimal
    signers: list[Signer]
    entries: list[LedgerEntry] = field(default_factory=list)
    old_notes: list[PromissoryNote] = field(default_factory=list)
    repayment_starts: dt.date | None = None

    @property
    def required(self) -> list[Signer]:
        return [s for s in self.signers if s.adult]

    @property
    def missing_notes(self) -> list[Signer]:
        return [s for s in self.required if s.note is None]

    @property
    def unsigned(self) -> list[Signer]:
        return [s for s in self.required if not s.signed]

    @property
    def all_signed(self) -> bool:
        return bool(self.required) and not self.unsigned


def signers(loan: Loan, on: dt.date) -> list[Signer]:
    notes = {n.person_id: n for n in loan.notes.filter(round=loan.round).select_related("person")}
    rows = []
    travellers = loan.booking.travellers.select_related("person").order_by("id")
    for t in compute.members_of(list(travellers)):
        person = t.person
        assert person is not None
        born = person.date_of_birth
        rows.append(
            Signer(
                person=person,
                passenger_type=t.passenger_type,
                adult=compute.is_adult(loan.profile, born, on),
                age=compute.age_on(born, on) if born else None,
                note=notes.get(person.pk),
                estimated_near_threshold=bool(
                    born
                    and person.date_of_birth_estimated
                    and compute.near_threshold(loan.profile, born, on)
                ),
            )
        )
    return rows


def all_signed(loan: Loan, on: dt.date) -> bool:
    """Every adult travelling (age on ``on``) has signed this round's note."""
    required = [s for s in signers(loan, on) if s.adult]
    return bool(required) and all(s.signed for s in required)


def live_loan(case: Case) -> Loan | None:
    return (
        Loan.objects.filter(case=case)
        .exclude(status=LoanStatus.CANCELLED)
        .select_related(*LIST_RELATED)
        .first()
    )


def notes_signed(case: Case) -> bool | None:
    """The movements hook: True when departure may go ahead on the loan, None without one."""
    loan = live_loan(case)
    if loan is None:
        return None
    if loan.status not in OPEN:
        return True
    return all_signed(loan, timezone.localdate())


def summary(loan: Loan, on: dt.date | None = None) -> LoanSummary:
    day = on or timezone.localdate()
    arrival = loan.arrived_on or loan.booking.arrival_date
    return LoanSummary(
        loan=loan,
        amount=balance(loan.account),
        signers=signers(loan, day),
        entries=list(loan.account.entries.select_related("cashier").order_by("at", "id")),
        old_notes=list(
            loan.notes.exclude(round=loan.round).select_related("person").order_by("-round", "id")
        ),
        repayment_starts=compute.repayment_starts(loan.profile, arrival),
    )


def loans_visible(user: AnyUser) -> models.QuerySet[Loan]:
    return policy.visible_to(Loan.objects.select_related(*LIST_RELATED), user)


@dataclass
class Row:
    loan: Loan
    amount: Decimal


def _rows(loans: list[Loan]) -> list[Row]:
    found = balances([loan.account for loan in loans])
    return [Row(loan, found[loan.account_id]) for loan in loans]


def due_for_signing(user: AnyUser, days: int = 30, on: dt.date | None = None) -> list[Row]:
    """Loans whose notes are not all signed, departing within ``days``, soonest first."""
    day = on or timezone.localdate()
    loans = list(
        loans_visible(user)
        .filter(
            status=LoanStatus.PENDING,
            booking__status=BookingStatus.BOOKED,
            booking__departure_date__gte=day,
            booking__departure_date__lte=day + dt.timedelta(days=days),
        )
        .order_by("booking__departure_date", "case__file_number")
    )
    return _rows(loans)


def by_status(user: AnyUser, status: str = "") -> models.QuerySet[Loan]:
    rows = loans_visible(user)
    if status in LoanStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("-booking__departure_date", "-id")


def rows_for(loans: list[Loan]) -> list[Row]:
    return _rows(loans)


def status_counts(user: AnyUser) -> dict[str, int]:
    counts = dict(
        loans_visible(user).values_list("status").annotate(n=models.Count("id")).order_by()
    )
    return {value: counts.get(value, 0) for value in LoanStatus.values}
