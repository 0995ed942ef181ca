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
    S.PARTLY_PAID: frozenset({S.PAID, S.REFUNDED}),
    S.PAID: frozenset({S.TICKETED, S.REFUNDED}),
    S.TICKETED: frozenset({S.CHANGED, S.REFUNDED}),
    S.CHANGED: frozenset({S.CHANGED, S.REFUNDED}),
    S.REFUNDED: frozenset(),
    S.CANCELLED: frozenset(),
}

# Where money may still be taken: the balance due decides how much.
PAYABLE = frozenset({S.BOOKED, S.PARTLY_PAID, S.CHANGED})
# Where the travellers hold an itinerary that can be refunded or changed.
REFUNDABLE = frozenset({S.PARTLY_PAID, S.PAID, S.TICKETED, S.CHANGED})
CHANGEABLE = frozenset({S.TICKETED, S.CHANGED})
OPEN = frozenset({S.QUOTED, S.BOOKED, S.PARTLY_PAID, S.PAID, S.TICKETED, S.CHANGED})
