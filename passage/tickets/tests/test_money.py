"""Ledger totals of a counter day against figures computed by hand.

The family: 2 adults, 1 child, 1 infant on BSZ–IST–JFK, fares 650 / 490 / 65 USD and the
agency's fee of 25 USD per passenger with a seat (the infant has none):
    fares 2×650 + 490 + 65 = 1855.00; fees 3×25 = 75.00; total 1930.00 USD.
Paid 100 000 KGS at 87.45 (100000 / 87.45 = 1143.5106… → 1143.51 USD), then 786.49 USD.
Refund (fee 50 per seat, 3 seats): fares 1855.00 off, 150.00 kept with the 75.00 service
fee, 1705.00 USD back = 149 102.25 KGS at 87.45.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from passage.core.models import AuditEvent
from passage.ledger.choices import EntryKind
from passage.ledger.models import LedgerEntry
from passage.movements.choices import BookingStatus
from passage.registry.choices import CaseStatus
from passage.tickets import actions, queries
from passage.tickets.choices import SaleStatus
from passage.tickets.queries import balance_of
from passage.tickets.tests.conftest import booked, booking_of, family, later_itinerary

pytestmark = pytest.mark.django_db
D = Decimal


def test_quote_prices_each_passenger_type_and_the_fee(counter: Any, personas: Any) -> None:
    sale = actions.create_sale(
        actor=personas.finance_officer,
        case=family(counter),
        agreement=counter.agreement,
        flights=[counter.first, counter.second],
        language="ky",
    )
    types = sorted((line.passenger_type, line.fare, line.service_fee) for line in sale.lines.all())
    assert types == [
        ("ADT", D("650.00"), D("25.00")),
        ("ADT", D("650.00"), D("25.00")),
        ("CHD", D("490.00"), D("25.00")),
        ("INF", D("65.00"), D("0.00")),
    ]
    assert sale.total == D("1930.00")
    assert sale.status == SaleStatus.QUOTED and sale.account is None
    assert not LedgerEntry.objects.exists()  # a quote charges nothing


def test_sell_pay_in_soms_refund_by_the_rules(counter: Any, personas: Any) -> None:
    cashier = personas.finance_officer
    sale = booked(counter, cashier)
    assert sale.status == SaleStatus.BOOKED
    assert sale.booking is not None and sale.case.status == CaseStatus.BOOKED
    assert balance_of(sale) == D("1930.00")

    first = actions.take_payment(actor=cashier, sale=sale, amount="100000.00", currency="KGS")
    assert (first.amount, first.paid_amount, first.rate) == (
        D("1143.51"),
        D("100000.00"),
        D("87.450000"),
    )
    sale.refresh_from_db()
    assert sale.status == SaleStatus.PARTLY_PAID
    assert balance_of(sale) == D("786.49")
    actions.take_payment(actor=cashier, sale=sale, amount="786.49", currency="USD")
    sale.refresh_from_db()
    assert sale.status == SaleStatus.PAID and balance_of(sale) == 0

    entry = actions.refund_sale(actor=cashier, sale=sale, currency="KGS", reason="Visa delayed")
    assert entry is not None
    assert (entry.kind, entry.amount, entry.paid_amount) == (
        EntryKind.REFUND,
        D("1705.00"),
        D("149102.25"),
    )
    sale.refresh_from_db()
    assert sale.status == SaleStatus.REFUNDED and balance_of(sale) == 0
    kinds = [(e.kind, e.amount) for e in LedgerEntry.objects.filter(account=sale.account)]
    assert sum(a for k, a in kinds if k == EntryKind.CHARGE) == D("1855.00")
    assert sum(a for k, a in kinds if k == EntryKind.FEE) == D("75.00") + D("150.00")
    assert sum(a for k, a in kinds if k == EntryKind.PAYMENT) == D("1930.00")
    assert [a for k, a in kinds if k == EntryKind.ADJUSTMENT] == [D("-1855.00")]
    assert booking_of(sale).status == BookingStatus.CANCELLED
    sale.case.refresh_from_db()
    assert sale.case.status == CaseStatus.BOOKING_REQUESTED

    takings = {
        (r.currency, r.method): (r.received, r.refunded)
        for r in queries.day_takings(first.business_date)
    }
    assert takings == {
        ("KGS", "cash"): (D("100000.00"), D("149102.25")),
        ("USD", "cash"): (D("786.49"), D("0.00")),
    }
    actions_seen = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"tickets.quote", "tickets.status", "tickets.payment", "tickets.refund"} <= actions_seen


def test_change_charges_the_fee_per_seat_and_moves_the_booking(counter: Any, personas: Any) -> None:
    cashier = personas.finance_officer
    sale = booked(counter, cashier)
    actions.take_payment(actor=cashier, sale=sale, amount="1930.00", currency="USD")
    numbers = {line.pk: f"2351234567{line.pk:03d}" for line in sale.lines.all()}
    actions.issue_tickets(actor=cashier, sale=sale, pnr="ABC123", numbers=numbers)
    old_booking = booking_of(sale)
    sale = actions.change_sale(
        actor=cashier, sale=sale, flights=later_itinerary(counter), reason="Later date"
    )
    assert sale.status == SaleStatus.CHANGED
    assert balance_of(sale) == D("120.00")  # 3 seats × 40, the same fares
    old_booking.refresh_from_db()
    assert old_booking.status == BookingStatus.REBOOKED
    assert booking_of(sale).pk != old_booking.pk and booking_of(sale).pnr == "ABC123"
    assert sorted(t.ticket_number for t in booking_of(sale).travellers.all()) == sorted(
        numbers.values()
    )
    actions.take_payment(actor=cashier, sale=sale, amount="120.00", currency="USD")
    assert balance_of(sale) == 0


def test_refund_keeps_the_service_fee_unless_the_rules_refund_it(
    counter: Any, personas: Any
) -> None:
    cashier = personas.finance_officer
    actions.set_rules(
        actor=cashier,
        agreement=counter.agreement,
        change_fee="0",
        change_until_days=0,
        refund_fee="10.00",
        refund_until_days=0,
        service_fee_refundable=True,
    )
    sale = booked(counter, cashier, family(counter, adults=1, children=0, infants=0))
    actions.take_payment(actor=cashier, sale=sale, amount="675.00", currency="USD")
    entry = actions.refund_sale(actor=cashier, sale=sale, currency="USD", reason="Ill")
    assert entry is not None and entry.amount == D("665.00")  # 650 + 25 − 10


def test_cancel_an_unpaid_booking_reverses_the_charges(counter: Any, personas: Any) -> None:
    cashier = personas.finance_officer
    sale = booked(counter, cashier)
    actions.cancel_sale(actor=cashier, sale=sale, reason="Changed their mind")
    sale.refresh_from_db()
    assert sale.status == SaleStatus.CANCELLED and balance_of(sale) == 0
    assert booking_of(sale).status == BookingStatus.CANCELLED
    statuses = list(sale.history.values_list("to_status", flat=True))
    assert statuses == ["quoted", "booked", "cancelled"]


def test_close_the_day_only_when_balanced(counter: Any, personas: Any) -> None:
    from passage.core.errors import ActionError
    from passage.ledger import actions as ledger

    cashier = personas.finance_officer
    sale = booked(counter, cashier)
    entry = actions.take_payment(actor=cashier, sale=sale, amount="50000.00", currency="KGS")
    day = entry.business_date
    with pytest.raises(ActionError) as exc:
        actions.close_day(actor=cashier, cashier=cashier, on=day)
    assert exc.value.code == "not_balanced" and "KGS" in exc.value.message
    ledger.record_cash_count(
        actor=cashier,
        cashier=cashier,
        on=day,
        desk="tickets",
        currency="KGS",
        method="cash",
        amount="49990.00",
    )
    with pytest.raises(ActionError) as exc:
        actions.close_day(actor=cashier, cashier=cashier, on=day)
    assert "49990.00" in exc.value.message
    ledger.record_cash_count(
        actor=cashier,
        cashier=cashier,
        on=day,
        desk="tickets",
        currency="KGS",
        method="cash",
        amount="50000.00",
    )
    closed = actions.close_day(actor=cashier, cashier=cashier, on=day)
    assert closed.summary == [
        {
            "currency": "KGS",
            "method": "cash",
            "amount": "50000.00",
            "float": "0.00",
            "counted": "50000.00",
        }
    ]


def test_a_refund_heavy_day_closes_with_an_opening_float(counter: Any, personas: Any) -> None:
    """The worked example in one day: KGS cash 100 000.00 in, 149 102.25 back → net
    −49 102.25; USD cash 786.49 in. With a KGS float of 50 000.00 the drawer should
    hold 50 000.00 − 49 102.25 = 897.75 KGS; counted so, the day closes."""
    from passage.core.errors import ActionError
    from passage.ledger import actions as ledger

    cashier = personas.finance_officer
    sale = booked(counter, cashier)
    first = actions.take_payment(actor=cashier, sale=sale, amount="100000.00", currency="KGS")
    actions.take_payment(actor=cashier, sale=sale, amount="786.49", currency="USD")
    actions.refund_sale(actor=cashier, sale=sale, currency="KGS", reason="Visa delayed")
    day = first.business_date
    drawer = {"actor": cashier, "cashier": cashier, "on": day, "desk": "tickets"}
    with pytest.raises(ActionError) as exc:  # without a float the count would be negative
        ledger.record_cash_count(**drawer, currency="KGS", method="cash", amount="-49102.25")
    assert exc.value.field == "amount"
    ledger.record_float(**drawer, currency="KGS", method="cash", amount="50000.00")
    ledger.record_cash_count(**drawer, currency="KGS", method="cash", amount="897.75")
    ledger.record_cash_count(**drawer, currency="USD", method="cash", amount="786.49")
    rows = {r.currency: r for r in queries.day_reconciliation(day)}
    assert (rows["KGS"].opening, rows["KGS"].ledger, rows["KGS"].expected) == (
        D("50000.00"),
        D("-49102.25"),
        D("897.75"),
    )
    assert rows["KGS"].matches and rows["USD"].matches
    closed = actions.close_day(actor=cashier, cashier=cashier, on=day)
    assert {
        "currency": "KGS",
        "method": "cash",
        "amount": "-49102.25",
        "float": "50000.00",
        "counted": "897.75",
    } in closed.summary
