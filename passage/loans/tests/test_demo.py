"""The demo: loans for the booked US and Canada cases, some signed, some pending; idempotent."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management.base import OutputWrapper

from passage.loans import demo
from passage.loans.choices import LoanStatus
from passage.loans.models import Loan, PromissoryNote
from passage.loans.tests.conftest import book_ca, book_us
from passage.registry.choices import CaseStatus

pytestmark = pytest.mark.django_db


def test_demo_signs_every_other_loan(world: Any) -> None:
    us = book_us(world, adults=2, children=1)
    ca = book_ca(world, adults=1)
    other = world.case(country="SE", programme="")
    out = OutputWrapper(io.StringIO())
    demo.load(out)
    statuses = dict(Loan.objects.values_list("case_id", "status"))
    assert statuses == {us.case_id: LoanStatus.SIGNED, ca.case_id: LoanStatus.PENDING}
    assert other.pk not in statuses
    assert PromissoryNote.objects.filter(loan__case=us.case).count() == 2
    assert PromissoryNote.objects.filter(loan__case=ca.case).count() == 1
    counts = (Loan.objects.count(), PromissoryNote.objects.count())
    demo.load(out)
    assert (Loan.objects.count(), PromissoryNote.objects.count()) == counts
    assert dict(Loan.objects.values_list("case_id", "status")) == statuses
    days = set(
        PromissoryNote.objects.filter(signed_on__isnull=False).values_list("signed_on", flat=True)
    )
    assert days == {dt.date(2026, 8, 1)}


def test_demo_after_the_movements_demo_has_loans_in_every_state(
    personas: Any, isolated_readiness: Any, time_machine: Any
) -> None:
    """Movements' demo replays travel and a rebooking; loans' demo signs, leaves notes to
    sign (due soon) and hands the arrived case's loan over with its statement."""
    from passage.loans import pdf
    from passage.loans.choices import NoteStatus
    from passage.movements import demo as movements_demo
    from passage.movements.tests.test_demo import caseload

    time_machine.move_to(dt.datetime(2026, 8, 5, 3, 0, tzinfo=dt.UTC), tick=False)
    cases = caseload()
    out = OutputWrapper(io.StringIO())
    movements_demo.load(out)
    demo.load(out)
    statuses = sorted(Loan.objects.values_list("status", flat=True))
    assert statuses.count(LoanStatus.HANDED_OVER) == 1
    assert statuses.count(LoanStatus.ACTIVE) == 1  # departed, arrival not yet confirmed
    assert LoanStatus.SIGNED in statuses and LoanStatus.PENDING in statuses
    handed = Loan.objects.get(status=LoanStatus.HANDED_OVER)
    assert handed.arrived_on is not None and handed.handed_over_on is not None
    assert handed.arrived_on <= handed.handed_over_on <= dt.date(2026, 8, 5)
    assert handed.servicer and handed.handover_reference
    last = pdf.statement_csv(handed).splitlines()[-1].split(",")
    assert last[3] == "balance" and last[-1] == "USD" and float(last[-2]) > 0
    # The US case rebooked at another fare: a new round of notes to sign, the first kept.
    us = Loan.objects.get(case=cases["US"][0])
    assert (us.status, us.round) == (LoanStatus.PENDING, 2)
    assert set(us.notes.values_list("round", "status")) == {
        (1, NoteStatus.SUPERSEDED),
        (2, NoteStatus.PENDING),
    }
    us.case.refresh_from_db()
    assert us.case.status == CaseStatus.PARTNERS_NOTIFIED  # back from loan signed
    # Notes to sign are due within the finance list's 30 days.
    from passage.loans import queries

    due = [row.loan for row in queries.due_for_signing(personas.finance_officer, days=30)]
    assert us in due
    counts = (Loan.objects.count(), PromissoryNote.objects.count())
    demo.load(out)
    assert (Loan.objects.count(), PromissoryNote.objects.count()) == counts
