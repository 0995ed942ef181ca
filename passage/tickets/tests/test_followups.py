"""Corrections through the sale, partial refunds and a lower fare's credit, against
figures computed by hand (the family of ``test_money``: 2 adults 650, a child 490, an
infant 65 USD; 25 USD service fee per seat; total 1930.00; change fee 40 and refund fee
50 per seat; 87.45 KGS to the dollar)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from passage.core.errors import ActionError, ConflictError
from passage.core.models import AuditEvent
from passage.ledger import actions as ledger
from passage.ledger.choices import EntryKind
from passage.ledger.models import LedgerEntry
from passage.movements.choices import BookingStatus, PassengerType
from passage.movements.models import Fare
from passage.tickets import actions
from passage.tickets.choices import SaleStatus
from passage.tickets.models import Sale, SaleLine
from passage.tickets.queries import balance_of
from passage.tickets.tests.conftest import booked, booking_of, later_itinerary

pytestmark = pytest.mark.django_db
D = Decimal


def paid(counter: Any, cashier: Any) -> tuple[Sale, LedgerEntry]:
    sale = booked(counter, cashier)
    entry = actions.take_payment(actor=cashier, sale=sale, amount="1930.00", currency="USD")
    sale.refresh_from_db()
    return sale, entry


def ticketed(counter: Any, cashier: Any) -> Sale:
    sale, _ = paid(counter, cashier)
    numbers = {line.pk: f"2351234567{line.pk:03d}" for line in sale.lines.all()}
    return actions.issue_tickets(actor=cashier, sale=sale, pnr="ABC123", numbers=numbers)


def test_ledger_page_refuses_a_sale_entry_and_points_to_the_sale(
    counter: Any, personas: Any
) -> None:
    cashier = personas.finance_officer
    sale, entry = paid(counter, cashier)
    with pytest.raises(ConflictError) as exc:
        ledger.correct_entry(actor=cashier, entry=entry, reason="wrong sale")
    assert exc.value.code == "owned_account" and exc.value.field == "entry"
    assert reverse("tickets:sale", args=[sale.pk]) in exc.value.message
    client = personas.client("finance_officer")
    response = client.post(reverse("ledger:correct", args=[entry.pk]), {"reason": "x"}, follow=True)
    assert reverse("tickets:sale", args=[sale.pk]) in response.content.decode()
    assert not LedgerEntry.objects.filter(corrects=entry).exists()


def test_a_corrected_payment_moves_the_sale_back(counter: Any, personas: Any) -> None:
    cashier = personas.finance_officer
    sale, entry = paid(counter, cashier)
    assert sale.status == SaleStatus.PAID
    actions.correct_entry(actor=cashier, sale=sale, entry=entry, reason="Counted twice")
    sale.refresh_from_db()
    assert sale.status == SaleStatus.BOOKED and balance_of(sale) == D("1930.00")
    part = actions.take_payment(actor=cashier, sale=sale, amount="1000.00", currency="USD")
    actions.take_payment(actor=cashier, sale=sale, amount="930.00", currency="USD")
    sale.refresh_from_db()
    assert sale.status == SaleStatus.PAID
    actions.correct_entry(actor=cashier, sale=sale, entry=part, reason="Wrong family")
    sale.refresh_from_db()
    assert sale.status == SaleStatus.PARTLY_PAID and balance_of(sale) == D("1000.00")
    assert list(sale.history.values_list("to_status", flat=True))[-4:] == [
        "booked",
        "partly_paid",
        "paid",
        "partly_paid",
    ]
    assert AuditEvent.objects.filter(action="tickets.correct").count() == 2
    # a correction of a correction, or of another sale's entry: refused, nothing written
    other = booked(counter, cashier)
    before = LedgerEntry.objects.count()
    with pytest.raises(ActionError):
        actions.correct_entry(actor=cashier, sale=sale, entry=part, reason="again")
    with pytest.raises(ActionError) as exc:
        actions.correct_entry(actor=cashier, sale=other, entry=part, reason="x")
    assert exc.value.field == "entry"
    assert LedgerEntry.objects.count() == before


def test_a_ticketed_sale_owing_after_a_correction_takes_the_payment(
    counter: Any, personas: Any
) -> None:
    cashier = personas.finance_officer
    sale = ticketed(counter, cashier)
    entry = LedgerEntry.objects.get(account=sale.account, kind=EntryKind.PAYMENT)
    response = personas.client("finance_officer").post(
        reverse("tickets:correct", args=[sale.pk, entry.pk]), {"reason": "Bounced transfer"}
    )
    assert response.status_code == 302
    sale.refresh_from_db()
    assert sale.status == SaleStatus.TICKETED and balance_of(sale) == D("1930.00")
    actions.take_payment(actor=cashier, sale=sale, amount="1930.00", currency="USD")
    assert balance_of(sale) == 0


def test_a_lower_fare_after_a_change_is_owed_and_paid_back(counter: Any, personas: Any) -> None:
    """Adults 650 → 500 (2 × 150 = 300), child 490 → 400 (90): 390 owed back; the change
    fee 3 × 40 = 120 is due: credit 270.00 USD = 23 611.50 KGS at 87.45."""
    cashier = personas.finance_officer
    sale = ticketed(counter, cashier)
    fares = Fare.objects.filter(agreement=counter.agreement)
    for ptype, amount in ((PassengerType.ADULT, "500.00"), (PassengerType.CHILD, "400.00")):
        for fare in fares.filter(passenger_type=ptype):
            fare.amount = D(amount)
            fare.save()
    sale = actions.change_sale(
        actor=cashier, sale=sale, flights=later_itinerary(counter), reason="Cheaper date"
    )
    assert balance_of(sale) == D("-270.00")
    assert sale.total == D("1540.00")  # 2×500 + 400 + 65 + 75
    page = personas.client("finance_officer").get(reverse("tickets:sale", args=[sale.pk]))
    assert "270.00 USD" in page.content.decode() and 'id="credit"' in page.content.decode()
    with pytest.raises(ConflictError):  # a payment is refused: nothing is due
        actions.take_payment(actor=cashier, sale=sale, amount="1.00", currency="USD")
    entry = actions.pay_back_credit(actor=cashier, sale=sale, currency="KGS")
    assert (entry.kind, entry.amount, entry.paid_amount) == (
        EntryKind.REFUND,
        D("270.00"),
        D("23611.50"),
    )
    assert balance_of(sale) == 0
    with pytest.raises(ConflictError) as exc:
        actions.pay_back_credit(actor=cashier, sale=sale, currency="USD")
    assert exc.value.code == "no_credit"
    client = personas.client("finance_officer")
    receipt = client.get(reverse("tickets:receipt", args=[sale.pk, entry.pk]))
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    assert client.get(reverse("tickets:itinerary", args=[sale.pk])).status_code == 200
    assert AuditEvent.objects.filter(action="tickets.credit_refund").exists()


def test_refund_one_traveller_keeps_the_others_booked(counter: Any, personas: Any) -> None:
    """The child does not travel: fare 490.00 off, refund fee 50.00 kept with the 25.00
    service fee; paid 1930.00 → 440.00 USD back; the others (1415.00) stay paid."""
    cashier = personas.finance_officer
    sale = ticketed(counter, cashier)
    old = booking_of(sale)
    child = sale.lines.get(passenger_type=PassengerType.CHILD)
    entry = actions.refund_travellers(
        actor=cashier, sale=sale, line_ids=[child.pk], currency="USD", reason="Stays at school"
    )
    assert entry is not None and (entry.kind, entry.amount) == (EntryKind.REFUND, D("440.00"))
    sale.refresh_from_db()
    assert balance_of(sale) == 0 and sale.total == D("1415.00")
    assert sale.status == SaleStatus.TICKETED
    child.refresh_from_db()
    assert child.refunded_at is not None
    old.refresh_from_db()
    assert old.status == BookingStatus.REBOOKED
    new = booking_of(sale)
    assert new.status == BookingStatus.BOOKED and new.split_authorised
    assert child.person_id not in {t.person_id for t in new.travellers.all()}
    assert new.travellers.count() == 3 and new.pnr == "ABC123"
    assert AuditEvent.objects.filter(action="tickets.partial_refund").exists()


def test_partial_refund_refusals_write_nothing(counter: Any, personas: Any) -> None:
    cashier = personas.finance_officer
    sale, _ = paid(counter, cashier)
    lines = {line.passenger_type: line for line in sale.lines.all()}
    adults = list(
        sale.lines.filter(passenger_type=PassengerType.ADULT).values_list("pk", flat=True)
    )
    everyone = list(sale.lines.values_list("pk", flat=True))
    before = (
        LedgerEntry.objects.count(),
        SaleLine.objects.filter(refunded_at__isnull=False).count(),
    )
    for ids in (adults, everyone, [], [999999]):
        with pytest.raises(ActionError) as exc:
            actions.refund_travellers(
                actor=cashier, sale=sale, line_ids=ids, currency="USD", reason="x"
            )
        assert exc.value.field == "lines"
    with pytest.raises(ActionError) as exc:
        actions.refund_travellers(
            actor=cashier, sale=sale, line_ids=[lines["CHD"].pk], currency="USD", reason=" "
        )
    assert exc.value.field == "reason"
    assert before == (
        LedgerEntry.objects.count(),
        SaleLine.objects.filter(refunded_at__isnull=False).count(),
    )


def test_partial_refund_and_credit_through_the_api(counter: Any, personas: Any) -> None:
    cashier = personas.finance_officer
    sale, _ = paid(counter, cashier)
    child = sale.lines.get(passenger_type=PassengerType.CHILD)
    url = f"/api/v1/tickets/sales/{sale.pk}/refund-travellers"
    body = {"line_ids": [child.pk], "currency": "USD", "reason": "Stays"}
    assert (
        personas.client("movement_officer")
        .post(url, body, content_type="application/json")
        .status_code
        == 403
    )
    response = personas.client("finance_officer").post(url, body, content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert D(data["balance"]) == 0 and D(data["total"]) == D("1415.00")
    assert [x["refunded_at"] is not None for x in data["lines"] if x["id"] == child.pk] == [True]
    credit = personas.client("finance_officer").post(
        f"/api/v1/tickets/sales/{sale.pk}/credit-refund",
        {"currency": "USD"},
        content_type="application/json",
    )
    assert credit.status_code == 409 and credit.json()["code"] == "no_credit"
