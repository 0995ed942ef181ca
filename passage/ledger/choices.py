"""Kinds of ledger entries and payment methods."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    CHARGE = "charge", _("Charge")
    FEE = "fee", _("Fee")
    PAYMENT = "payment", _("Payment")
    REFUND = "refund", _("Refund")
    ADJUSTMENT = "adjustment", _("Adjustment")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")


# What each kind does to the balance due: +1 raises it, -1 lowers it.
# An adjustment carries its own sign in its amount.
BALANCE_SIGN: dict[str, int] = {
    EntryKind.CHARGE: 1,
    EntryKind.FEE: 1,
    EntryKind.PAYMENT: -1,
    EntryKind.REFUND: 1,
    EntryKind.ADJUSTMENT: 1,
}

MONEY_KINDS = frozenset({EntryKind.PAYMENT, EntryKind.REFUND})


class Desk(models.TextChoices):
    """A desk that takes money into its own drawer: the prefix of its accounts' codes.

    A cashier working two desks on one day keeps two drawers, each with its float,
    counts and reconciliation (``vac.`` accounts at the visa centre, ``tickets.`` at
    the ticket counter)."""

    VAC = "vac", _("Visa application centre")
    TICKETS = "tickets", _("Ticket counter")


def desk_prefix(desk: str) -> str:
    return f"{desk}."
