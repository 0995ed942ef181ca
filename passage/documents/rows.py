"""Cases with light member rows, for computing readiness of thousands of cases.

Building 70,000 ``Membership`` and ``Person`` model instances costs seconds; these
rows carry the attributes readiness sources read, loaded as tuples in two queries (the
members through a subquery of the cases, so no list of ids is sent):

* the case: a real ``Case`` (``isinstance`` holds) with ``id``, ``file_number``,
  ``programme``, ``destination_country``, ``status`` and ``priority`` loaded (other
  fields are deferred: read on access, one query each) and ``active_members``;
* a member row: ``id``, ``case_id``, ``person_id``, ``relationship``, ``person`` (built
  when first read);
* a person row: ``pk``/``id``, the name fields, ``sex``, ``date_of_birth``,
  ``date_of_birth_estimated``, ``nationality``, ``display_name`` and ``str()``.

A source that needs more than these reads it in its own (bulk) query by id.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.db.models.base import ModelState

from passage.core.readiness import as_date, date_text, raw_rows
from passage.registry.models import Case, Membership

__all__ = ["CaseRows", "MemberRow", "PersonRow", "as_date", "case_rows", "raw_rows"]

PERSON_FIELDS = (
    "given_names",
    "surname",
    "patronymic",
    "latin_given_names",
    "latin_surname",
    "sex",
    "date_of_birth",
    "date_of_birth_estimated",
    "nationality",
)


class PersonRow:
    __slots__ = ("_birth", "_name", "date_of_birth_estimated", "given_names", "id",
                 "latin_given_names", "latin_surname", "nationality", "patronymic", "pk", "sex",
                 "surname")  # fmt: skip

    def __init__(self, pk: int, values: tuple[Any, ...]) -> None:
        self.pk = self.id = pk
        (self.given_names, self.surname, self.patronymic, self.latin_given_names,
         self.latin_surname, self.sex, self._birth, estimated,
         self.nationality) = values  # fmt: skip
        self.date_of_birth_estimated = bool(estimated)
        self._name: str | None = None

    @property
    def date_of_birth(self) -> date | None:
        """Parsed when read (few sources read it: 70,000 rows are built)."""
        birth = self._birth
        if birth.__class__ is str:
            birth = self._birth = as_date(birth)
        return birth  # type: ignore[no-any-return]

    @property
    def display_name(self) -> str:
        """As ``Person.display_name``: the Latin name, with the own-script one beside it."""
        if self._name is None:
            latin = " ".join(p for p in (self.latin_surname, self.latin_given_names) if p)
            native = " ".join(p for p in (self.surname, self.given_names, self.patronymic) if p)
            both = latin and native and latin != native
            self._name = f"{latin} ({native})" if both else (latin or native)
        return self._name

    def __str__(self) -> str:
        return self.display_name


class MemberRow:
    """A current member; its ``person`` row is built when first read (most sources read
    only ``person_id``: the board builds 70,000 members and names about 15,000)."""

    __slots__ = ("_person", "_values", "case_id", "id", "person_id", "relationship")

    def __init__(self, values: tuple[Any, ...]) -> None:
        self.id, self.case_id, self.relationship, self.person_id = values[:4]
        self._values = values
        self._person: PersonRow | None = None

    @property
    def person(self) -> PersonRow:
        person = self._person
        if person is None:
            person = self._person = PersonRow(self.person_id, self._values[4:])
        return person


CASE_FIELDS = ("id", "file_number", "programme", "destination_country", "status", "priority")


def light_case(values: tuple[Any, ...], db: str = "default") -> Case:
    """A real ``Case`` with only the fields readiness reads loaded (the others deferred,
    read on access), and an empty ``active_members`` list to fill.

    What ``Case.from_db`` builds, without ``Model.__init__``'s work per field (the board
    builds 20,000 of them): the instance's ``__dict__`` holds the loaded fields and its
    state; a field not in it is read from the database on access, as a deferred one."""
    case = Case.__new__(Case)
    state = ModelState()
    state.adding, state.db = False, db
    attrs = case.__dict__
    attrs.update(zip(CASE_FIELDS, values, strict=True))
    attrs["_state"] = state
    attrs["active_members"] = []
    return case


class CaseRows(list[Case]):
    """Cases with light members that remember their query and the ids it resolved to
    (the cases', their current members'), so sources filter by those ids sent as one
    parameter on SQLite, by a subquery of the query on PostgreSQL
    (``passage.core.readiness.case_filter``/``member_filter``)."""

    queryset: models.QuerySet[Any] | None = None
    case_ids: list[int] | None = None
    person_ids: list[int] | None = None


def case_rows(cases: models.QuerySet[Any]) -> CaseRows:
    """The cases of ``cases`` as rows with their current members, in two queries."""
    rows = CaseRows(light_case(values) for values in raw_rows(cases.values_list(*CASE_FIELDS)))
    rows.queryset = cases
    by_id = {row.id: row for row in rows}
    members = (
        Membership.objects.filter(ended_at__isnull=True, case_id__in=cases.values("pk"))
        .order_by("case_id", "joined_at", "id")
        .values_list(
            "id",
            "case_id",
            "relationship",
            "person_id",
            *(
                date_text(f"person__{name}") if name == "date_of_birth" else f"person__{name}"
                for name in PERSON_FIELDS
            ),
        )
    )
    person_ids = []
    for values in raw_rows(members):
        row = by_id.get(values[1])
        if row is not None:
            row.active_members.append(MemberRow(values))  # type: ignore[attr-defined]
            person_ids.append(values[3])
    rows.case_ids = list(by_id)
    rows.person_ids = person_ids
    return rows
