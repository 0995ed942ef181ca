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
