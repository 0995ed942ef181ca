import csv
import datetime as dt
import io

import pytest

from passage.core.errors import ActionError
from passage.core.models import AuditEvent
from passage.registry import imports
from passage.registry.importing import COLUMN_NAMES, TEMPLATE_EXAMPLE, template_csv, template_xlsx
from passage.registry.models import Case, CaseReference, Membership, Person

TODAY = dt.date(2026, 6, 1)


def rows_csv(rows, columns=COLUMN_NAMES, delimiter=","):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue().encode("utf-8")


def family(case="C-1", n=3, start=1, surname=("Жумабеков", "Zhumabekov")):
    base = dict(
        TEMPLATE_EXAMPLE, unhcr_case_number=case, surname=surname[0], latin_surname=surname[1]
    )
    rows = []
    givens = [
        ("Мухаммадали", "Mukhammadali", "M", "principal", "1984-03-12"),
        ("Зарина", "Zarina", "F", "spouse", "1988-05-02"),
        ("Али", "Ali", "M", "child", "2012"),
        ("Мадина", "Madina", "F", "child", "2015-09-01"),
    ]
    for i, (g, lg, sex, rel, dob) in enumerate(givens[:n]):
        rows.append(
            dict(
                base,
                unhcr_individual_number=f"{case}-I{start + i}",
                given_names=g,
                latin_given_names=lg,
                sex=sex,
                relationship=rel,
                date_of_birth=dob,
                date_of_birth_estimated="",
            )
        )
    return rows


def run(content, name="people.csv", actor=None, **kw):
    plan = imports.plan_import(name, content, today=TODAY)
    return plan, imports.apply_import(actor=actor, plan=plan, **kw)


@pytest.mark.django_db
def test_import_creates_cases_and_people_then_reimport_changes_nothing():
    content = rows_csv(family("C-1") + family("C-2", 2, start=10, surname=("Турсунов", "Tursunov")))
    plan, summary = run(content)
    assert summary["new_cases"] == 2 and summary["new_people"] == 5
    assert Case.objects.count() == 2 and Person.objects.count() == 5
    case = CaseReference.objects.get(value="C-1").case
    assert case.memberships.filter(relationship="principal").count() == 1
    ali = Person.objects.get(unhcr_individual_number="C-1-I3")
    assert ali.date_of_birth == dt.date(2012, 7, 1) and ali.date_of_birth_estimated
    events = AuditEvent.objects.count()
    plan = imports.plan_import("people.csv", content, today=TODAY)
    assert not plan.changes_anything and plan.unchanged == 5
    imports.apply_import(actor=None, plan=plan)
    assert Person.objects.count() == 5 and Case.objects.count() == 2
    assert AuditEvent.objects.count() == events + 1  # only the import's own record


@pytest.mark.django_db
def test_an_update_shows_its_changes_before_writing():
    run(rows_csv(family("C-1")))
    rows = family("C-1")
    rows[1]["latin_given_names"] = "Zarinа-Bonu".replace("а", "a")
    rows[2]["special_needs"] = "wheelchair"
    plan = imports.plan_import("people.csv", rows_csv(rows), today=TODAY)
    changed = {c.person.unhcr_individual_number: c.changes for c in plan.updates}
    assert changed["C-1-I2"] == {"latin_given_names": ["Zarina", "Zarina-Bonu"]}
    assert changed["C-1-I3"] == {"special_needs": ["", "wheelchair"]}
    assert Person.objects.get(unhcr_individual_number="C-1-I2").latin_given_names == "Zarina"
    imports.apply_import(actor=None, plan=plan)
    assert Person.objects.get(unhcr_individual_number="C-1-I2").latin_given_names == "Zarina-Bonu"


def errors_of(content, name="people.csv"):
    try:
        plan = imports.plan_import(name, content, today=TODAY)
    except ActionError as exc:
        return exc.code, exc.errors
    with pytest.raises(ActionError) as info:
        imports.apply_import(actor=None, plan=plan)
    return info.value.code, info.value.errors


@pytest.mark.django_db
def test_bad_rows_are_listed_by_row_and_column_and_nothing_is_written():
    rows = family("C-1", 4)
    rows[1]["date_of_birth"] = "31.02.1990"
    rows[2]["sex"] = "Q"
    rows[3]["programme"] = "usrap_p9"
    code, errors = errors_of(rows_csv(rows))
    assert code == "import_invalid"
    found = {(e["row"], e["column"]) for e in errors}
    assert {(3, "date_of_birth"), (4, "sex"), (5, "programme")} <= found
    assert Person.objects.count() == 0 and Case.objects.count() == 0


