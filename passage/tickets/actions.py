"""Every write of the ticket counter: quote, book, take money, ticket, change, refund,
cancel, set the rules, close the day.

Money goes through :mod:`passage.ledger.actions` only: each sale has its own account
(``tickets.sale.<id>``) in the fare's currency, and every charge, fee, payment, refund
and adjustment is a new entry. Writes on a sale lock its row first, so two cashiers
working on one sale are applied one after the other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core import audit
from passage.core.errors import ActionError, ConflictError
from passage.core.models import User
from passage.core.workflow import apply_transition, check_transition
from passage.ledger import actions as ledger
from passage.ledger.choices import EntryKind, PaymentMethod
from passage.ledger.models import CENT, LedgerEntry
from passage.ledger.queries import balance
from passage.movements import booking as bk
from passage.movements import departure, manifests
from passage.movements.actions import fare_for
from passage.movements.choices import BookingStatus, PassengerType
from passage.movements.models import Agreement, Flight
from passage.profiles.choices import Programme
from passage.registry.actions import transition_case
from passage.registry.choices import CASE_TRANSITIONS, CaseStatus
from passage.registry.models import Case, Membership
from passage.tickets import rules as ticket_rules
from passage.tickets.choices import (
    CHANGEABLE,
    CREDITABLE,
    OPEN,
    PAYABLE,
    REFUNDABLE,
    SALE_TRANSITIONS,
    SaleStatus,
)
from passage.tickets.models import (
    LANGUAGES,
    DayClose,
    Sale,
    SaleLine,
    SaleStatusChange,
    TicketRules,
)

SALE_SERIES = "TS"
RECEIPT_SERIES = "TKT"
PROGRAMMES = frozenset({Programme.SELF_PAYING})
ZERO = Decimal("0.00")


def _set_status(actor: User | None, sale: Sale, to: str, reason: str = "") -> None:
    apply_transition(
        sale,
        to,
        table=SALE_TRANSITIONS,
        choices=SaleStatus,
        history=SaleStatusChange,
        actor=actor,
        action="tickets.status",
        reason=reason,
    )


def _lock(sale: Sale) -> Sale:
    return Sale.objects.select_for_update().select_related("agreement", "case").get(pk=sale.pk)


def check_fare_validity(agreement: Agreement, departure: dt.date) -> None:
    """The agreement's fares apply to travel within its validity; refused outside it."""
    if not agreement.covers(departure):
        raise ActionError(
            _(
                "The fares of agreement %(ref)s are valid for travel %(start)s to %(end)s; "
                "the departure on %(date)s is outside them."
            )
            % {
                "ref": agreement.reference,
                "start": agreement.valid_from.isoformat(),
                "end": agreement.valid_until.isoformat(),
                "date": departure.isoformat(),
            },
            field="departure_date",
            code="fare_not_valid",
        )


def price_lines(
    agreement: Agreement, flights: Sequence[Flight], members: Sequence[Membership]
) -> list[SaleLine]:
    """One unsaved line per traveller: the fare of their type on the departure day, and the
    agency's service fee for each passenger with a seat (an infant on a lap pays none)."""
    departure = flights[0].departs_local.date()
    origin, destination = flights[0].origin, flights[-1].destination
    lines = []
    for m in members:
        ptype = bk.passenger_type(m.person.date_of_birth, departure)
        lines.append(
            SaleLine(
                person=m.person,
                name=m.person.latin_name,
                passenger_type=ptype,
                fare=fare_for(agreement, origin, destination, ptype),
                service_fee=ZERO if ptype == PassengerType.INFANT else agreement.service_fee,
            )
        )
    return lines


