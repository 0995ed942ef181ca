"""Statuses of a ticket sale and its one transition table."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SaleStatus(models.TextChoices):
    QUOTED = "quoted", _("Quoted")
    BOOKED = "booked", _("Booked")
    PARTLY_PAID = "partly_paid", _("Partly paid")
    PAID = "paid", _("Paid")
    TICKETED = "ticketed", _("Ticketed")
    CHANGED = "changed", _("Changed")
    REFUNDED = "refunded", _("Refunded")
    CANCELLED = "cancelled", _("Cancelled")


S = SaleStatus

# The one transition table of a sale. A change may follow a change; refunds and
# cancellations end the sale. Money decides paid and partly paid: a payment moves the
# sale only when it changes which of the two it is.
SALE_TRANSITIONS: dict[str, frozenset[str]] = {
    S.QUOTED: frozenset({S.BOOKED, S.CANCELLED}),
    S.BOOKED: frozenset({S.PARTLY_PAID, S.PAID, S.CANCELLED}),
    S.PARTLY_PAID: frozenset({S.PAID, S.REFUNDED, S.BOOKED}),
    S.PAID: frozenset({S.TICKETED, S.REFUNDED, S.PARTLY_PAID, S.BOOKED}),
    S.TICKETED: frozenset({S.CHANGED, S.REFUNDED}),
    S.CHANGED: frozenset({S.CHANGED, S.REFUNDED}),
    S.REFUNDED: frozenset(),
    S.CANCELLED: frozenset(),
}

# A correction of a payment (a ledger entry cancelled through the sale) moves a paid sale
# back to partly paid or booked: the money decides, as for a payment.
# Where money may still be taken: the balance due decides how much (a ticketed sale owes
# only after a correction).
PAYABLE = frozenset({S.BOOKED, S.PARTLY_PAID, S.TICKETED, S.CHANGED})
# Where a credit (paid beyond what is owed) can be paid back to the traveller.
CREDITABLE = frozenset({S.BOOKED, S.PARTLY_PAID, S.PAID, S.TICKETED, S.CHANGED})
# Where the travellers hold an itinerary that can be refunded or changed.
REFUNDABLE = frozenset({S.PARTLY_PAID, S.PAID, S.TICKETED, S.CHANGED})
CHANGEABLE = frozenset({S.TICKETED, S.CHANGED})
OPEN = frozenset({S.QUOTED, S.BOOKED, S.PARTLY_PAID, S.PAID, S.TICKETED, S.CHANGED})
