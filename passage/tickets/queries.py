"""Read side of the counter: what the agreements offer on a day, what a case still
misses, the day's takings and reconciliation of ticket money."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core.errors import ActionError
from passage.core.policy import AnyUser
from passage.ledger import queries as ledger
from passage.ledger.choices import Desk
from passage.ledger.models import LedgerEntry
from passage.movements import booking as bk
from passage.movements.choices import FlightStatus, PassengerType
from passage.movements.models import Agreement, Airport, Fare, Flight, SeatBlock
from passage.registry.models import Case
from passage.tickets.models import Sale, TicketRules

PREFIX = "tickets."
ORIGIN = "BSZ"


@dataclass
class Offer:
    """An itinerary on a day under an agreement, with its fares for each passenger type."""

    agreement: Agreement
    flights: list[Flight]
    fares: dict[str, Decimal]
    rules: TicketRules | None

    @property
    def key(self) -> str:
        return "-".join(str(f.pk) for f in self.flights)

    @property
    def fare_rows(self) -> list[tuple[str, Decimal | None]]:
        return [(str(label), self.fares.get(value)) for value, label in PassengerType.choices]


def _connections(first: Flight, country: str) -> list[list[Flight]]:
    if first.destination.country == country:
        return [[first]]
    earliest = first.arrives_at + dt.timedelta(minutes=first.destination.min_connection_minutes)
    seconds = Flight.objects.filter(
        origin=first.destination,
        destination__country=country,
        airline=first.airline,
        status=FlightStatus.SCHEDULED,
        departs_at__gte=earliest,
        departs_at__lt=first.arrives_at + dt.timedelta(hours=24),
    ).select_related("origin", "destination", "airline")
    return [[first, second] for second in seconds]


def offers(country: str, day: dt.date, origin: str = ORIGIN) -> list[Offer]:
    """Itineraries leaving ``origin`` on ``day`` (local) for ``country``, direct or with one
    connection on the same airline, under every agreement valid that day that holds seats
    on each leg and has fares for the route."""
    if not dt.date(2000, 1, 1) <= day <= dt.date(2200, 12, 31):
        return []  # no flights are scheduled so far out, and date arithmetic would overflow
    start = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    firsts = [
        f
        for f in Flight.objects.filter(
            origin__iata=origin,
            status=FlightStatus.SCHEDULED,
            departs_at__gte=start,
            departs_at__lt=start + dt.timedelta(days=3),
        ).select_related("origin", "destination", "airline")
        if f.departs_local.date() == day
    ]
    agreements = list(
        Agreement.objects.filter(valid_from__lte=day, valid_until__gte=day).select_related(
            "airline", "ticket_rules"
        )
    )
    found = []
    for first in firsts:
        for legs in _connections(first, country):
            for agreement in agreements:
                if agreement.airline_id != first.airline_id:
                    continue
                held = SeatBlock.objects.filter(
                    agreement=agreement, flight__in=legs, release_at__gt=timezone.now()
                ).values("flight_id")
                if len({row["flight_id"] for row in held}) < len(legs):
                    continue
                fares = {
                    f.passenger_type: f.amount
                    for f in Fare.objects.filter(
                        agreement=agreement, origin=legs[0].origin, destination=legs[-1].destination
                    )
                }
                if fares:
                    rules = getattr(agreement, "ticket_rules", None)
                    found.append(Offer(agreement, legs, fares, rules))
    return found


@dataclass
class Missing:
    """What stands between a case and a booking on a day; empty when it can be booked."""

    items: list[str] = field(default_factory=list)
    code: str = ""

    @property
    def ready(self) -> bool:
        return not self.items


def missing(case: Case, departure: dt.date, arrival: dt.date | None = None) -> Missing:
    if case.status not in bk.BOOKABLE:
        text = _("Case %(case)s is “%(status)s”; only a travel-ready case can be booked.") % {
            "case": case.file_number,
            "status": case.get_status_display(),
        }
        return Missing([text], "case_not_bookable")
    try:
        bk.check_ready(case, departure, arrival or departure)
    except ActionError as exc:
        items = [str(e["message"]) for e in exc.errors] if exc.errors else [exc.message]
        return Missing(items, exc.code)
    return Missing()


def sales_for(user: AnyUser) -> QuerySet[Sale]:
    return Sale.objects.visible_to(user).select_related(
        "case", "agreement__airline", "origin", "destination", "account"
    )


def balance_of(sale: Sale) -> Decimal:
    # + 0.00 turns the ledger's "-0.00" (a sum of signed entries) into 0.00 for display
    return ledger.balance(sale.account) + Decimal("0.00") if sale.account else Decimal("0.00")


def entries_of(sale: Sale) -> list[LedgerEntry]:
    return ledger.entries_of(sale.account) if sale.account else []


def day_takings(on: dt.date) -> list[ledger.TakingsRow]:
    return ledger.takings(on, prefix=PREFIX)


def day_reconciliation(on: dt.date) -> list[ledger.ReconciliationRow]:
    return ledger.reconciliation(on, desk=Desk.TICKETS)


@dataclass
class DaySales:
    sold: int
    charged: dict[str, Decimal]


def day_sales(on: dt.date) -> DaySales:
    """Sales booked on a day and what was charged (fares and fees, in each sale currency)."""
    charged: dict[str, Decimal] = {}
    rows = LedgerEntry.objects.filter(
        account__code__startswith=PREFIX, business_date=on, kind__in=["charge", "fee"]
    ).values_list("currency", "amount")
    for currency, amount in rows:
        charged[currency] = charged.get(currency, Decimal("0.00")) + amount
    sold = Sale.objects.filter(history__to_status="booked", history__at__date=on).distinct().count()
    return DaySales(sold, dict(sorted(charged.items())))


def airports_for(country: str) -> QuerySet[Airport]:
    return Airport.objects.filter(country=country)