@transaction.atomic
def create_sale(
    *,
    actor: User,
    case: Case,
    agreement: Agreement,
    flights: Sequence[Flight],
    language: str = "ru",
) -> Sale:
    """Quote the case's travellers on an itinerary under an agreement's fares."""
    if case.programme not in PROGRAMMES:
        raise ActionError(
            _(
                "Case %(case)s is under “%(programme)s”; the counter sells tickets to "
                "self-paying migrants only."
            )
            % {"case": case.file_number, "programme": case.get_programme_display()},
            field="case",
            code="not_self_paying",
        )
    if language not in dict(LANGUAGES):
        raise ActionError(_("Choose English, Russian or Kyrgyz."), field="language")
    flights = list(flights)
    bk.check_itinerary(flights)
    departure = flights[0].departs_local.date()
    check_fare_validity(agreement, departure)
    for flight in flights:
        if flight.airline_id != agreement.airline_id:
            raise ActionError(
                _("Flight %(f)s is not flown by the agreement's airline.")
                % {"f": flight.designator},
                field="flights",
            )
    members = list(
        Membership.objects.filter(case=case, ended_at__isnull=True)
        .select_related("person")
        .order_by("pk")
    )
    if not members:
        raise ActionError(
            _("Case %(case)s has no members.") % {"case": case.file_number}, field="case"
        )
    if Sale.objects.filter(case=case, status__in=OPEN).exists():
        raise ConflictError(
            _("Case %(case)s already has an open sale: finish, refund or cancel it first.")
            % {"case": case.file_number},
            field="case",
            code="open_sale",
        )
    lines = price_lines(agreement, flights, members)
    sale = Sale.objects.create(
        number=ledger.next_receipt_number(SALE_SERIES, timezone.localdate().year),
        case=case,
        agreement=agreement,
        origin=flights[0].origin,
        destination=flights[-1].destination,
        flight_ids=[f.pk for f in flights],
        departure_date=departure,
        currency=agreement.currency,
        language=language,
        created_by=actor,
    )
    for line in lines:
        line.sale = sale
    SaleLine.objects.bulk_create(lines)
    SaleStatusChange.objects.create(sale=sale, to_status=SaleStatus.QUOTED, actor=actor)
    audit.record(
        actor=actor,
        action="tickets.quote",
        obj=sale,
        after={
            "case": case.file_number,
            "agreement": agreement.reference,
            "flights": sale.flight_ids,
            "total": str(sum((line.total for line in lines), ZERO)),
            "currency": sale.currency,
        },
    )
    return sale


def _flights(sale: Sale) -> list[Flight]:
    found = Flight.objects.select_related("origin", "destination", "airline").in_bulk(
        sale.flight_ids
    )
    return [found[i] for i in sale.flight_ids if i in found]


@transaction.atomic
def book_sale(*, actor: User, sale: Sale) -> Sale:
    """Book the itinerary (every movement rule applies) and charge the fares and fees."""
    sale = _lock(sale)
    check_transition(SALE_TRANSITIONS, SaleStatus, sale.status, SaleStatus.BOOKED)
    lines = list(sale.lines.select_related("person"))
    check_fare_validity(sale.agreement, sale.departure_date)
    booking = bk.book_case(
        actor=actor,
        case=sale.case,
        agreement=sale.agreement,
        flights=_flights(sale),
        people=[line.person for line in lines],
    )
    account = ledger.open_account(
        actor=actor,
        code=sale.account_code,
        name=f"{sale.number} {sale.case.file_number}",
        currency=sale.currency,
        subject=sale,
    )
    for line in lines:
        ledger.charge(
            actor=actor,
            account=account,
            amount=line.fare,
            description=f"{_('Fare')} {line.passenger_type} {line.name}",
        )
        if line.service_fee > 0:
            ledger.charge(
                actor=actor,
                account=account,
                amount=line.service_fee,
                description=f"{_('Service fee')} {line.name}",
                kind=EntryKind.FEE,
            )
    sale.booking, sale.account = booking, account
    sale.save(update_fields=["booking", "account"])
    _set_status(actor, sale, SaleStatus.BOOKED, reason=bk.itinerary_text(_flights(sale)))
    return sale


