"""Two cashiers recording payments on the same sale at once, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from passage.core.errors import ConflictError
from passage.ledger.models import LedgerEntry
from passage.profiles.models import DestinationProfile
from passage.profiles.tests.factories import DestinationProfileFactory
from passage.testing.factories import UserFactory
from passage.tickets import actions
from passage.tickets.models import Sale
from passage.tickets.queries import balance_of
from passage.tickets.tests.conftest import booked

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _profile(db: Any) -> None:
    # A transactional test flushes the shipped profiles after the first test.
    if not DestinationProfile.objects.filter(country="US").exists():
        DestinationProfileFactory(country="US", effective_from=dt.date(2025, 1, 1))


def _together(*calls: Callable[[], Any]) -> list[Any]:
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _pay(user: Any, sale: Sale, amount: str) -> Callable[[], Any]:
    return lambda: actions.take_payment(actor=user, sale=sale, amount=amount, currency="USD")


def test_two_cashiers_paying_one_sale_are_both_recorded(counter: Any, personas: Any) -> None:
    a, b = personas.finance_officer, UserFactory(role="finance_officer")
    sale = booked(counter, a)
    results = _together(_pay(a, sale, "965.00"), _pay(b, sale, "965.00"))
    assert all(isinstance(r, LedgerEntry) for r in results), results
    assert sorted(r.receipt_number[-6:] for r in results) == ["000001", "000002"]
    sale.refresh_from_db()
    assert balance_of(sale) == Decimal("0.00") and sale.status == "paid"
    assert list(sale.history.values_list("to_status", flat=True)) == [
        "quoted",
        "booked",
        "partly_paid",
        "paid",
    ]


def test_the_second_full_payment_is_refused_not_lost(counter: Any, personas: Any) -> None:
    a, b = personas.finance_officer, UserFactory(role="finance_officer")
    sale = booked(counter, a)
    results = _together(_pay(a, sale, "1930.00"), _pay(b, sale, "1930.00"))
    assert sum(isinstance(r, LedgerEntry) for r in results) == 1
    refused = [r for r in results if isinstance(r, ConflictError)]
    assert len(refused) == 1 and refused[0].code in {"overpayment", "not_payable"}
    sale.refresh_from_db()
    assert balance_of(sale) == Decimal("0.00")
    assert LedgerEntry.objects.filter(account=sale.account, kind="payment").count() == 1


def test_a_credit_is_paid_back_once(counter: Any, personas: Any) -> None:
    """Two cashiers pay back the same credit at once: one refund, the other refused."""
    a, b = personas.finance_officer, UserFactory(role="finance_officer")
    sale = booked(counter, a)
    actions.take_payment(actor=a, sale=sale, amount="1930.00", currency="USD")
    fare = LedgerEntry.objects.filter(account=sale.account, kind="charge").first()
    assert fare is not None
    actions.correct_entry(actor=a, sale=sale, entry=fare, reason="Fare charged twice")
    assert balance_of(sale) == -fare.amount

    def back(user: Any) -> Callable[[], Any]:
        return lambda: actions.pay_back_credit(actor=user, sale=sale, currency="USD")

    results = _together(back(a), back(b))
    assert sum(isinstance(r, LedgerEntry) for r in results) == 1, results
    refused = [r for r in results if isinstance(r, ConflictError)]
    assert len(refused) == 1 and refused[0].code == "no_credit"
    assert balance_of(sale) == Decimal("0.00")
    assert LedgerEntry.objects.filter(account=sale.account, kind="refund").count() == 1
