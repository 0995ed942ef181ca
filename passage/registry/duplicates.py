"""Possible duplicates of a person: the same UNHCR number, or the same person spelt otherwise.

A name match needs both the given names and the surname to agree (in any
script), the same sex and a compatible birth date. Family members share a
surname and a patronymic but not their given names, so they are not flagged for
that alone. Pairs a user confirmed as different are never flagged again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q
from rapidfuzz import fuzz

from passage.registry import names, search
from passage.registry.models import DistinctPerson, Person

if TYPE_CHECKING:
    from passage.registry.people import PersonData

THRESHOLD = 85


@dataclass
class Duplicate:
    person: Person
    reason: str
    score: float

    def as_dict(self) -> dict[str, object]:
        return {
            "person_id": self.person.pk,
            "name": self.person.display_name,
            "date_of_birth": self.person.date_of_birth.isoformat()
            if self.person.date_of_birth
            else None,
            "unhcr_individual_number": self.person.unhcr_individual_number,
            "reason": self.reason,
            "score": self.score,
            "message": f"{self.person.display_name} ({self.reason}, {self.score:.0f})",
        }


def _part_score(ours: Iterable[str], theirs: Iterable[str]) -> float:
    best = 0.0
    mine = [names.fold(t) for t in ours if t]
    other = [names.fold(t) for t in theirs if t]
    for a in mine:
        for b in other:
            skel_a = " ".join(names.skeleton_token(t) for t in a.split())
            skel_b = " ".join(names.skeleton_token(t) for t in b.split())
            best = max(best, fuzz.token_sort_ratio(a, b), fuzz.token_sort_ratio(skel_a, skel_b))
    return best


def _birth_compatible(a: dt.date | None, a_est: bool, b: dt.date | None, b_est: bool) -> bool:
    if a is None or b is None:
        return True
    if a_est or b_est:
        return abs(a.year - b.year) <= 1
    return a == b


def find_duplicates(
    data: PersonData, exclude: int | None = None, *, by_number: bool = True
) -> list[Duplicate]:
    """Possible duplicates, best first. ``by_number=False`` skips the UNHCR number
    lookup when the caller already knows nobody has it (an import's new people)."""
    found: dict[int, Duplicate] = {}
    if by_number and data.unhcr_individual_number:
        same_number = Person.objects.filter(unhcr_individual_number=data.unhcr_individual_number)
        if exclude is not None:
            same_number = same_number.exclude(pk=exclude)
        for person in same_number:
            found[person.pk] = Duplicate(person, "unhcr_individual_number", 100.0)
    texts = [
        " ".join(p for p in (data.given_names, data.surname) if p),
        " ".join(p for p in (data.latin_given_names, data.latin_surname) if p),
    ]
    ids: set[int] = set()
    for text in texts:
        if text.strip():
            ids.update(search.candidate_ids(text, limit=50))
    ids.discard(exclude or 0)
    for person in Person.objects.filter(pk__in=ids - set(found)):
        if person.sex != data.sex or not _birth_compatible(
            data.date_of_birth,
            data.date_of_birth_estimated,
            person.date_of_birth,
            person.date_of_birth_estimated,
        ):
            continue
        given = _part_score(
            [data.given_names, data.latin_given_names],
            [person.given_names, person.latin_given_names],
        )
        surname = _part_score(
            [data.surname, data.latin_surname], [person.surname, person.latin_surname]
        )
        if given >= THRESHOLD and surname >= THRESHOLD:
            found[person.pk] = Duplicate(person, "name", round(min(given, surname), 1))
    if exclude and found:
        confirmed = DistinctPerson.objects.filter(
            Q(first_id=exclude, second_id__in=found) | Q(second_id=exclude, first_id__in=found)
        ).values_list("first_id", "second_id")
        for first, second in confirmed:
            found.pop(first if first != exclude else second, None)
    return sorted(found.values(), key=lambda d: -d.score)