def _after_payment(actor: User, sale: Sale) -> None:
    assert sale.account is not None
    due = balance(sale.account)
    if due <= 0 and sale.status in {SaleStatus.BOOKED, SaleStatus.PARTLY_PAID}:
        _set_status(actor, sale, SaleStatus.PAID)
    elif due > 0 and sale.status == SaleStatus.BOOKED:
        _set_status(actor, sale, SaleStatus.PARTLY_PAID)


@transaction.atomic
def take_payment(
    *,
    actor: User,
    sale: Sale,
    amount: Decimal | str,
    currency: str,
    method: str = PaymentMethod.CASH,
) -> LedgerEntry:
    """Money for a sale, in its currency or another at the day's recorded rate."""
    sale = _lock(sale)
    if sale.status not in PAYABLE or sale.account is None:
        raise ConflictError(
            _("Sale %(sale)s is “%(status)s”: no payment is due.")
            % {"sale": sale.number, "status": sale.get_status_display()},
            field="sale",
            code="not_payable",
        )
    entry = ledger.record_payment(
        actor=actor,
        account=sale.account,
        amount=amount,
        currency=currency,
        method=method,
        series=RECEIPT_SERIES,
    )
    _after_payment(actor, sale)
    audit.record(
        actor=actor,
        action="tickets.payment",
        obj=sale,
        extra={"entry": entry.pk, "receipt": entry.receipt_number},
    )
    return entry


def _ticket(number: str) -> str:
    value = number.replace("-", "").replace(" ", "")
    if not (value.isdigit() and len(value) == 13):
        raise ActionError(
            _("“%(n)s” is not a ticket number: it has 13 digits.") % {"n": number},
            field="tickets",
        )
    return value


@transaction.atomic
def issue_tickets(*, actor: User, sale: Sale, pnr: str, numbers: dict[int, str]) -> Sale:
    """Record the airline's PNR and one ticket number per traveller of a paid sale."""
    sale = _lock(sale)
    check_transition(SALE_TRANSITIONS, SaleStatus, sale.status, SaleStatus.TICKETED)
    lines = sale.active_lines()
    missing = [line.name for line in lines if not numbers.get(line.pk, "").strip()]
    if missing:
        raise ActionError(
            _("Give the ticket number of %(who)s.") % {"who": ", ".join(missing)},
            field="tickets",
        )
    values = {line.pk: _ticket(numbers[line.pk]) for line in lines}
    if len(set(values.values())) != len(values):
        raise ActionError(_("Each traveller has a ticket number of their own."), field="tickets")
    taken = SaleLine.objects.filter(ticket_number__in=values.values()).exclude(sale=sale)
    if taken.exists():
        raise ConflictError(
            _("Ticket %(n)s is already issued.") % {"n": taken.first().ticket_number},  # type: ignore[union-attr]
            field="tickets",
        )
    _record_on_booking(actor, sale, pnr, values)
    for line in lines:
        line.ticket_number = values[line.pk]
    SaleLine.objects.bulk_update(lines, ["ticket_number"])
    _set_status(actor, sale, SaleStatus.TICKETED, reason=pnr.strip().upper())
    return sale


def _record_on_booking(actor: User, sale: Sale, pnr: str, values: dict[int, str]) -> None:
    assert sale.booking is not None
    travellers = {t.person_id: t.pk for t in sale.booking.travellers.all()}
    by_person = {line.person_id: values[line.pk] for line in sale.active_lines()}
    departure.set_booking_reference(
        actor=actor,
        booking=sale.booking,
        pnr=pnr,
        tickets={travellers[p]: n for p, n in by_person.items() if p in travellers},
    )


