"""A travel loan per case, kept as a ledger account, and the promissory notes of its adults.

The loan's amount is never a field: it is the balance of its ledger account (fares
and, where the profile says so, the agency's fee, then adjustments when a rebooking
changes the amount). Notes carry the amount they promise; a change of the amount
supersedes them (kept, marked) and asks for a new round.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.core.models import User
from passage.core.policy import PolicyQuerySet
from passage.ledger.models import Account
from passage.loans.choices import LoanStatus, NoteStatus
from passage.movements.models import Booking
from passage.profiles.models import DestinationProfile
from passage.registry.models import Case, Person


def scan_path(note: PromissoryNote, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"loans/notes/{note.loan_id}/{note.pk or 'new'}-{note.round}.{suffix}"


class Loan(models.Model):
    """The travel loan of one case, in the fare currency; it follows the case's bookings."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="loans")
    booking = models.ForeignKey(
        Booking, on_delete=models.PROTECT, related_name="loans", verbose_name=_("booking")
    )
    profile = models.ForeignKey(
        DestinationProfile, on_delete=models.PROTECT, related_name="+", verbose_name=_("profile")
    )
    account = models.OneToOneField(Account, on_delete=models.PROTECT, related_name="loan")
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(
        _("status"), max_length=12, choices=LoanStatus.choices, default=LoanStatus.PENDING
    )
    round = models.PositiveSmallIntegerField(
        _("round of notes"), default=1, help_text=_("Raised each time the amount changes.")
    )
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True)
    servicer = models.CharField(_("servicing organisation"), max_length=200, blank=True)
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)
    handover_reference = models.CharField(_("handover reference"), max_length=100, blank=True)
    handed_over_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        verbose_name = _("travel loan")
        verbose_name_plural = _("travel loans")
        indexes: ClassVar = [models.Index(fields=["status"])]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["case"],
                condition=~Q(status=LoanStatus.CANCELLED),
                name="loans_one_live_loan_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case.file_number} ({self.currency})"


class LoanStatusChange(models.Model):
    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.loan_id}: {self.from_status} → {self.to_status}"


class PromissoryNote(models.Model):
    """One adult's promise to repay the loan's amount, in one round of notes."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="notes")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="promissory_notes")
    round = models.PositiveSmallIntegerField(_("round"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(
        _("status"), max_length=12, choices=NoteStatus.choices, default=NoteStatus.PENDING
    )
    date_of_birth = models.DateField(_("date of birth"))
    date_of_birth_estimated = models.BooleanField(_("date of birth estimated"), default=False)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    witness = models.CharField(_("witness"), max_length=200, blank=True)
    signature_recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signature_recorded_at = models.DateTimeField(null=True, blank=True)
    scan = models.FileField(_("scan"), upload_to=scan_path, blank=True)
    scan_content_type = models.CharField(max_length=40, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["loan", "-round", "id"]
        verbose_name = _("promissory note")
        verbose_name_plural = _("promissory notes")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["loan", "person", "round"], name="loans_one_note_per_person_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.loan_id}/{self.round}: {self.person_id}"
