"""Demo travel loans: one per booked case going to a destination whose profile asks for one.

Loaded after the movements demo, which books the caseload through the rules and replays
the past weeks' travel (notes signed before departure, departed, arrived) and a rebooking
at another fare. Bookings made while this app is installed opened their loans (the
booking listener); any booked case without one gets it now. Then:

- every loan still waiting for notes has them generated today; every other loan of the
  first round is signed, so the finance due list shows notes to sign beside signed loans;
  a loan in a later round (its total changed on rebooking) keeps its new notes to sign;
- every loan whose case has arrived is handed over to the profile's servicer a week after
  arrival (or today, if sooner), so its statement is the full story.

Idempotent: a loan whose notes exist, or that is handed over, is left as it is.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import OutputWrapper
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from passage.core.errors import ActionError
from passage.core.models import User
from passage.loans import actions, queries
from passage.loans.choices import LoanStatus, NoteStatus
from passage.loans.models import Loan
from passage.movements.choices import BookingStatus
from passage.movements.models import Booking

WITNESS = "A. Sadykova (IOM finance assistant)"


def _officer() -> User | None:
    return User.objects.filter(role="finance_officer", is_active=True).order_by("pk").first()


def _notes(actor: User, today: dt.date, stdout: OutputWrapper) -> int:
    loans = list(Loan.objects.filter(status=LoanStatus.PENDING).order_by("pk"))
    signed = 0
    for index, loan in enumerate(loans):
        try:
            with transaction.atomic():
                made = actions.generate_notes(actor=actor, loan=loan, on=today)
                if made and loan.round == 1 and index % 2 == 0:
                    for note in loan.notes.filter(round=loan.round, status=NoteStatus.PENDING):
                        actions.record_signature(
                            actor=actor, note=note, signed_on=today, witness=WITNESS
                        )
                    signed += 1
        except ActionError as exc:
            stdout.write(f"  loan of {loan.case.file_number}: {exc.message}")
    return signed


def _handovers(actor: User, today: dt.date, stdout: OutputWrapper) -> int:
    handed = 0
    for loan in Loan.objects.filter(status=LoanStatus.ACTIVE, arrived_on__isnull=False).order_by(
        "pk"
    ):
        assert loan.arrived_on is not None
        on = min(today, loan.arrived_on + dt.timedelta(days=7))
        try:
            with transaction.atomic():
                actions.hand_over(
                    actor=actor,
                    loan=loan,
                    servicer=loan.profile.loan_servicer or "Loan servicer",
                    on=on,
                    reference=f"HO-{on:%Y%m%d}-{loan.case.file_number}",
                )
        except ActionError as exc:
            stdout.write(f"  loan of {loan.case.file_number} not handed over: {exc.message}")
            continue
        handed += 1
    return handed


def load(stdout: OutputWrapper) -> int:
    actor = _officer()
    if actor is None:
        stdout.write("  loans: no finance officer; skipped")
        return 0
    today = timezone.localdate()
    for booking in Booking.objects.filter(status=BookingStatus.BOOKED).select_related("case"):
        if queries.live_loan(booking.case) is None:
            try:
                with transaction.atomic():
                    actions.sync_loan(actor=actor, case=booking.case)
            except ActionError:
                continue  # the destination asks for no loan
    signed = _notes(actor, today, stdout)
    handed = _handovers(actor, today, stdout)
    by_status = dict(Loan.objects.order_by().values_list("status").annotate(n=Count("pk")))
    stdout.write(
        f"  travel loans: {Loan.objects.count()} {by_status}; signed now: {signed}; "
        f"handed over: {handed}"
    )
    return Loan.objects.count()