@transaction.atomic
def change_sale(*, actor: User, sale: Sale, flights: Sequence[Flight], reason: str) -> Sale:
    """Move a ticketed sale to other flights by the agreement's change rules: the change fee
    per passenger with a seat, any higher fare charged, any lower fare credited (owed back to
    the traveller: ``pay_back_credit``)."""
    sale = _lock(sale)
    if sale.status not in CHANGEABLE or sale.booking is None or sale.account is None:
        raise ConflictError(
            _("Only a ticketed sale can be changed."), field="sale", code="not_changeable"
        )
    if not reason.strip():
        raise ActionError(_("Say why the itinerary changes."), field="reason")
    rules = ticket_rules.rules_for(sale.agreement)
    today = timezone.localdate()
    ticket_rules.check_deadline(sale, today, rules.change_until_days, _("Changes"), field="flights")
    flights = list(flights)
    bk.check_itinerary(flights)
    check_fare_validity(sale.agreement, flights[0].departs_local.date())
    lines = list(sale.lines.select_related("person").order_by("pk"))
    lines = [line for line in lines if line.refunded_at is None]
    members = [Membership(person=line.person) for line in lines]
    new_prices = price_lines(sale.agreement, flights, members)
    new_booking = bk.rebook(
        actor=actor,
        booking=sale.booking,
        flights=flights,
        reason=reason,
        people=[line.person for line in lines],
    )
    quote = ticket_rules.change_quote(rules, lines, new_prices)
    for line, price in zip(lines, new_prices, strict=True):
        difference = price.fare - line.fare
        if difference > 0:
            ledger.charge(
                actor=actor,
                account=sale.account,
                amount=difference,
                description=f"{_('Fare difference')} {line.name}",
            )
        elif difference < 0:  # a lower fare: the difference is owed back to the traveller
            ledger.adjust(
                actor=actor,
                account=sale.account,
                amount=difference,
                description=f"{_('Lower fare after a change')} {line.name}"[:200],
            )
        line.fare = price.fare
        line.passenger_type = price.passenger_type  # a child may turn 12 before the new date
    SaleLine.objects.bulk_update(lines, ["fare", "passenger_type"])
    if quote.fee > 0:
        ledger.charge(
            actor=actor,
            account=sale.account,
            amount=quote.fee,
            kind=EntryKind.FEE,
            description=_("Change fee"),
        )
    old = sale.booking
    sale.booking = new_booking
    sale.flight_ids = [f.pk for f in flights]
    sale.departure_date = flights[0].departs_local.date()
    sale.origin, sale.destination = flights[0].origin, flights[-1].destination
    sale.save(update_fields=["booking", "flight_ids", "departure_date", "origin", "destination"])
    if old.pnr:
        _record_on_booking(actor, sale, old.pnr, {line.pk: line.ticket_number for line in lines})
    _set_status(actor, sale, SaleStatus.CHANGED, reason=reason)
    return sale


def _release_booking(actor: User, sale: Sale, reason: str) -> None:
    """The booking is cancelled and the case goes back to booking (postponed, then requested)."""
    booking = sale.booking
    if booking is None or booking.status != BookingStatus.BOOKED:
        return
    flights = [leg.flight for leg in booking.legs.select_related("flight")]
    bk.set_booking_status(actor=actor, booking=booking, to=BookingStatus.CANCELLED, reason=reason)
    case = Case.objects.get(pk=sale.case_id)
    if CaseStatus.POSTPONED in CASE_TRANSITIONS.get(case.status, frozenset()):
        transition_case(actor=actor, case=case, to=CaseStatus.POSTPONED, reason=reason)
        transition_case(actor=actor, case=case, to=CaseStatus.BOOKING_REQUESTED, reason=reason)
    manifests.refresh_flights(flights, actor=actor, reason=f"ticket sale {sale.number}")


