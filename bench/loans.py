"""What travel loans cost a booking: US cases booked one after another with the loan
listener (a loan opened, one ledger charge per fare and fee), against the same bookings
with the listener unregistered, in the same run. Then the departure check
(``loan_notes_signed``) per case.
"""

from __future__ import annotations

import argparse
import time

from bench.common import Table


def run(table: Table, args: argparse.Namespace) -> None:
    from bench.movements_booking import book_all, cases, world
    from passage.loans import hooks, queries
    from passage.loans.models import Loan
    from passage.movements import sources

    n = max(20, int(200 * args.scale))
    size = 3
    sources.register_booking_listener("loans", None)
    bare_w = world("noloan", n * size)
    booked_0, _r, secs_0 = book_all(bare_w, cases(n, size, bare_w["day"], "noloan"), 1)
    hooks.register()
    loan_w = world("loans", n * size)
    todo = cases(n, size, loan_w["day"], "loans")
    booked_1, _r, secs_1 = book_all(loan_w, todo, 1)
    loans = Loan.objects.filter(case__in=todo).count()
    table.add(
        "loans",
        f"{n} US bookings of {size}, with their loans",
        booked_1 / secs_1,
        "bookings/s",
        baseline=booked_0 / secs_0,
        baseline_name="same bookings, no loan listener",
        note=f"{loans} loans opened, {loans * size * 2} ledger entries",
    )
    start = time.perf_counter()
    for case in todo:
        queries.notes_signed(case)
    per_case = (time.perf_counter() - start) / len(todo) * 1000
    table.add(
        "loans",
        f"departure check (notes signed?) on {len(todo)} cases",
        per_case,
        "ms/case",
        note="one live loan, its travellers and notes read per case",
    )
