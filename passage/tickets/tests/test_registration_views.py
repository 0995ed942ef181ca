"""The counter's registration page: who may, the rows' errors, duplicates, on to the fares."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from passage.registry import actions as registry
from passage.registry import people as registry_people
from passage.registry.choices import Programme
from passage.registry.models import Case, Person
from passage.testing.personas import assert_matrix

pytestmark = pytest.mark.django_db

Want = int | tuple[int, ...]
REFUSED: dict[str, Want] = {
    "anonymous": 302,
    **dict.fromkeys(
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
    ),
}
ROWS = [
    {
        "relationship": "principal",
        "given_names": "Бакыт",
        "surname": "Асанов",
        "sex": "M",
        "date_of_birth": "1985-04-12",
        "nationality": "KG",
        "languages": "ky, ru",
        "phones": "0555 123 456",
    },
    {
        "relationship": "spouse",
        "given_names": "Айгуль",
        "surname": "Асанова",
        "sex": "F",
        "date_of_birth": "1988-09-03",
        "nationality": "KG",
    },
    {
        "relationship": "child",
        "given_names": "Эмир",
        "surname": "Асанов",
        "sex": "M",
        "date_of_birth": "2024-01-01",
        "date_of_birth_estimated": "on",
        "nationality": "KG",
    },
]


def post_data(rows: list[dict[str, str]] | None = None, **extra: Any) -> dict[str, Any]:
    rows = ROWS if rows is None else rows
    data: dict[str, Any] = {
        "consent_date": "2026-07-30",
        "consent_scope": "Ticket purchase and travel arrangements",
        "destination_country": "US",
        "people-TOTAL_FORMS": str(len(rows)),
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "1",
        "people-MAX_NUM_FORMS": "20",
    }
    for i, row in enumerate(rows):
        data.update({f"people-{i}-{k}": v for k, v in row.items()})
    data.update(extra)
    return data


def test_who_may_open_the_page(personas: Any) -> None:
    for url in ("/tickets/register/", "/tickets/register/row/?index=1"):
        expected: dict[str, Want] = {**REFUSED, "admin": 200, "finance_officer": 200}
        assert_matrix(personas, lambda c, u=url: c.get(u), expected)  # type: ignore[misc]


def test_who_may_register(personas: Any) -> None:
    expected: dict[str, Want] = {**REFUSED, "finance_officer": 302}
    assert_matrix(personas, lambda c: c.post("/tickets/register/", post_data()), expected)
    assert Case.objects.count() == 1 and Person.objects.count() == 3
    other = {
        "relationship": "principal",
        "given_names": "Чолпон",
        "surname": "Жумабаева",
        "sex": "F",
        "date_of_birth": "1970-05-05",
    }
    answer = personas.client("admin").post("/tickets/register/", post_data([other]))
    assert answer.status_code == 302 and Case.objects.count() == 2


def test_the_counter_links_to_registration_for_who_may(personas: Any) -> None:
    page = personas.client("finance_officer").get("/tickets/", {"q": "nobody"}).content.decode()
    assert 'href="/tickets/register/"' in page and "/registry/people/new" not in page
    other = personas.client("movement_officer").get("/tickets/").content.decode()
    assert "/tickets/register/" not in other


def test_a_family_goes_straight_on_to_the_fares(personas: Any) -> None:
    client = personas.client("finance_officer")
    answer = client.post("/tickets/register/", post_data())
    case = Case.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/tickets/cases/{case.pk}/"
    assert case.programme == Programme.SELF_PAYING
    page = client.get(answer["Location"]).content.decode()
    assert case.file_number in page and "Asanov Bakyt" in page and "Asanova Aygul" in page
    assert "is open for 3 travellers" in page


def test_a_bad_row_shows_its_error_and_writes_nothing(personas: Any) -> None:
    rows = [dict(r) for r in ROWS]
    rows[1]["date_of_birth"] = "2099-01-01"
    rows[2]["latin_surname"] = "Асанов"
    page = personas.client("finance_officer").post("/tickets/register/", post_data(rows))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Row 2, date of birth: The date of birth is in the future." in body
    assert "Row 3, surname (Latin): Use Latin letters only" in body
    assert not Person.objects.exists() and not Case.objects.exists()


def test_an_empty_extra_row_is_left_out(personas: Any) -> None:
    rows = [*ROWS, {"relationship": "", "given_names": ""}]
    answer = personas.client("finance_officer").post("/tickets/register/", post_data(rows))
    assert answer.status_code == 302 and Person.objects.count() == 3


def test_rows_keep_the_numbers_shown_when_a_blank_row_is_left_out(personas: Any) -> None:
    blank = {"relationship": "", "given_names": ""}
    rows = [ROWS[0], blank, dict(ROWS[1], date_of_birth="2099-01-01")]
    body = personas.client("finance_officer").post("/tickets/register/", post_data(rows))
    assert "Row 3, date of birth:" in body.content.decode()
    assert not Person.objects.exists()


def _known(actor: Any, programme: str | None) -> Person:
    person = registry_people.create_person(
        actor=actor,
        data=registry_people.PersonData(
            given_names="Бакыт",
            surname="Асанов",
            sex="M",
            date_of_birth=dt.date(1985, 4, 12),
            consent_date=dt.date(2026, 1, 1),
            consent_scope="resettlement",
        ),
    )
    if programme:
        case = registry.open_case(actor=actor, programme=programme, destination_country="US")
        registry.add_member(actor=actor, case=case, person=person, relationship="principal")
    return person


def test_duplicates_offer_the_existing_case_or_confirm_distinct(personas: Any) -> None:
    known = _known(personas.case_worker, Programme.SELF_PAYING)
    client = personas.client("finance_officer")
    page = client.post("/tickets/register/", post_data())
    body = page.content.decode()
    case = known.memberships.get().case
    assert 'id="duplicates"' in body
    assert f'href="/tickets/cases/{case.pk}/"' in body and "Use this case" in body
    assert Person.objects.count() == 1
    answer = client.post("/tickets/register/", post_data(confirm_distinct=[str(known.pk)]))
    assert answer.status_code == 302 and Person.objects.count() == 4


def test_use_this_person_takes_the_registered_person(personas: Any) -> None:
    known = _known(personas.case_worker, None)
    client = personas.client("finance_officer")
    body = client.post("/tickets/register/", post_data()).content.decode()
    assert f'value="0:{known.pk}"' in body and "Use this person" in body
    answer = client.post("/tickets/register/", post_data(use=f"0:{known.pk}"))
    assert answer.status_code == 302
    case = Case.objects.get()
    assert case.memberships.get(relationship="principal").person_id == known.pk
    assert Person.objects.count() == 3


def test_a_new_row_comes_with_the_next_count(personas: Any) -> None:
    body = personas.client("finance_officer").get("/tickets/register/row/?index=3").content
    text = body.decode()
    assert 'name="people-3-given_names"' in text and "Traveller 4" in text
    assert 'name="people-TOTAL_FORMS" value="4"' in text and "index=4" in text