def _post_refund(
    actor: User, sale: Sale, quote: ticket_rules.RefundQuote, reason: str, whom: str = ""
) -> None:
    """The ledger entries of a refund: the fares back, the service fee back when the rules
    return it, and the refund fee (``whom``: the travellers of a partial refund)."""
    of = f" ({whom})" if whom else ""
    account = sale.account
    assert account is not None  # a sale's account is opened with it
    ledger.adjust(
        actor=actor,
        account=account,
        amount=-quote.fares,
        description=f"{_('Fares refunded')}{of}: {reason.strip()}"[:200],
    )
    if quote.fees_back:
        ledger.adjust(
            actor=actor,
            account=account,
            amount=-quote.fees_back,
            description=f"{_('Service fee refunded')}{of}"[:200],
        )
    if quote.fee:
        ledger.charge(
            actor=actor,
            account=account,
            amount=quote.fee,
            kind=EntryKind.FEE,
            description=f"{_('Refund fee')}{of}"[:200],
        )


@transaction.atomic
def refund_sale(
    *,
    actor: User,
    sale: Sale,
    currency: str,
    method: str = PaymentMethod.CASH,
    reason: str,
) -> LedgerEntry | None:
    """Refund by the agreement's rules: the fares come off, the refund fee per passenger
    with a seat (and the service fee, unless refundable) is kept, and what was paid beyond
    that is given back. Refused past the rules' deadline. Returns the refund entry."""
    sale = _lock(sale)
    if sale.status not in REFUNDABLE or sale.account is None:
        raise ConflictError(
            _("Sale %(sale)s is “%(status)s”: there is nothing to refund.")
            % {"sale": sale.number, "status": sale.get_status_display()},
            field="sale",
            code="not_refundable",
        )
    if not reason.strip():
        raise ActionError(_("Say why the tickets are refunded."), field="reason")
    rules = ticket_rules.rules_for(sale.agreement)
    ticket_rules.check_deadline(
        sale, timezone.localdate(), rules.refund_until_days, _("Refunds"), field="sale"
    )
    quote = ticket_rules.refund_quote(rules, sale.active_lines(), balance(sale.account))
    if quote.still_due > 0:
        raise ConflictError(
            _(
                "What was paid does not cover the %(kept)s %(cur)s kept on a refund: "
                "%(due)s %(cur)s would still be due: take that payment first."
            )
            % {"kept": quote.kept, "due": quote.still_due, "cur": sale.currency},
            field="sale",
            code="refund_not_covered",
        )
    _post_refund(actor, sale, quote, reason)
    entry = _give_back(actor, sale, quote.back, currency, method)
    _release_booking(actor, sale, reason)
    _set_status(actor, sale, SaleStatus.REFUNDED, reason=reason)
    audit.record(
        actor=actor,
        action="tickets.refund",
        obj=sale,
        after={
            "fares": str(quote.fares),
            "kept": str(quote.kept),
            "back": str(quote.back),
            "currency": sale.currency,
            "receipt": entry.receipt_number if entry else "",
        },
    )
    return entry


def _give_back(
    actor: User, sale: Sale, amount: Decimal, currency: str, method: str
) -> LedgerEntry | None:
    """Pay ``amount`` (in the sale's currency) back, in that currency or another at the day's
    rate; a converted amount is rounded down to the cent and the rounding is adjusted."""
    if amount <= 0:
        return None
    assert sale.account is not None
    tendered = amount
    if currency != sale.currency:
        rate = ledger.rate_for(sale.currency, ledger._currency(currency), timezone.localdate())
        tendered = (amount * rate.rate).quantize(CENT, rounding=ROUND_DOWN)
    entry = ledger.record_payment(
        actor=actor,
        account=sale.account,
        amount=tendered,
        currency=currency,
        method=method,
        series=RECEIPT_SERIES,
        refund=True,
    )
    rest = balance(sale.account)
    if rest != 0:
        ledger.adjust(
            actor=actor,
            account=sale.account,
            amount=-rest,
            description=_("Rounding of the refund in %(cur)s") % {"cur": currency},
        )
    return entry


