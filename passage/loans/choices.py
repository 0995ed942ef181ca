"""Statuses of a travel loan and of its promissory notes, with the loan's transition table."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LoanStatus(models.TextChoices):
    PENDING = "pending", _("Notes to sign")
    SIGNED = "signed", _("Notes signed")
    ACTIVE = "active", _("Departed, repayable")
    HANDED_OVER = "handed_over", _("Handed over")
    CANCELLED = "cancelled", _("Cancelled")


L = LoanStatus

# The one transition table of a loan. A rebooking that changes the amount sends a
# signed loan back to "notes to sign"; a departure makes it repayable; after
# arrival it is handed over to the servicing organisation.
LOAN_TRANSITIONS: dict[str, frozenset[str]] = {
    L.PENDING: frozenset({L.SIGNED, L.CANCELLED}),
    L.SIGNED: frozenset({L.PENDING, L.ACTIVE, L.CANCELLED}),
    L.ACTIVE: frozenset({L.HANDED_OVER}),
    L.HANDED_OVER: frozenset(),
    L.CANCELLED: frozenset(),
}

# Loans still before departure: their notes may be generated and signed.
OPEN = frozenset({L.PENDING, L.SIGNED})


class NoteStatus(models.TextChoices):
    PENDING = "pending", _("To sign")
    SIGNED = "signed", _("Signed")
    SUPERSEDED = "superseded", _("Superseded")
