"""The statistics app's one write: loading the generated 2005–2010 history.

:func:`load_history` writes thousands of people in a few bulk inserts. Bulk
writes skip the registry's per-row actions (and their per-row audit events); for
a generated history that is acceptable because this is one action with one audit
event (``stats.load_history``) that names what it wrote. The rows are the
registry's own: people with consent and a search index, cases, memberships that
began when the case opened, and status history ending departed → arrived → closed
at backdated times.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from passage.core import audit
from passage.core.choices import OrgKind
from passage.core.models import Organisation, User
from passage.registry import people
from passage.registry.models import (
    Case,
    CaseStatusChange,
    Membership,
    NameKey,
    Person,
    PersonName,
)
from passage.registry.names import suggest_latin
from passage.stats import history

BATCH = 500
REASON = "Mission records 2005–2010 (generated history)"


def history_loaded() -> bool:
    """Whether the history is in the database (its file numbers carry an ``H``)."""
    return Case.objects.filter(file_number__regex=r"^KGZ-\d{4}-H\d{4}$").exists()


def _person(member: history.GenPerson, case: history.GenCase) -> Person:
    """A person row; Cyrillic names get the Latin spelling the registry would suggest."""
    return Person(
        given_names=member.given,
        surname=member.surname,
        patronymic=member.patronymic,
        latin_given_names=member.latin_given or suggest_latin(member.given),
        latin_surname=member.latin_surname or suggest_latin(member.surname),
        sex=member.sex,
        date_of_birth=member.born,
        date_of_birth_estimated=member.born_estimated,
        nationality=member.nationality,
        languages=member.languages,
        consent_date=case.opened.date(),
        consent_scope=history.CONSENT_SCOPE,
        created_at=case.opened,
        updated_at=case.statuses[-1][1],
    )


def _write_people(generated: list[history.GenCase], cases: list[Case]) -> int:
    persons: list[tuple[Person, Case, history.GenCase, str]] = []
    for gen, case in zip(generated, cases, strict=True):
        persons += [(_person(m, gen), case, gen, m.relationship) for m in gen.members]
    Person.objects.bulk_create([p for p, *_ in persons], batch_size=BATCH)
    names: list[PersonName] = []
    keys: list[NameKey] = []
    for person, *_ in persons:
        rows, person_keys = people.index_rows(person, people.spellings(person))
        names += rows
        keys += person_keys
    PersonName.objects.bulk_create(names, batch_size=BATCH)
    NameKey.objects.bulk_create(keys, batch_size=BATCH)
    Membership.objects.bulk_create(
        [
            Membership(case=case, person=p, relationship=rel, joined_at=gen.opened)
            for p, case, gen, rel in persons
        ],
        batch_size=BATCH,
    )
    return len(persons)


@transaction.atomic
def load_history(*, actor: User | None) -> dict[str, Any]:
    """Write the generated history once; a second call writes nothing."""
    if history_loaded():
        return {"cases": 0, "people": 0, "loaded": False}
    generated = history.generate()
    unhcr = Organisation.objects.filter(kind=OrgKind.UNHCR).order_by("pk").first()
    cases = [
        Case(
            file_number=gen.number,
            programme=gen.programme,
            destination_country=gen.destination,
            referred_by=unhcr if history.kind_of(gen.programme) == "refugee" else None,
            status=gen.status,
            status_changed_at=gen.statuses[-1][1],
            created_at=gen.opened,
            updated_at=gen.statuses[-1][1],
            notes=REASON,
        )
        for gen in generated
    ]
    Case.objects.bulk_create(cases, batch_size=BATCH)
    changes = []
    for gen, case in zip(generated, cases, strict=True):
        before = ""
        for status, at in gen.statuses:
            changes.append(
                CaseStatusChange(
                    case=case, from_status=before, to_status=status, at=at, reason=REASON
                )
            )
            before = status
    CaseStatusChange.objects.bulk_create(changes, batch_size=BATCH)
    count = _write_people(generated, cases)
    result = {"cases": len(cases), "people": count, "status_changes": len(changes), "loaded": True}
    audit.record(
        actor=actor,
        action="stats.load_history",
        object_type="registry.case",
        object_repr=REASON,
        extra={**result, "first": cases[0].file_number, "last": cases[-1].file_number},
    )
    return result
