"""The agreement's refund and change rules applied to a sale: pure arithmetic, no writes.

Fees are per passenger with a seat (an infant on a lap pays none). The deadline is a
number of days before departure: on the last allowed day the change or refund is still
accepted; a day later it is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from passage.core.errors import ActionError, ConflictError
from passage.movements.models import Agreement
from passage.tickets.models import Sale, SaleLine, TicketRules

ZERO = Decimal("0.00")


def rules_for(agreement: Agreement) -> TicketRules:
    rules = TicketRules.objects.filter(agreement=agreement).first()
    if rules is None:
        raise ActionError(
            _("Agreement %(ref)s has no refund and change rules yet: a finance officer sets them.")
            % {"ref": agreement.reference},
            field="agreement",
            code="no_rules",
        )
    return rules


def last_day(sale: Sale, days: int) -> dt.date:
    return sale.departure_date - dt.timedelta(days=days)


def check_deadline(
    sale: Sale, today: dt.date, days: int, what: str | Promise, *, field: str
) -> None:
    until = last_day(sale, days)
    if today > until:
        raise ConflictError(
            _(
                "%(what)s under agreement %(ref)s are accepted until %(days)d days before "
                "departure: for the departure on %(departure)s the last day was %(until)s."
            )
            % {
                "what": what,
                "ref": sale.agreement.reference,
                "days": days,
                "departure": sale.departure_date.isoformat(),
                "until": until.isoformat(),
            },
            field=field,
            code="past_deadline",
        )


@dataclass(frozen=True)
class RefundQuote:
    fares: Decimal  # taken off what is owed
    fees_back: Decimal  # service fees taken off, when the rules refund them
    fee: Decimal  # the refund fee charged
    kept: Decimal  # what the agency keeps: refund fee and unrefunded service fees
    back: Decimal  # paid back to the traveller
    still_due: Decimal  # owed after the refund (refused when above zero)


def refund_quote(rules: TicketRules, lines: Sequence[SaleLine], due: Decimal) -> RefundQuote:
    """``due`` is the account's balance before the refund (negative when overpaid)."""
    fares = sum((line.fare for line in lines), ZERO)
    service = sum((line.service_fee for line in lines), ZERO)
    seats = sum(1 for line in lines if line.takes_seat)
    fee = min(rules.refund_fee * seats, fares)
    fees_back = service if rules.service_fee_refundable else ZERO
    after = due - fares - fees_back + fee
    return RefundQuote(
        fares=fares,
        fees_back=fees_back,
        fee=fee,
        kept=fee + service - fees_back,
        back=max(-after, ZERO),
        still_due=max(after, ZERO),
    )


@dataclass(frozen=True)
class ChangeQuote:
    fee: Decimal
    difference: Decimal

    @property
    def total(self) -> Decimal:
        return self.fee + self.difference


def change_quote(
    rules: TicketRules, lines: Sequence[SaleLine], new_prices: Sequence[SaleLine]
) -> ChangeQuote:
    seats = sum(1 for line in lines if line.takes_seat)
    difference = sum(
        (max(new.fare - old.fare, ZERO) for old, new in zip(lines, new_prices, strict=True)), ZERO
    )
    return ChangeQuote(fee=rules.change_fee * seats, difference=difference)