@transaction.atomic
def cancel_sale(*, actor: User, sale: Sale, reason: str) -> Sale:
    """Cancel a quote or an unpaid booking; charges are reversed by an adjustment."""
    sale = _lock(sale)
    if not reason.strip():
        raise ActionError(_("Say why the sale is cancelled."), field="reason")
    check_transition(SALE_TRANSITIONS, SaleStatus, sale.status, SaleStatus.CANCELLED)
    if sale.account is not None:
        due = balance(sale.account)
        if due:
            ledger.adjust(
                actor=actor,
                account=sale.account,
                amount=-due,
                description=f"{_('Sale cancelled')}: {reason.strip()}"[:200],
            )
    _release_booking(actor, sale, reason)
    _set_status(actor, sale, SaleStatus.CANCELLED, reason=reason)
    return sale


def _paid(sale: Sale) -> Decimal:
    """Payments less refunds (corrections included: they carry the opposite sign)."""
    assert sale.account is not None
    total = ZERO
    for kind, amount in LedgerEntry.objects.filter(
        account=sale.account, kind__in=[EntryKind.PAYMENT, EntryKind.REFUND]
    ).values_list("kind", "amount"):
        total += amount if kind == EntryKind.PAYMENT else -amount
    return total


def _settle(actor: User, sale: Sale, reason: str) -> None:
    """After a correction, a sale not yet ticketed takes the status its money says."""
    if sale.status not in {SaleStatus.BOOKED, SaleStatus.PARTLY_PAID, SaleStatus.PAID}:
        return
    assert sale.account is not None
    due = balance(sale.account)
    if due <= 0:
        target = SaleStatus.PAID
    elif _paid(sale) > 0:
        target = SaleStatus.PARTLY_PAID
    else:
        target = SaleStatus.BOOKED
    if target != sale.status:
        _set_status(actor, sale, target, reason=reason)


@transaction.atomic
def correct_entry(*, actor: User, sale: Sale, entry: LedgerEntry, reason: str) -> LedgerEntry:
    """Cancel an entry of the sale's account (its exact opposite, ``ledger.correct_entry``)
    and let the sale follow: a corrected payment makes a paid sale partly paid (or booked)
    again; a corrected charge can leave a credit to pay back. The ledger's own correction
    page refuses ticket accounts and points here."""
    sale = _lock(sale)
    if sale.account is None or entry.account_id != sale.account.pk:
        raise ActionError(
            _("That entry is not in the ledger account of sale %(sale)s.") % {"sale": sale.number},
            field="entry",
        )
    if sale.status in {SaleStatus.REFUNDED, SaleStatus.CANCELLED}:
        raise ConflictError(
            _("Sale %(sale)s is “%(status)s”: its money is settled and is not corrected.")
            % {"sale": sale.number, "status": sale.get_status_display()},
            field="sale",
            code="sale_closed",
        )
    correction = ledger.correct_entry(actor=actor, entry=entry, reason=reason, by_owner=True)
    _settle(actor, sale, reason)
    audit.record(
        actor=actor,
        action="tickets.correct",
        obj=sale,
        extra={"entry": entry.pk, "correction": correction.pk, "reason": reason.strip()},
    )
    return correction


@transaction.atomic
def pay_back_credit(
    *, actor: User, sale: Sale, currency: str, method: str = PaymentMethod.CASH
) -> LedgerEntry:
    """Pay back what the traveller is owed (a lower fare after a change, a corrected
    charge): the sale's negative balance, with a refund receipt."""
    sale = _lock(sale)
    if sale.status not in CREDITABLE or sale.account is None:
        raise ConflictError(
            _("Sale %(sale)s is “%(status)s”: there is no credit to pay back.")
            % {"sale": sale.number, "status": sale.get_status_display()},
            field="sale",
            code="no_credit",
        )
    credit = -balance(sale.account)
    if credit <= 0:
        raise ConflictError(
            _("Sale %(sale)s owes the traveller nothing.") % {"sale": sale.number},
            field="sale",
            code="no_credit",
        )
    entry = _give_back(actor, sale, credit, currency, method)
    assert entry is not None
    audit.record(
        actor=actor,
        action="tickets.credit_refund",
        obj=sale,
        after={
            "credit": str(credit),
            "currency": sale.currency,
            "receipt": entry.receipt_number,
            "tendered": f"{entry.tendered[0]} {entry.tendered[1]}",
        },
    )
    return entry