@pytest.mark.django_db
def test_a_person_twice_in_one_file_is_refused():
    rows = family("C-1", 2)
    rows.append(dict(rows[1]))
    _code, errors = errors_of(rows_csv(rows))
    assert any(e["row"] == 4 and e["column"] == "unhcr_individual_number" for e in errors)
    assert Person.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        ("given_names;sex\nАли;M\n".encode(), "a.csv", "missing_columns"),
        (rows_csv(family("C-1")).decode("utf-8").encode("cp1251"), "a.csv", "bad_encoding"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "photo.png", "not_a_spreadsheet"),
        (b"PK\x03\x04 not really a zip", "a.xlsx", "not_a_spreadsheet"),
        (b"", "a.csv", "empty_file"),
    ],
)
def test_files_that_cannot_be_read_get_a_clear_message(content, name, code):
    got, _errors = errors_of(content, name)
    assert got == code
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_unknown_nationality_and_bad_phone_are_reported():
    rows = family("C-1", 2)
    rows[0]["nationality"] = "ZZ"
    rows[1]["phones"] = "12"
    _code, errors = errors_of(rows_csv(rows))
    assert {(e["row"], e["column"]) for e in errors} == {(2, "nationality"), (3, "phones")}


@pytest.mark.django_db
def test_xlsx_template_round_trips_and_semicolon_csv_reads():
    plan = imports.plan_import("t.xlsx", template_xlsx(), today=TODAY)
    assert not plan.errors and len(plan.new_people) == 1
    plan = imports.plan_import("t.csv", template_csv(), today=TODAY)
    assert not plan.errors and len(plan.new_people) == 1
    plan = imports.plan_import("t.csv", rows_csv(family("C-9"), delimiter=";"), today=TODAY)
    assert not plan.errors and len(plan.new_people) == 3


@pytest.mark.django_db
def test_a_member_of_another_case_is_refused():
    run(rows_csv(family("C-1")))
    rows = family("C-2", 1)
    rows[0]["unhcr_individual_number"] = "C-1-I2"
    _code, errors = errors_of(rows_csv(rows))
    assert errors[0]["column"] == "unhcr_case_number"
    assert Membership.objects.count() == 3


@pytest.mark.django_db
def test_bulk_write_keeps_every_character_and_list():
    rows = family("C-7", 2)
    rows[0]["special_needs"] = 'wheelchair\\ramp\t"stairs"\nnight flight; ok'
    rows[0]["languages"] = "prs;ru"
    rows[0]["phones"] = "+996 555 123 456"
    run(rows_csv(rows))
    p = Person.objects.get(unhcr_individual_number="C-7-I1")
    assert p.special_needs == 'wheelchair\\ramp\t"stairs"\nnight flight; ok'
    assert p.languages == ["prs", "ru"] and p.phones == ["+996555123456"]
    assert p.consent_date == dt.date(2026, 1, 15) and p.date_of_birth == dt.date(1984, 3, 12)
    assert p.memberships.get().relationship == "principal"
    from passage.registry.search import search_people

    assert search_people(Person.objects.all(), "Muhammadali Jumabekov")[0].person == p


@pytest.mark.django_db
def test_each_imported_case_gets_one_audit_event_naming_its_people(personas):
    plan, _summary = run(rows_csv(family("C-1") + family("C-2", 2, start=10)), actor=personas.admin)
    for number, count in (("C-1", 3), ("C-2", 2)):
        case = CaseReference.objects.get(value=number).case
        event = AuditEvent.objects.get(action="case.import", object_id=str(case.pk))
        assert event.actor == personas.admin and event.object_repr == case.file_number
        ids = {p["id"] for p in event.extra["people"]}
        assert len(ids) == count
        assert ids == set(case.memberships.values_list("person_id", flat=True))
    assert not AuditEvent.objects.filter(action="person.import").exists()
    assert AuditEvent.objects.filter(action="registry.import").count() == 1
    # A person joining an existing case is named in that case's event.
    rows = family("C-2", 3, start=10)
    plan = imports.plan_import("people.csv", rows_csv(rows), today=TODAY)
    imports.apply_import(actor=None, plan=plan)
    case = CaseReference.objects.get(value="C-2").case
    added = AuditEvent.objects.get(action="case.import_people", object_id=str(case.pk))
    assert [p["row"] for p in added.extra["people"]] == [4]


@pytest.mark.django_db
def test_a_write_that_fails_half_way_leaves_nothing(monkeypatch):
    plan = imports.plan_import("people.csv", rows_csv(family("C-1")), today=TODAY)

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports, "_audit_cases", fail)  # after cases, people and keys
    with pytest.raises(RuntimeError):
        imports.apply_import(actor=None, plan=plan)
    assert not Person.objects.exists() and not Case.objects.exists()
    assert not Membership.objects.exists()
    from passage.registry.models import NameKey, PersonName

    assert not NameKey.objects.exists() and not PersonName.objects.exists()
