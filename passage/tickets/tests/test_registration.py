"""Registering a walk-in family at the counter: all or nothing, duplicates, consent, case."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from passage.core.errors import ConflictError
from passage.core.models import AuditEvent
from passage.registry import actions as registry
from passage.registry import people as registry_people
from passage.registry.choices import CaseStatus, Programme
from passage.registry.models import Case, DistinctPerson, Membership, Person
from passage.tickets.registration import RegistrationError, Traveller, register_travellers

pytestmark = pytest.mark.django_db

CONSENT = dt.date(2026, 7, 30)
SCOPE = "Ticket purchase and travel arrangements"


def family() -> list[Traveller]:
    return [
        Traveller(
            relationship="principal",
            given_names="Бакыт",
            surname="Асанов",
            patronymic="Маратович",
            sex="M",
            date_of_birth=dt.date(1985, 4, 12),
            nationality="KG",
            languages=["ky", "ru"],
            phones=["0555 123 456"],
        ),
        Traveller(
            relationship="spouse",
            given_names="Айгуль",
            surname="Асанова",
            latin_given_names="Aigul",
            latin_surname="Asanova",
            sex="F",
            date_of_birth=dt.date(1988, 9, 3),
            nationality="KG",
        ),
        Traveller(
            relationship="child",
            given_names="Эмир",
            surname="Асанов",
            sex="M",
            date_of_birth=dt.date(2024, 1, 1),
            date_of_birth_estimated=True,
            nationality="KG",
        ),
    ]


def register(actor: Any, rows: list[Traveller] | None = None, **kw: Any) -> Case:
    return register_travellers(
        actor=actor,
        consent_date=kw.pop("consent_date", CONSENT),
        consent_scope=kw.pop("consent_scope", SCOPE),
        destination_country=kw.pop("destination_country", "US"),
        people=family() if rows is None else rows,
        **kw,
    )


def nothing_written() -> None:
    assert not Person.objects.exists()
    assert not Case.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="case.").exists()
    assert not AuditEvent.objects.filter(action__startswith="person.").exists()
    assert not AuditEvent.objects.filter(action="tickets.register_travellers").exists()


def test_a_family_gets_a_self_paying_case_with_consent_and_relationships(personas: Any) -> None:
    case = register(personas.finance_officer)
    assert case.programme == Programme.SELF_PAYING
    assert case.destination_country == "US" and case.status == CaseStatus.OPENED
    members = list(Membership.objects.filter(case=case).select_related("person").order_by("pk"))
    assert [m.relationship for m in members] == ["principal", "spouse", "child"]
    principal = members[0].person
    assert principal.latin_surname == "Asanov" and principal.latin_given_names == "Bakyt"
    assert principal.phones == ["+996555123456"] and principal.languages == ["ky", "ru"]
    assert members[2].person.date_of_birth_estimated is True
    for m in members:
        assert (m.person.consent_date, m.person.consent_scope) == (CONSENT, SCOPE)
    event = AuditEvent.objects.get(action="tickets.register_travellers")
    assert event.object_id == str(case.pk)
    assert event.actor == personas.finance_officer
    assert event.extra["consent_scope"] == SCOPE
    assert sorted(event.extra["people"]) == sorted(m.person_id for m in members)
    assert AuditEvent.objects.filter(action="person.create").count() == 3
    assert AuditEvent.objects.filter(action="case.add_member").count() == 3
    assert AuditEvent.objects.filter(action="case.open").count() == 1


def test_a_bad_second_row_writes_nothing_and_names_row_and_field(personas: Any) -> None:
    rows = family()
    rows[1].date_of_birth = dt.date(2099, 1, 1)
    with pytest.raises(RegistrationError) as caught:
        register(personas.finance_officer, rows)
    assert caught.value.status == 422
    [error] = caught.value.errors
    assert error["row"] == 2 and error["field"] == "date_of_birth"
    assert str(error["message"]).startswith("Row 2, date of birth: ")
    nothing_written()


def test_every_problem_is_reported_at_once(personas: Any) -> None:
    rows = family()
    rows[0].latin_surname = "Асанов"
    rows[1].nationality = "ZZ"
    rows[2].relationship = "cousin"
    rows[2].date_of_birth = None
    with pytest.raises(RegistrationError) as caught:
        register(personas.finance_officer, rows, consent_date=None, destination_country="XX")
    found = {(e.get("row"), e["field"]) for e in caught.value.errors}
    assert found == {
        (None, "consent_date"),
        (None, "destination_country"),
        (1, "latin_surname"),
        (2, "nationality"),
        (3, "relationship"),
    }
    nothing_written()


@pytest.mark.parametrize("relationships", [["spouse", "child"], ["principal", "principal"]])
def test_exactly_one_principal(personas: Any, relationships: list[str]) -> None:
    rows = family()[1:]
    for row, rel in zip(rows, relationships, strict=True):
        row.relationship = rel
    with pytest.raises(RegistrationError) as caught:
        register(personas.finance_officer, rows)
    assert [e["field"] for e in caught.value.errors] == ["relationship"]
    assert "exactly one" in caught.value.message
    nothing_written()


def test_a_repeated_row_is_refused(personas: Any) -> None:
    rows = [*family(), family()[2]]
    with pytest.raises(RegistrationError) as caught:
        register(personas.finance_officer, rows)
    assert caught.value.errors[0]["row"] == 4
    assert "repeats row 3" in str(caught.value.errors[0]["message"])
    nothing_written()


def _registered_elsewhere(actor: Any) -> Person:
    """Bakyt Asanov, already in a USRAP case through the registry."""
    data = registry_people.PersonData(
        given_names="Бакыт",
        surname="Асанов",
        sex="M",
        date_of_birth=dt.date(1985, 4, 12),
        consent_date=CONSENT,
        consent_scope="resettlement",
    )
    person = registry_people.create_person(actor=actor, data=data)
    case = registry.open_case(actor=actor, programme=Programme.USRAP_P1, destination_country="US")
    registry.add_member(actor=actor, case=case, person=person, relationship="principal")
    return person


def test_a_possible_duplicate_refuses_until_confirmed_distinct(personas: Any) -> None:
    known = _registered_elsewhere(personas.case_worker)
    people_before, cases_before = Person.objects.count(), Case.objects.count()
    with pytest.raises(ConflictError) as caught:
        register(personas.finance_officer)
    assert caught.value.status == 409 and caught.value.code == "possible_duplicates"
    [dup] = caught.value.errors
    assert dup["row"] == 1 and dup["person_id"] == known.pk
    assert dup["file_number"] == known.memberships.get().case.file_number
    assert (Person.objects.count(), Case.objects.count()) == (people_before, cases_before)

    case = register(personas.finance_officer, confirmed_distinct=[known.pk])
    assert case.memberships.count() == 3
    principal = case.memberships.get(relationship="principal").person
    assert principal.pk != known.pk
    pair = DistinctPerson.objects.get()
    assert {pair.first_id, pair.second_id} == {known.pk, principal.pk}


def test_an_existing_person_without_a_case_joins_the_new_case(personas: Any) -> None:
    data = registry_people.PersonData(
        given_names="Бакыт",
        surname="Асанов",
        sex="M",
        date_of_birth=dt.date(1985, 4, 12),
        consent_date=CONSENT,
        consent_scope="resettlement",
    )
    known = registry_people.create_person(actor=personas.case_worker, data=data)
    rows = family()
    rows[0] = Traveller(relationship="principal", person_id=known.pk)
    case = register(personas.finance_officer, rows)
    assert case.memberships.get(relationship="principal").person_id == known.pk
    assert Person.objects.count() == 3


def test_an_existing_person_in_a_case_is_refused(personas: Any) -> None:
    known = _registered_elsewhere(personas.case_worker)
    rows = family()
    rows[0] = Traveller(relationship="principal", person_id=known.pk)
    with pytest.raises(RegistrationError) as caught:
        register(personas.finance_officer, rows)
    assert caught.value.errors[0]["row"] == 1 and caught.value.errors[0]["field"] == "person"
    assert "use that case" in str(caught.value.errors[0]["message"])
    assert Case.objects.count() == 1


@pytest.mark.parametrize("name", ["case_worker", "movement_officer", "embassy_us", "outsider"])
def test_only_the_counter_may_register(personas: Any, name: str) -> None:
    with pytest.raises(PermissionDenied):
        register(personas.users[name])
    nothing_written()


def test_admin_may_register(personas: Any) -> None:
    assert register(personas.admin).memberships.count() == 3