@transaction.atomic
def refund_travellers(
    *,
    actor: User,
    sale: Sale,
    line_ids: Sequence[int],
    currency: str,
    method: str = PaymentMethod.CASH,
    reason: str,
) -> LedgerEntry | None:
    """Refund some travellers of a sale (one member does not travel) by the agreement's
    rules: their fares come off, the refund fee per passenger with a seat among them (and
    their service fee, unless refundable) is kept; what was paid beyond what the others
    owe is given back. The booking is rebooked on the same flights without them (a split
    authorised by ``reason``); their lines are marked refunded."""
    sale = _lock(sale)
    if sale.status not in REFUNDABLE or sale.account is None or sale.booking is None:
        raise ConflictError(
            _("Sale %(sale)s is “%(status)s”: there is nothing to refund.")
            % {"sale": sale.number, "status": sale.get_status_display()},
            field="sale",
            code="not_refundable",
        )
    if not reason.strip():
        raise ActionError(_("Say why the tickets are refunded."), field="reason")
    lines = list(sale.lines.select_related("person").order_by("pk"))
    active = [line for line in lines if line.refunded_at is None]
    wanted = set(line_ids)
    chosen = [line for line in active if line.pk in wanted]
    if not chosen or len(chosen) != len(wanted):
        raise ActionError(
            _("Choose travellers of this sale who are not refunded yet."), field="lines"
        )
    staying = [line for line in active if line.pk not in wanted]
    if not staying:
        raise ActionError(
            _("Every traveller is chosen: refund the whole sale instead."), field="lines"
        )
    infants = sum(1 for line in staying if line.passenger_type == PassengerType.INFANT)
    adults = sum(1 for line in staying if line.passenger_type == PassengerType.ADULT)
    if infants > adults:
        raise ActionError(
            _("An infant travelling on a lap needs an adult of the sale: refund them together."),
            field="lines",
        )
    rules = ticket_rules.rules_for(sale.agreement)
    ticket_rules.check_deadline(
        sale, timezone.localdate(), rules.refund_until_days, _("Refunds"), field="sale"
    )
    quote = ticket_rules.refund_quote(rules, chosen, balance(sale.account))
    names = ", ".join(line.name for line in chosen)
    _post_refund(actor, sale, quote, reason, whom=names)
    entry = _give_back(actor, sale, quote.back, currency, method)
    old = sale.booking
    if old.status == BookingStatus.BOOKED:
        sale.booking = bk.rebook(
            actor=actor,
            booking=old,
            flights=_flights(sale),
            reason=f"{_('Partial refund')}: {names}. {reason.strip()}"[:300],
            people=[line.person for line in staying],
        )
        sale.save(update_fields=["booking"])
    now = timezone.now()
    for line in chosen:
        line.refunded_at = now
    SaleLine.objects.bulk_update(chosen, ["refunded_at"])
    if old.pnr and sale.booking.pk != old.pk:
        _record_on_booking(actor, sale, old.pnr, {line.pk: line.ticket_number for line in staying})
    _settle(actor, sale, reason)
    audit.record(
        actor=actor,
        action="tickets.partial_refund",
        obj=sale,
        after={
            "travellers": [line.name for line in chosen],
            "fares": str(quote.fares),
            "kept": str(quote.kept),
            "back": str(quote.back),
            "still_due": str(quote.still_due),
            "currency": sale.currency,
            "receipt": entry.receipt_number if entry else "",
        },
    )
    return entry


