"""A day of counter sales: the agreements' refund and change rules, today's exchange rates,
and the self-paying families that are ready to travel sold tickets — paid in dollars, in
soms at the day's rate and by bank transfer, one partly paid, one changed to a later
flight, one refunded in soms — and the cashier's counts, which balance. One walk-in family
is registered at the counter (consent, three travellers, a new self-paying case).

Runs after the movements demo (``PASSAGE_APPS`` order) and once per database.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.core.management.base import OutputWrapper
from django.db import transaction
from django.utils import timezone

from passage.core.errors import ActionError
from passage.core.models import AuditEvent, User
from passage.ledger import actions as ledger
from passage.ledger.choices import Desk, PaymentMethod
from passage.ledger.models import ExchangeRate
from passage.movements.booking import BOOKABLE
from passage.movements.choices import PassengerType
from passage.movements.models import Agreement, Booking
from passage.registry.models import Case
from passage.tickets import actions, queries
from passage.tickets.models import Sale
from passage.tickets.registration import Traveller, register_travellers

RULES = {
    # reference: (change fee, change until days, refund fee, refund until days)
    "TK-IOM-KG": ("40.00", 1, "50.00", 3),
    "LH-IOM-KG": ("30.00", 1, "40.00", 3),
}
RATES = [("USD", "KGS", "87.450000"), ("EUR", "KGS", "94.100000"), ("USD", "EUR", "0.920000")]
SOURCE = "National Bank of the Kyrgyz Republic (demo)"
FAMILIES = 5


def _rules(actor: User) -> None:
    for reference, (cf, cd, rf, rd) in RULES.items():
        agreement = Agreement.objects.filter(reference=reference).first()
        if agreement is not None:
            actions.set_rules(
                actor=actor,
                agreement=agreement,
                change_fee=cf,
                change_until_days=cd,
                refund_fee=rf,
                refund_until_days=rd,
                source_note="Agreement annex (demo)",
            )


def _rates(actor: User, today: dt.date) -> None:
    for base, quote, rate in RATES:
        if not ExchangeRate.objects.filter(base=base, quote=quote, date=today).exists():
            ledger.record_rate(
                actor=actor, base=base, quote=quote, rate=rate, on=today, source=SOURCE
            )


def _offer(case: Case, today: dt.date, after: dt.date | None = None) -> queries.Offer | None:
    start = max(today + dt.timedelta(days=7), after or today)
    for ahead in range(0, 42):
        day = start + dt.timedelta(days=ahead)
        found = queries.offers(case.destination_country, day)
        if found and queries.missing(case, day, found[0].flights[-1].arrives_local.date()).ready:
            return found[0]
    return None


def _ticket(sale: Sale, actor: User) -> None:
    numbers = {
        line.pk: f"235{sale.pk:05d}{line.pk:05d}"[-13:].rjust(13, "0") for line in sale.lines.all()
    }
    actions.issue_tickets(actor=actor, sale=sale, pnr=f"D{sale.pk:05d}", numbers=numbers)


def _kgs(amount: Decimal, rate: str) -> Decimal:
    return (amount * Decimal(rate)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _sell(actor: User, case: Case, index: int, today: dt.date, out: OutputWrapper) -> str:
    offer = _offer(case, today)
    if offer is None:
        return "no offer"
    sale = actions.create_sale(
        actor=actor,
        case=case,
        agreement=offer.agreement,
        flights=offer.flights,
        language=("ru", "ky", "en")[index % 3],
    )
    if index == 4:
        return "quoted"
    sale = actions.book_sale(actor=actor, sale=sale)
    due = queries.balance_of(sale)
    if index == 0:  # pays in dollars, then changes to a flight a week later
        actions.take_payment(actor=actor, sale=sale, amount=due, currency=sale.currency)
        _ticket(sale, actor)
        later = _offer(case, today, sale.departure_date + dt.timedelta(days=1))
        if later is not None:
            actions.change_sale(
                actor=actor,
                sale=sale,
                flights=later.flights,
                reason="The family asked for a later date",
            )
            fee = queries.balance_of(sale)
            if fee > 0:
                actions.take_payment(actor=actor, sale=sale, amount=fee, currency=sale.currency)
            return "paid, ticketed, changed"
        return "paid, ticketed"
    if index == 1:  # pays everything in soms at the day's rate, then asks for a refund
        rate = ExchangeRate.objects.get(base=sale.currency, quote="KGS", date=today).rate
        actions.take_payment(actor=actor, sale=sale, amount=_kgs(due, str(rate)), currency="KGS")
        _ticket(sale, actor)
        actions.refund_sale(
            actor=actor,
            sale=sale,
            currency="KGS",
            reason="Visa interview moved; the family cannot travel",
        )
        return "paid in KGS, ticketed, refunded"
    if index == 2:  # half now, in cash
        actions.take_payment(
            actor=actor,
            sale=sale,
            amount=(due / 2).quantize(Decimal("0.01")),
            currency=sale.currency,
        )
        return "partly paid"
    # most of it by bank transfer in euros at the day's rate, the rest in dollars cash
    eur = ExchangeRate.objects.get(base=sale.currency, quote="EUR", date=today).rate
    euros = (due * eur * Decimal("0.8")).quantize(Decimal("1"), rounding=ROUND_DOWN)
    actions.take_payment(
        actor=actor, sale=sale, amount=euros, currency="EUR", method=PaymentMethod.BANK_TRANSFER
    )
    rest = queries.balance_of(sale)
    if rest > 0:
        actions.take_payment(actor=actor, sale=sale, amount=rest, currency=sale.currency)
    _ticket(sale, actor)
    return "paid by bank transfer in EUR and in USD cash, ticketed" + _one_stays(actor, sale)


def _one_stays(actor: User, sale: Sale) -> str:
    """One member of a larger family does not travel: their ticket is refunded in dollars
    cash by the rules, the others keep the booking (a split authorised by the reason)."""
    lines = sale.active_lines()
    adults = [line for line in lines if line.passenger_type == PassengerType.ADULT]
    infants = [line for line in lines if line.passenger_type == PassengerType.INFANT]
    others = [line for line in lines if line.passenger_type == PassengerType.CHILD]
    if len(adults) > max(1, len(infants)):
        others.append(adults[-1])
    if len(lines) < 2 or not others:
        return ""
    try:
        with transaction.atomic():
            actions.refund_travellers(
                actor=actor,
                sale=sale,
                line_ids=[others[0].pk],
                currency=sale.currency,
                reason="Stays behind to finish the school year",
            )
    except ActionError:
        return ""
    return f"; {others[0].name} refunded (stays behind)"


FLOATS = {"KGS": Decimal("20000.00"), "USD": Decimal("200.00"), "EUR": Decimal("100.00")}


def _counts(actor: User, today: dt.date) -> None:
    """The cash drawer opened with a float (enough for the day's refunds); the counts
    are the float plus the day's net takings, so the day balances."""
    for row in queries.day_reconciliation(today):
        if row.cashier_id != actor.pk or row.counted is not None:
            continue
        opening = Decimal("0.00")
        if row.method == PaymentMethod.CASH:
            opening = max(FLOATS.get(row.currency, Decimal("0.00")), -row.ledger)
            ledger.record_float(
                actor=actor,
                cashier=actor,
                on=today,
                desk=Desk.TICKETS,
                currency=row.currency,
                method=row.method,
                amount=opening,
                note="Demo float",
            )
        ledger.record_cash_count(
            actor=actor,
            cashier=actor,
            on=today,
            desk=Desk.TICKETS,
            currency=row.currency,
            method=row.method,
            amount=opening + row.ledger,
            note="Demo count",
        )


WALK_IN = [
    Traveller(
        relationship="principal",
        given_names="Жылдыз",
        surname="Сыдыкова",
        patronymic="Таалайбековна",
        sex="F",
        date_of_birth=dt.date(1983, 3, 21),
        nationality="KG",
        languages=["ky", "ru"],
        phones=["0700 555 321"],
    ),
    Traveller(
        relationship="child",
        given_names="Адилет",
        surname="Сыдыков",
        sex="M",
        date_of_birth=dt.date(2012, 8, 30),
        nationality="KG",
        languages=["ky"],
    ),
    Traveller(
        relationship="child",
        given_names="Айпери",
        surname="Сыдыкова",
        sex="F",
        date_of_birth=dt.date(2025, 1, 1),
        date_of_birth_estimated=True,
        nationality="KG",
    ),
]


def _walk_in(actor: User, today: dt.date, out: OutputWrapper) -> None:
    """A mother and two children registered at the counter, once per database."""
    if AuditEvent.objects.filter(action="tickets.register_travellers").exists():
        return
    try:
        case = register_travellers(
            actor=actor,
            consent_date=today,
            consent_scope="Ticket purchase and travel arrangements",
            destination_country="CA",
            people=WALK_IN,
        )
    except ActionError as exc:
        out.write(f"  walk-in family not registered: {exc.message}")
        return
    out.write(f"  walk-in family registered at the counter: {case.file_number}")


def load(stdout: OutputWrapper) -> int:
    actor = User.objects.filter(role="finance_officer", is_active=True).order_by("pk").first()
    if actor is None:
        stdout.write("  tickets: no finance officer; skipped")
        return 0
    today = timezone.localdate()
    _rules(actor)
    _rates(actor, today)
    booked = Booking.objects.values("case_id")
    cases = (
        Case.objects.filter(programme__in=actions.PROGRAMMES, status__in=BOOKABLE)
        .exclude(pk__in=booked)
        .exclude(pk__in=Sale.objects.values("case_id"))
        .order_by("pk")
    )
    sold = 0
    for case in cases:
        if sold >= FAMILIES:
            break
        try:
            with transaction.atomic():
                result = _sell(actor, case, sold, today, stdout)
        except ActionError as exc:
            stdout.write(f"  not sold {case.file_number}: {exc.message}")
            continue
        if result == "no offer":
            continue
        stdout.write(f"  {case.file_number}: {result}")
        sold += 1
    _counts(actor, today)
    _walk_in(actor, today, stdout)
    stdout.write(f"  ticket sales: {sold}")
    return sold
