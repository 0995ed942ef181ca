import datetime as dt

import pytest

from passage.registry import names, people
from passage.registry.models import Person
from passage.registry.people import PersonData
from passage.registry.search import parse, search_people


def make(given, surname, latin_given="", latin_surname="", **kw):
    data = PersonData(
        given_names=given,
        surname=surname,
        latin_given_names=latin_given,
        latin_surname=latin_surname,
        sex=kw.pop("sex", "M"),
        consent_date=dt.date(2026, 1, 1),
        consent_scope="resettlement",
        **kw,
    )
    return people.create_person(actor=None, data=data)


@pytest.mark.parametrize(
    ("native", "expected"),
    [
        ("Мухаммадали Жумабеков", "Mukhammadali Zhumabekov"),
        ("Өмүрбек Үсөнов", "Omurbek Usonov"),
        ("Ңурлан", "Ngurlan"),
        ("Юлия Ёлкина", "Yuliya Yolkina"),
        ("Ҷамшед Ғафуров", "Jamshed Ghafurov"),
    ],
)
def test_suggested_latin_spelling_of_cyrillic(native, expected):
    assert names.suggest_latin(native) == expected


def test_spelling_variants_share_keys():
    a = names.name_keys("Мухаммадали Жумабеков")
    b = names.name_keys("Mukhammadali Zhumabekov")
    c = names.name_keys("Muhammadali Jumabekov")
    assert a == b == c


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "Мухаммадали Жумабеков",
        "Mukhammadali Zhumabekov",
        "Muhammadali Jumabekov",
        "jumabekov muhammadali",
        "Muhammad Ali Jumabekov",
    ],
)
def test_three_spellings_find_the_same_person(query):
    target = make("Мухаммадали", "Жумабеков", "Mukhammadali", "Zhumabekov")
    make("Азамат", "Жумабеков", "Azamat", "Zhumabekov")
    make("Мухаммадали", "Турсунов", "Mukhammadali", "Tursunov")
    hits = search_people(Person.objects.all(), query)
    assert hits[0].person == target
    assert hits[0].score > 80
    assert hits[0].matched in {"Мухаммадали Жумабеков", "Mukhammadali Zhumabekov"}


@pytest.mark.django_db
def test_arabic_script_name_is_found_from_latin():
    target = make("محمد", "رحیمی", "Mohammad", "Rahimi")
    hits = search_people(Person.objects.all(), "Muhammad Rahimi")
    assert hits and hits[0].person == target
    hits = search_people(Person.objects.all(), "محمد رحیمی")
    assert hits and hits[0].person == target


@pytest.mark.django_db
def test_search_by_number_and_birth_date():
    p = make(
        "Азамат",
        "Бекович",
        unhcr_individual_number="KGZ-123-456",
        date_of_birth=dt.date(1985, 3, 4),
    )
    make("Азамат", "Бекович", sex="F", date_of_birth=dt.date(1990, 3, 4))
    assert [h.person for h in search_people(Person.objects.all(), "KGZ-123-456")] == [p]
    assert [h.person for h in search_people(Person.objects.all(), "Азамат 1985")] == [p]
    assert [h.person for h in search_people(Person.objects.all(), "04.03.1985")] == [p]


def test_parse_splits_the_query():
    q = parse("Zhumabekov 1985 KGZ-2026-00001")
    assert q.name == "Zhumabekov" and q.birth_year == 1985 and q.numbers == ["KGZ-2026-00001"]


@pytest.mark.django_db
def test_family_members_are_not_duplicates_of_each_other():
    from passage.registry.duplicates import find_duplicates

    father = make(
        "Мухаммадали", "Жумабеков", "Mukhammadali", "Zhumabekov", patronymic="Абдуллаевич"
    )
    brother = PersonData(
        given_names="Алишер",
        surname="Жумабеков",
        patronymic="Абдуллаевич",
        latin_given_names="Alisher",
        latin_surname="Zhumabekov",
        sex="M",
        consent_date=dt.date(2026, 1, 1),
        consent_scope="resettlement",
    )
    assert find_duplicates(brother) == []
    same = PersonData(
        given_names="Muhammadali",
        surname="Jumabekov",
        sex="M",
        consent_date=dt.date(2026, 1, 1),
        consent_scope="resettlement",
    )
    assert [d.person for d in find_duplicates(same)] == [father]
