from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from passage.ledger import actions
from passage.ledger.models import CashFloat, ExchangeRate
from passage.testing.personas import assert_matrix

pytestmark = pytest.mark.django_db

READERS = {
    "anonymous": 302,
    "outsider": 403,
    "embassy_other": 403,
    "case_worker": 403,
    "vac_officer": 200,
    "finance_officer": 200,
    "admin": 200,
}


@pytest.mark.parametrize("name", ["ledger:takings", "ledger:rates", "ledger:reconciliation"])
def test_pages_matrix(personas, name):
    assert_matrix(personas, lambda c: c.get(reverse(name)), READERS)


def test_record_rate_through_the_page(personas):
    client = personas.client("vac_officer")
    response = client.post(
        reverse("ledger:rates"),
        {"base": "cad", "quote": "kgs", "rate": "62.75", "date": "2026-11-30", "source": "NBKR"},
    )
    assert response.status_code == 302
    assert ExchangeRate.objects.get().quote == "KGS"


def test_takings_page_lists_payments(personas, django_assert_max_num_queries):
    account = actions.open_account(actor=None, code="v.1", name="X", currency="CAD")
    actions.charge(actor=None, account=account, amount="500", description="fee")
    for _ in range(5):
        actions.record_payment(
            actor=personas.vac_officer, account=account, amount="10", currency="CAD", series="VAC"
        )
    client = personas.client("vac_officer")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("ledger:takings"))
    assert b"50.00" in response.content


def test_api_matrix(personas):
    assert_matrix(
        personas,
        lambda c: c.get("/api/v1/ledger/takings"),
        {
            "anonymous": 401,
            "outsider": 401,
            "embassy_other": 403,
            "vac_officer": 200,
            "finance_officer": 200,
        },
        api=True,
    )
    assert_matrix(
        personas,
        lambda c: c.get("/api/v1/ledger/rates"),
        {"anonymous": 401, "outsider": 401, "vac_officer": 200},
        api=True,
    )


def test_api_records_a_rate_and_shows_an_account(personas):
    client = personas.api_client("finance_officer")
    response = client.post(
        "/api/v1/ledger/rates",
        {
            "base": "CAD",
            "quote": "KGS",
            "rate": "62.5",
            "date": str(dt.date(2026, 11, 30)),
            "source": "NBKR",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    again = client.post(
        "/api/v1/ledger/rates",
        {"base": "CAD", "quote": "KGS", "rate": "63", "date": "2026-11-30", "source": "NBKR"},
        content_type="application/json",
    )
    assert again.status_code == 409
    account = actions.open_account(actor=None, code="v.2", name="X", currency="CAD")
    actions.charge(actor=None, account=account, amount="85", description="fee")
    got = client.get(f"/api/v1/ledger/accounts/{account.pk}").json()
    assert got["balance"] == "85.00" and len(got["entries"]) == 1
    assert (
        personas.api_client("embassy_other")
        .get(f"/api/v1/ledger/accounts/{account.pk}")
        .status_code
        == 404
    )


def test_correct_through_the_page_and_only_for_finance(personas):
    account = actions.open_account(actor=None, code="v.3", name="X", currency="CAD")
    actions.charge(actor=None, account=account, amount="85", description="fee")
    paid = actions.record_payment(
        actor=personas.vac_officer, account=account, amount="85", currency="CAD", series="VAC"
    )
    url = reverse("ledger:correct", args=[paid.pk])
    assert personas.client("vac_officer").post(url, {"reason": "x"}).status_code == 403
    response = personas.client("finance_officer").post(
        url, {"reason": "wrong family", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("ledger:takings")
    assert paid.corrections.get().amount == -paid.amount


def test_float_and_count_through_the_page_per_desk(personas):
    """A VAC officer paid back 100.00 CAD on a vac account: net −100.00. Float 300.00 →
    the drawer should hold 200.00; counted 200.00 → no difference. The ticket desk's page
    shows nothing of it."""
    account = actions.open_account(actor=None, code="vac.p.1", name="X", currency="CAD")
    actions.record_payment(
        actor=personas.vac_officer,
        account=account,
        amount="100",
        currency="CAD",
        series="VAC",
        on=dt.date.today() - dt.timedelta(days=1),
        allow_overpayment=True,
    )
    actions.record_payment(
        actor=personas.vac_officer,
        account=account,
        amount="100",
        currency="CAD",
        series="VAC",
        refund=True,
    )
    client = personas.client("vac_officer")
    url = reverse("ledger:reconciliation")
    bad = client.post(url, {"float-currency": "CAD", "float-method": "cash", "float-amount": "-5"})
    assert bad.status_code == 200 and CashFloat.objects.count() == 0
    assert "A float cannot be negative." in bad.content.decode()
    response = client.post(
        url, {"float-currency": "cad", "float-method": "cash", "float-amount": "300"}
    )
    assert response.status_code == 302
    assert CashFloat.objects.get().desk == "vac"
    client.post(url, {"currency": "CAD", "method": "cash", "amount": "200"})
    page = client.get(url).content.decode()
    assert "300.00" in page and "-100.00" in page and "badge ok" in page
    assert "-100.00" not in client.get(url + "?desk=tickets").content.decode()


def test_drawer_api(personas):
    body = {"day": "2026-11-30", "desk": "tickets", "currency": "USD", "amount": "150.00"}
    assert_matrix(
        personas,
        lambda c: c.post("/api/v1/ledger/floats", body, content_type="application/json"),
        {
            "anonymous": 401,
            "embassy_other": 403,
            "case_worker": 403,
            "movement_officer": 403,
            "finance_officer": 201,
        },
    )
    client = personas.client("finance_officer")
    count = {**body, "amount": "150.00"}
    assert (
        client.post("/api/v1/ledger/counts", count, content_type="application/json").status_code
        == 201
    )
    bad = client.post(
        "/api/v1/ledger/counts", {**body, "desk": "bar"}, content_type="application/json"
    )
    assert bad.status_code in (400, 422)
    rows = client.get("/api/v1/ledger/reconciliation?desk=tickets&day=2026-11-30").json()
    assert [(r["opening"], r["expected"], r["counted"], r["difference"]) for r in rows] == [
        ("150.00", "150.00", "150.00", "0.00")
    ]
    assert client.get("/api/v1/ledger/reconciliation?desk=vac&day=2026-11-30").json() == []
