"""The ticket counter's cost over the bare ledger: a payment taken on a sale (sale row
locked, ledger payment converted from soms, status moved, audited) against the same
payment recorded on a plain ledger account; and the day's report (takings and
reconciliation of ticket accounts) over a day of those payments, against the ledger's
takings for the whole day.

Readiness is other apps' work: the movements benchmark's world registers no source.
"""

from __future__ import annotations

import argparse
import time
from decimal import Decimal

from bench.common import Table
from bench.movements_booking import cases, world


def run(table: Table, args: argparse.Namespace) -> None:
    from django.utils import timezone

    from passage.ledger import actions as ledger
    from passage.ledger import queries as ledger_queries
    from passage.registry.models import Case
    from passage.tickets import actions, queries

    n = max(20, int(200 * args.scale))
    w = world("tickets", n + 10)
    made = cases(n, 1, w["day"], "tickets")
    Case.objects.filter(pk__in=[c.pk for c in made]).update(programme="self_paying")
    officer = w["officer"]
    today = timezone.localdate()
    ledger.record_rate(
        actor=officer, base="USD", quote="KGS", rate="87.45", on=today, source="bench"
    )
    sales = []
    for case in Case.objects.filter(pk__in=[c.pk for c in made]).order_by("pk"):
        sale = actions.create_sale(
            actor=officer, case=case, agreement=w["agreement"], flights=w["flights"]
        )
        sales.append(actions.book_sale(actor=officer, sale=sale))
    due = queries.balance_of(sales[0])  # 675.00 USD each
    soms = (due * Decimal("87.45")).quantize(Decimal("0.01"))
    accounts = []
    for i in range(n):
        account = ledger.open_account(actor=None, code=f"bench.{i}", name="bench", currency="USD")
        ledger.charge(actor=None, account=account, amount=due, description="fare")
        accounts.append(account)

    start = time.perf_counter()
    for account in accounts:
        ledger.record_payment(
            actor=officer, account=account, amount=soms, currency="KGS", series="BENCH"
        )
    bare = n / (time.perf_counter() - start)
    start = time.perf_counter()
    for sale in sales:
        actions.take_payment(actor=officer, sale=sale, amount=soms, currency="KGS")
    counter = n / (time.perf_counter() - start)
    table.add(
        "tickets",
        f"{n} payments in KGS",
        counter,
        "payments/s",
        baseline=bare,
        baseline_name="ledger.record_payment on plain accounts",
    )

    start = time.perf_counter()
    for _ in range(5):
        ledger_queries.takings(today)
    whole = (time.perf_counter() - start) / 5 * 1000
    start = time.perf_counter()
    for _ in range(5):
        queries.day_takings(today)
        queries.day_reconciliation(today)
    report = (time.perf_counter() - start) / 5 * 1000
    table.add(
        "tickets",
        f"day report over {2 * n} payments",
        report,
        "ms",
        baseline=whole,
        baseline_name="ledger takings of the whole day",
        note="report: ticket takings + reconciliation",
    )
