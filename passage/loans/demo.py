"""Demo travel loans: one per booked case going to a destination whose profile asks for a loan.

Loaded after the movements demo. Bookings made while this app is installed already
opened their loans (the booking listener); any booked case without one gets it now.
Then every loan has its notes generated, and every other loan is signed, so the
finance pages show loans due for signing beside signed ones. Idempotent: a loan
whose notes already exist is left as it is.
"""

from __future__ import annotations

from django.core.management.base import OutputWrapper
from django.db import transaction
from django.utils import timezone

from passage.core.errors import ActionError
from passage.core.models import User
from passage.loans import actions, queries
from passage.loans.choices import LoanStatus, NoteStatus
from passage.loans.models import Loan
from passage.movements.choices import BookingStatus
from passage.movements.models import Booking


def _officer() -> User | None:
    return User.objects.filter(role="finance_officer", is_active=True).order_by("pk").first()


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
    loans = list(Loan.objects.filter(status=LoanStatus.PENDING).order_by("pk"))
    signed = 0
    for index, loan in enumerate(loans):
        try:
            with transaction.atomic():
                made = actions.generate_notes(actor=actor, loan=loan, on=today)
                if made and index % 2 == 0:
                    for note in loan.notes.filter(round=loan.round, status=NoteStatus.PENDING):
                        actions.record_signature(
                            actor=actor, note=note, signed_on=today, witness="Demo witness"
                        )
                    signed += 1
        except ActionError as exc:
            stdout.write(f"  loan of {loan.case.file_number}: {exc.message}")
    stdout.write(f"  travel loans: {Loan.objects.count()}; signed now: {signed}")
    return len(loans)
