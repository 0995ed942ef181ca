"""Pages of the counter: who sees and does what, and the flow through the pages."""

from __future__ import annotations

from typing import Any

import pytest

from passage.ledger.models import LedgerEntry
from passage.testing.personas import assert_matrix
from passage.tickets.models import Sale
from passage.tickets.tests.conftest import booked, family

pytestmark = pytest.mark.django_db

Want = int | tuple[int, ...]
REFUSED: Want = (403, 404)  # 404 where the sale itself is hidden
NOBODY: dict[str, Want] = {
    "anonymous": 302,
    "outsider": REFUSED,
    "embassy_us": REFUSED,
    "embassy_other": REFUSED,
    "unhcr": REFUSED,
}
VIEWERS: dict[str, Want] = {"admin": 200, "finance_officer": 200, "movement_officer": 200}
STAFF = ("case_worker", "medical_officer", "co_trainer", "vac_officer", "stats_reader")
OTHERS: dict[str, Want] = dict.fromkeys(STAFF, REFUSED)


def test_pages_by_role(counter: Any, personas: Any) -> None:
    sale = booked(counter, personas.finance_officer)
    entry = LedgerEntry.objects.filter(account=sale.account).first()
    assert entry is not None
    for url in (
        "/tickets/",
        f"/tickets/sales/{sale.pk}/",
        "/tickets/day/",
        "/tickets/rules/",
        f"/tickets/cases/{sale.case_id}/",
        "/tickets/day/report.csv",
        "/tickets/day/report.xlsx",
    ):
        expected = {**NOBODY, **VIEWERS, **OTHERS}
        assert_matrix(personas, lambda c, u=url: c.get(u), expected)  # type: ignore[misc]


def test_writes_by_role(counter: Any, personas: Any) -> None:
    sale = booked(counter, personas.finance_officer)
    expected: dict[str, Want] = {**NOBODY, **OTHERS}
    expected |= {"movement_officer": 403, "finance_officer": 302}
    assert_matrix(
        personas,
        lambda c: c.post(
            f"/tickets/sales/{sale.pk}/pay/",
            {"amount": "10.00", "currency": "USD", "method": "cash"},
        ),
        expected,
    )
    assert LedgerEntry.objects.filter(account=sale.account, kind="payment").count() == 1


def test_quote_book_pay_and_pdfs_through_the_pages(counter: Any, personas: Any) -> None:
    client = personas.client("finance_officer")
    case = family(counter)
    page = client.get(f"/tickets/cases/{case.pk}/", {"day": "2026-09-01"})
    body = page.content.decode()
    assert "TK-IOM-2026" in body and "1930.00 USD" in body and "Ready to book" in body
    offer = f"{counter.first.pk}-{counter.second.pk}"
    response = client.post(
        f"/tickets/cases/{case.pk}/quote/",
        {"offer": offer, "agreement": counter.agreement.pk, "language": "ky"},
    )
    sale = Sale.objects.get(case=case)
    assert response.status_code == 302 and sale.language == "ky"
    client.post(f"/tickets/sales/{sale.pk}/book/")
    client.post(
        f"/tickets/sales/{sale.pk}/pay/", {"amount": "5000.00", "currency": "KGS", "method": "cash"}
    )
    refused = client.post(
        f"/tickets/sales/{sale.pk}/pay/",
        {"amount": "9999.00", "currency": "USD", "method": "cash"},
        follow=True,
    )
    assert "more than the" in refused.content.decode()
    entry = LedgerEntry.objects.get(account__code=f"tickets.sale.{sale.pk}", kind="payment")
    assert entry.paid_amount is not None and entry.paid_currency == "KGS"
    pdf = client.get(f"/tickets/sales/{sale.pk}/receipts/{entry.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    itinerary = client.get(f"/tickets/sales/{sale.pk}/itinerary.pdf")
    assert itinerary.status_code == 200 and itinerary.content.startswith(b"%PDF")
    day = client.get("/tickets/day/", {"day": entry.business_date.isoformat()}).content.decode()
    assert "5000.00" in day and "not counted" in day


def test_day_report_exports(counter: Any, personas: Any) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    from passage.tickets import actions

    sale = booked(counter, personas.finance_officer)
    entry = actions.take_payment(
        actor=personas.finance_officer, sale=sale, amount="8745.00", currency="KGS"
    )
    client = personas.client("finance_officer")
    day = entry.business_date.isoformat()
    text = client.get("/tickets/day/report.csv", {"day": day}).content.decode()
    assert text.splitlines()[1].split(",")[2:8] == [
        "KGS",
        "cash",
        "1",
        "8745.00",
        "0.00",
        "8745.00",
    ]
    book = load_workbook(BytesIO(client.get("/tickets/day/report.xlsx", {"day": day}).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][8:] == ("float", "expected", "counted", "difference")
    assert rows[1][2:5] == ("KGS", "cash", 1) and rows[1][11] is None


def test_sale_lists_do_not_grow_with_the_sales(
    counter: Any, personas: Any, django_assert_max_num_queries: Any
) -> None:
    booked(counter, personas.finance_officer)
    page, api = personas.client("finance_officer"), personas.api_client("finance_officer")
    with django_assert_max_num_queries(30) as one_page:
        assert page.get("/tickets/").status_code == 200
    with django_assert_max_num_queries(30) as one_api:
        assert len(api.get("/api/v1/tickets/sales").json()) == 1
    for _ in range(3):
        booked(counter, personas.finance_officer, family(counter, adults=1, children=0, infants=0))
    with django_assert_max_num_queries(len(one_page.captured_queries)):
        assert page.get("/tickets/").status_code == 200
    with django_assert_max_num_queries(len(one_api.captured_queries)):
        assert len(api.get("/api/v1/tickets/sales").json()) == 4


@pytest.mark.parametrize("action", ["refund-travellers", "credit-refund", "correct"])
def test_new_writes_by_role_write_nothing_on_bad_input(
    counter: Any, personas: Any, action: str
) -> None:
    sale = booked(counter, personas.finance_officer)
    entry = LedgerEntry.objects.filter(account=sale.account).first()
    assert entry is not None
    url = {
        "refund-travellers": f"/tickets/sales/{sale.pk}/refund-travellers/",
        "credit-refund": f"/tickets/sales/{sale.pk}/credit-refund/",
        "correct": f"/tickets/sales/{sale.pk}/entries/{entry.pk}/correct/",
    }[action]
    expected: dict[str, Want] = {**NOBODY, **OTHERS}
    expected |= {"movement_officer": 403, "finance_officer": 302, "admin": 302}
    before = LedgerEntry.objects.count()
    # no travellers chosen / no credit on a booked sale / no reason: refused, nothing written
    assert_matrix(personas, lambda c: c.post(url, {"currency": "USD", "method": "cash"}), expected)
    assert LedgerEntry.objects.count() == before