RULE_FIELDS = (
    "change_fee",
    "change_until_days",
    "refund_fee",
    "refund_until_days",
    "service_fee_refundable",
    "source_note",
)


@transaction.atomic
def set_rules(
    *,
    actor: User,
    agreement: Agreement,
    change_fee: Decimal | str,
    change_until_days: int,
    refund_fee: Decimal | str,
    refund_until_days: int,
    service_fee_refundable: bool = False,
    source_note: str = "",
) -> TicketRules:
    """The change and refund figures of an agreement (made or replaced; audited)."""
    values = {
        "change_fee": ledger.money(change_fee, "change_fee"),
        "refund_fee": ledger.money(refund_fee, "refund_fee"),
        "change_until_days": change_until_days,
        "refund_until_days": refund_until_days,
        "service_fee_refundable": bool(service_fee_refundable),
        "source_note": source_note.strip()[:300],
    }
    for name in ("change_fee", "refund_fee"):
        if values[name] < 0:  # type: ignore[operator]
            raise ActionError(_("A fee cannot be negative."), field=name)
    for name in ("change_until_days", "refund_until_days"):
        if not isinstance(values[name], int) or not 0 <= values[name] <= 365:  # type: ignore[operator]
            raise ActionError(_("Give a number of days from 0 to 365."), field=name)
    rules = TicketRules.objects.select_for_update().filter(agreement=agreement).first()
    before = audit.snapshot(rules, RULE_FIELDS) if rules else None
    if rules is None:
        rules = TicketRules(agreement=agreement)
    for name, value in values.items():
        setattr(rules, name, value)
    rules.updated_by, rules.updated_at = actor, timezone.now()
    rules.save()
    audit.record(
        actor=actor,
        action="tickets.rules",
        obj=rules,
        before=before,
        after=audit.snapshot(rules, RULE_FIELDS),
    )
    return rules


@transaction.atomic
def close_day(*, actor: User, cashier: User, on: dt.date) -> DayClose:
    """Close a cashier's day: every currency counted, and every count equal to the ledger."""
    from passage.tickets.queries import day_reconciliation

    rows = [r for r in day_reconciliation(on) if r.cashier_id == cashier.pk]
    if not rows:
        raise ActionError(
            _("%(who)s took no ticket money on %(day)s.")
            % {"who": cashier.get_full_name() or cashier.get_username(), "day": on.isoformat()},
            field="day",
        )
    problems = []
    for r in rows:
        if r.counted is None:
            problems.append(
                _("%(cur)s %(method)s is not counted") % {"cur": r.currency, "method": r.method}
            )
        elif not r.matches:
            problems.append(
                _(
                    "%(cur)s %(method)s: counted %(counted)s, the drawer should hold %(expected)s "
                    "(float %(opening)s + takings %(ledger)s)"
                )
                % {
                    "cur": r.currency,
                    "method": r.method,
                    "counted": r.counted,
                    "expected": r.expected,
                    "opening": r.opening,
                    "ledger": r.ledger,
                }
            )
    if problems:
        raise ActionError(
            _("The day does not balance: %(problems)s.") % {"problems": "; ".join(problems)},
            field="counts",
            code="not_balanced",
        )
    if DayClose.objects.filter(business_date=on, cashier=cashier).exists():
        raise ConflictError(_("This day is already closed."), field="day")
    summary = [
        {
            "currency": r.currency,
            "method": r.method,
            "amount": str(r.ledger),
            "float": str(r.opening),
            "counted": str(r.counted),
        }
        for r in rows
    ]
    row = DayClose.objects.create(
        business_date=on, cashier=cashier, summary=summary, closed_by=actor
    )
    audit.record(
        actor=actor,
        action="tickets.close_day",
        obj=row,
        after={"day": on.isoformat(), "cashier": cashier.pk, "summary": summary},
    )
    return row
