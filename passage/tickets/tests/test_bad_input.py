"""Refusals at the counter: a clear message naming the field, and nothing written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from passage.core.errors import ActionError
from passage.core.models import AuditEvent
from passage.ledger.models import LedgerEntry
from passage.registry.choices import Programme
from passage.tickets import actions
from passage.tickets.models import Sale, SaleStatusChange
from passage.tickets.queries import balance_of
from passage.tickets.tests.conftest import booked, family

pytestmark = pytest.mark.django_db


def _nothing_written(before: tuple[int, int, int]) -> None:
    assert (
        LedgerEntry.objects.count(),
        AuditEvent.objects.count(),
        SaleStatusChange.objects.count(),
    ) == before


def _counts() -> tuple[int, int, int]:
    return LedgerEntry.objects.count(), AuditEvent.objects.count(), SaleStatusChange.objects.count()


def test_a_payment_above_the_balance_is_refused(counter: Any, personas: Any) -> None:
    sale = booked(counter, personas.finance_officer)
    before = _counts()
    with pytest.raises(ActionError) as exc:
        actions.take_payment(
            actor=personas.finance_officer, sale=sale, amount="1930.01", currency="USD"
        )
    assert (exc.value.code, exc.value.field) == ("overpayment", "amount")
    assert "1930.00 USD" in exc.value.message
    _nothing_written(before)


def test_a_currency_without_a_rate_for_the_day_is_refused(counter: Any, personas: Any) -> None:
    sale = booked(counter, personas.finance_officer)
    before = _counts()
    with pytest.raises(ActionError) as exc:
        actions.take_payment(
            actor=personas.finance_officer, sale=sale, amount="100", currency="EUR"
        )
    assert (exc.value.code, exc.value.field) == ("no_rate", "currency")
    assert "USD/EUR" in exc.value.message
    _nothing_written(before)
    assert balance_of(sale) > 0


def test_a_refund_past_the_deadline_is_refused(
    counter: Any, personas: Any, time_machine: Any
) -> None:
    sale = booked(counter, personas.finance_officer)
    actions.take_payment(
        actor=personas.finance_officer, sale=sale, amount="1930.00", currency="USD"
    )
    time_machine.move_to(dt.datetime(2026, 8, 30, 9, 0, tzinfo=dt.UTC), tick=False)  # 2 days before
    before = _counts()
    with pytest.raises(ActionError) as exc:
        actions.refund_sale(actor=personas.finance_officer, sale=sale, currency="USD", reason="Ill")
    assert exc.value.code == "past_deadline"
    assert "2026-08-29" in exc.value.message  # 3 days before the departure on 2026-09-01
    _nothing_written(before)
    sale.refresh_from_db()
    assert sale.status == "paid"


def test_a_sale_on_a_fare_outside_its_validity_is_refused(counter: Any, personas: Any) -> None:
    counter.agreement.valid_until = dt.date(2026, 8, 31)
    counter.agreement.save(update_fields=["valid_until"])
    before = (_counts(), Sale.objects.count())
    with pytest.raises(ActionError) as exc:
        actions.create_sale(
            actor=personas.finance_officer,
            case=family(counter),
            agreement=counter.agreement,
            flights=[counter.first, counter.second],
        )
    assert (exc.value.code, exc.value.field) == ("fare_not_valid", "departure_date")
    assert "2026-08-31" in exc.value.message
    assert (_counts(), Sale.objects.count()) == before


def test_a_refugee_case_is_not_sold_at_the_counter(counter: Any, personas: Any) -> None:
    case = counter.case(programme=Programme.USRAP_P1)
    with pytest.raises(ActionError) as exc:
        actions.create_sale(
            actor=personas.finance_officer,
            case=case,
            agreement=counter.agreement,
            flights=[counter.first, counter.second],
        )
    assert (exc.value.code, exc.value.field) == ("not_self_paying", "case")
    assert not Sale.objects.exists()


def test_booking_without_an_embassy_request_writes_nothing(counter: Any, personas: Any) -> None:
    case = counter.case(programme=Programme.SELF_PAYING, movement=False)
    sale = actions.create_sale(
        actor=personas.finance_officer,
        case=case,
        agreement=counter.agreement,
        flights=[counter.first, counter.second],
    )
    before = _counts()
    with pytest.raises(ActionError) as exc:
        actions.book_sale(actor=personas.finance_officer, sale=sale)
    assert exc.value.code == "no_embassy_request"
    _nothing_written(before)
    sale.refresh_from_db()
    assert sale.status == "quoted" and sale.account is None


def test_a_refund_not_covered_by_the_payments_is_refused(counter: Any, personas: Any) -> None:
    sale = booked(counter, personas.finance_officer)
    actions.take_payment(actor=personas.finance_officer, sale=sale, amount="100.00", currency="USD")
    before = _counts()
    with pytest.raises(ActionError) as exc:
        actions.refund_sale(actor=personas.finance_officer, sale=sale, currency="USD", reason="x")
    assert exc.value.code == "refund_not_covered"
    _nothing_written(before)


def test_ticket_numbers_are_checked(counter: Any, personas: Any) -> None:
    sale = booked(counter, personas.finance_officer)
    actions.take_payment(
        actor=personas.finance_officer, sale=sale, amount="1930.00", currency="USD"
    )
    numbers = {line.pk: "12345" for line in sale.lines.all()}
    with pytest.raises(ActionError) as exc:
        actions.issue_tickets(
            actor=personas.finance_officer, sale=sale, pnr="ABC123", numbers=numbers
        )
    assert exc.value.field == "tickets" and "13 digits" in exc.value.message
    sale.refresh_from_db()
    assert sale.status == "paid"


def test_every_pair_of_sale_statuses(counter: Any) -> None:
    from passage.core.errors import TransitionError
    from passage.core.workflow import check_transition
    from passage.tickets.choices import SALE_TRANSITIONS, SaleStatus

    for a in SaleStatus.values:
        for b in SaleStatus.values:
            if b in SALE_TRANSITIONS[a]:
                check_transition(SALE_TRANSITIONS, SaleStatus, a, b)
            else:
                with pytest.raises(TransitionError):
                    check_transition(SALE_TRANSITIONS, SaleStatus, a, b)


def test_a_change_past_the_deadline_is_refused(
    counter: Any, personas: Any, time_machine: Any
) -> None:
    from passage.tickets.tests.conftest import later_itinerary

    cashier = personas.finance_officer
    sale = booked(counter, cashier)
    actions.take_payment(actor=cashier, sale=sale, amount="1930.00", currency="USD")
    numbers = {line.pk: f"2359876543{line.pk:03d}" for line in sale.lines.all()}
    actions.issue_tickets(actor=cashier, sale=sale, pnr="XYZ789", numbers=numbers)
    flights = later_itinerary(counter)
    time_machine.move_to(dt.datetime(2026, 9, 1, 0, 30, tzinfo=dt.UTC), tick=False)  # the day
    before = _counts()
    with pytest.raises(ActionError) as exc:
        actions.change_sale(actor=cashier, sale=sale, flights=flights, reason="Later")
    assert (exc.value.code, exc.value.field) == ("past_deadline", "flights")
    assert "2026-08-31" in exc.value.message
    _nothing_written(before)


def test_no_rules_no_refund(world: Any, personas: Any) -> None:
    from passage.ledger import actions as ledger

    ledger.record_rate(
        actor=personas.finance_officer,
        base="USD",
        quote="KGS",
        rate="87.45",
        on=dt.date(2026, 8, 1),
        source="NBKR",
    )
    sale = booked(world, personas.finance_officer)
    actions.take_payment(actor=personas.finance_officer, sale=sale, amount="100.00", currency="USD")
    with pytest.raises(ActionError) as exc:
        actions.refund_sale(actor=personas.finance_officer, sale=sale, currency="USD", reason="x")
    assert (exc.value.code, exc.value.field) == ("no_rules", "agreement")


def test_one_open_quote_per_case(counter: Any, personas: Any) -> None:
    case = family(counter)
    flights = [counter.first, counter.second]
    actions.create_sale(
        actor=personas.finance_officer, case=case, agreement=counter.agreement, flights=flights
    )
    with pytest.raises(ActionError) as exc:
        actions.create_sale(
            actor=personas.finance_officer, case=case, agreement=counter.agreement, flights=flights
        )
    assert exc.value.code == "open_sale"
    assert Sale.objects.filter(case=case).count() == 1
