"""API of the counter: the same actions, JSON errors, permissions."""

from __future__ import annotations

import json
from typing import Any

import pytest

from passage.ledger.models import LedgerEntry
from passage.testing.personas import assert_matrix
from passage.tickets.models import Sale
from passage.tickets.tests.conftest import family

pytestmark = pytest.mark.django_db


def _post(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def test_sell_pay_and_refuse_through_the_api(counter: Any, personas: Any) -> None:
    client = personas.api_client("finance_officer")
    case = family(counter)
    offers = client.get("/api/v1/tickets/offers", {"country": "US", "day": "2026-09-01"}).json()
    assert offers[0]["fares"] == {"ADT": "650.00", "CHD": "490.00", "INF": "65.00"}
    made = _post(
        client,
        "/api/v1/tickets/sales",
        {
            "case_id": case.pk,
            "agreement_id": offers[0]["agreement_id"],
            "flight_ids": offers[0]["flight_ids"],
            "language": "en",
        },
    )
    assert made.status_code == 201, made.content
    sale_id = made.json()["id"]
    assert made.json()["total"] == "1930.00"
    assert _post(client, f"/api/v1/tickets/sales/{sale_id}/book", {}).json()["balance"] == "1930.00"
    no_rate = _post(
        client, f"/api/v1/tickets/sales/{sale_id}/payments", {"amount": "10.00", "currency": "EUR"}
    )
    assert no_rate.status_code == 400 and no_rate.json()["code"] == "no_rate"
    paid = _post(
        client,
        f"/api/v1/tickets/sales/{sale_id}/payments",
        {"amount": "87450.00", "currency": "KGS"},
    )
    assert paid.status_code == 201 and paid.json()["entry"]["amount"] == "1000.00"
    over = _post(
        client, f"/api/v1/tickets/sales/{sale_id}/payments", {"amount": "931.00", "currency": "USD"}
    )
    assert over.status_code == 409 and over.json()["field"] == "amount"
    assert LedgerEntry.objects.filter(kind="payment").count() == 1
    detail = client.get(f"/api/v1/tickets/sales/{sale_id}").json()
    assert detail["status"] == "partly_paid" and detail["balance"] == "930.00"
    day = client.get("/api/v1/tickets/day").json()
    assert day["balanced"] is False and day["takings"][0]["currency"] == "KGS"


def test_api_permissions(counter: Any, personas: Any) -> None:
    family(counter)
    readers = {"admin": 200, "finance_officer": 200, "movement_officer": 200}
    others = dict.fromkeys(
        (
            "case_worker",
            "medical_officer",
            "co_trainer",
            "vac_officer",
            "stats_reader",
            "embassy_us",
            "embassy_other",
            "unhcr",
            "outsider",
        ),
        403,
    )
    assert_matrix(
        personas,
        lambda c: c.get("/api/v1/tickets/sales"),
        {**readers, **others, "outsider": (401, 403), "anonymous": 401},
        api=True,
    )
    body = {
        "change_fee": "10.00",
        "change_until_days": 1,
        "refund_fee": "20.00",
        "refund_until_days": 2,
    }
    assert_matrix(
        personas,
        lambda c: c.put(
            f"/api/v1/tickets/rules/{counter.agreement.pk}",
            json.dumps(body),
            content_type="application/json",
        ),
        {"finance_officer": 200, "movement_officer": 403, "embassy_us": 403, "anonymous": 401},
        api=True,
    )
    assert not Sale.objects.exists()
