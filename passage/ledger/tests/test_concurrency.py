"""Two cashiers at once, on PostgreSQL: neither payment is lost, receipts stay gap-free."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from passage.core.errors import ConflictError
from passage.ledger import actions, queries
from passage.ledger.models import LedgerEntry
from passage.testing.factories import UserFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
]


def _run_together(*calls):
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def worker(i, call):
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


def test_two_cashiers_paying_at_once_are_both_recorded():
    a, b = UserFactory(role="vac_officer"), UserFactory(role="finance_officer")
    account = actions.open_account(actor=None, code="pg.1", name="Family", currency="CAD")
    actions.charge(actor=None, account=account, amount="170", description="fee")
    results = _run_together(
        lambda: actions.record_payment(
            actor=a, account=account, amount="85", currency="CAD", series="PG"
        ),
        lambda: actions.record_payment(
            actor=b, account=account, amount="85", currency="CAD", series="PG"
        ),
    )
    assert all(isinstance(r, LedgerEntry) for r in results), results
    numbers = sorted(r.receipt_number for r in results)
    assert [n[-6:] for n in numbers] == ["000001", "000002"]
    assert queries.balance(account) == Decimal("0.00")


def test_the_second_of_two_full_payments_is_refused_not_lost():
    a, b = UserFactory(role="vac_officer"), UserFactory(role="finance_officer")
    account = actions.open_account(actor=None, code="pg.2", name="Family", currency="CAD")
    actions.charge(actor=None, account=account, amount="85", description="fee")
    results = _run_together(
        lambda: actions.record_payment(
            actor=a, account=account, amount="85", currency="CAD", series="PG2"
        ),
        lambda: actions.record_payment(
            actor=b, account=account, amount="85", currency="CAD", series="PG2"
        ),
    )
    assert sum(isinstance(r, LedgerEntry) for r in results) == 1
    assert sum(isinstance(r, ConflictError) for r in results) == 1
    assert queries.balance(account) == Decimal("0.00")
