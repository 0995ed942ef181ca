"""Registering travellers through the API: 201, 422 by row and field, 409 duplicates."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from passage.registry import people as registry_people
from passage.registry.models import Case, Person
from passage.testing.personas import assert_matrix

pytestmark = pytest.mark.django_db

URL = "/api/v1/tickets/travellers"


def _post(client: Any, data: dict[str, Any]) -> Any:
    return client.post(URL, json.dumps(data), content_type="application/json")


def body(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "consent_date": "2026-07-30",
        "consent_scope": "Ticket purchase and travel",
        "destination_country": "CA",
        "people": [
            {
                "relationship": "principal",
                "given_names": "Нурлан",
                "surname": "Токтогулов",
                "sex": "M",
                "date_of_birth": "1979-02-14",
                "nationality": "KG",
                "languages": ["ky"],
            },
            {
                "relationship": "child",
                "given_names": "Айбек",
                "surname": "Токтогулов",
                "latin_given_names": "Aibek",
                "latin_surname": "Toktogulov",
                "sex": "M",
                "date_of_birth": "2015-06-01",
            },
        ],
    }
    data.update(changes)
    return data


def test_who_may_register_by_api(personas: Any) -> None:
    refused = dict.fromkeys(
        (
            "outsider",
            "case_worker",
            "medical_officer",
            "co_trainer",
            "movement_officer",
            "vac_officer",
            "stats_reader",
            "embassy_us",
            "embassy_other",
            "unhcr",
        ),
        403,
    )
    # an outsider has no organisation, so no API token is honoured for them
    expected: dict[str, int | tuple[int, ...]] = {**refused, "anonymous": 401, "outsider": 401}
    assert_matrix(personas, lambda c: _post(c, body()), expected, api=True)
    assert not Case.objects.exists() and not Person.objects.exists()
    for n, name in enumerate(("finance_officer", "admin")):
        data = body()
        data["people"][0]["given_names"] = ["Нурлан", "Болот"][n]
        data["people"][1]["given_names"] = data["people"][1]["latin_given_names"] = ["Ai", "Bo"][n]
        assert _post(personas.api_client(name), data).status_code == 201


def test_register_returns_the_case(personas: Any) -> None:
    made = _post(personas.api_client("finance_officer"), body())
    assert made.status_code == 201, made.content
    out = made.json()
    case = Case.objects.get(pk=out["case_id"])
    assert out["file_number"] == case.file_number and out["programme"] == "self_paying"
    assert out["destination_country"] == "CA"
    assert [m["relationship"] for m in out["members"]] == ["principal", "child"]
    assert out["members"][0]["name"] == "Toktogulov Nurlan (Токтогулов Нурлан)"


def test_bad_rows_are_422_by_row_and_field(personas: Any) -> None:
    data = body()
    data["people"][1]["date_of_birth"] = "2099-01-01"
    data["people"][0]["phones"] = ["12"]
    answer = _post(personas.api_client("finance_officer"), data)
    assert answer.status_code == 422
    errors = answer.json()["errors"]
    assert [(e["row"], e["field"]) for e in errors] == [(1, "phones"), (2, "date_of_birth")]
    assert errors[1]["message"].startswith("Row 2, date of birth:")
    assert not Case.objects.exists() and not Person.objects.exists()


def test_possible_duplicates_are_409_then_confirmed(personas: Any) -> None:
    known = registry_people.create_person(
        actor=personas.case_worker,
        data=registry_people.PersonData(
            given_names="Нурлан",
            surname="Токтогулов",
            sex="M",
            consent_date=dt.date(2026, 1, 1),
            consent_scope="resettlement",
        ),
    )
    client = personas.api_client("finance_officer")
    answer = _post(client, body())
    assert answer.status_code == 409
    out = answer.json()
    assert out["code"] == "possible_duplicates"
    assert [(d["row"], d["person_id"], d["case_id"]) for d in out["errors"]] == [
        (1, known.pk, None)
    ]
    assert Person.objects.count() == 1
    made = _post(client, body(confirmed_distinct=[known.pk]))
    assert made.status_code == 201 and Person.objects.count() == 3


def test_the_endpoint_is_in_the_openapi_document(personas: Any) -> None:
    doc = personas.api_client("admin").get("/api/v1/openapi.json").json()
    post = doc["paths"]["/api/v1/tickets/travellers"]["post"]
    assert set(post["responses"]) >= {"201", "403", "409", "422"}
    assert post["tags"] == ["tickets"]
