"""Finding people by name in any script, by case or individual number, by birth date.

A name search is an indexed lookup followed by ranking a small candidate set:

1. the query's consonant keys (one per token, one per two tokens joined) are
   looked up in ``NameKey`` (index on ``(key, person)``); a person is a candidate
   when enough of the query's tokens meet (a joined key counts for two);
2. the candidates' spellings are ranked with rapidfuzz against the folded query,
   and the best spelling of each person is shown as the match.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Case as SqlCase
from django.db.models import Count, Q, Sum, Value, When
from rapidfuzz import fuzz

from passage.registry import names
from passage.registry.models import CaseReference, Membership, NameKey, Person, PersonName

CANDIDATES = 200
MIN_SCORE = 60
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATE_DMY = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_YEAR = re.compile(r"^(19|20)\d{2}$")


@dataclass
class Hit:
    person: Person
    score: float
    matched: str
    reason: str = "name"


@dataclass
class ParsedQuery:
    name: str = ""
    numbers: list[str] | None = None
    birth_date: dt.date | None = None
    birth_year: int | None = None


def parse(text: str) -> ParsedQuery:
    """Split a search text into a name, numbers, and a birth date or year."""
    query = ParsedQuery(numbers=[])
    words = []
    for word in text.split():
        iso, dmy = _DATE_ISO.match(word), _DATE_DMY.match(word)
        try:
            if iso:
                query.birth_date = dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
                continue
            if dmy:
                query.birth_date = dt.date(int(dmy[3]), int(dmy[2]), int(dmy[1]))
                continue
        except ValueError:
            pass
        if _YEAR.match(word):
            query.birth_year = int(word)
        elif any(ch.isdigit() for ch in word):
            assert query.numbers is not None
            query.numbers.append(word)
        else:
            words.append(word)
    query.name = " ".join(words)
    return query


def candidate_ids(text: str, limit: int = CANDIDATES) -> list[int]:
    """People whose name keys meet the query, best first.

    First the pair keys (a given name and a surname together): exact index
    lookups. When none meets, the single-token keys: a person qualifies when
    enough of the query's tokens meet (a joined key counts for two).
    """
    pairs = names.query_pair_keys(text)
    if pairs:
        found = list(
            NameKey.objects.filter(key__in=pairs)
            .values_list("person_id", flat=True)
            .distinct()[:limit]
        )
        if found:
            return found
    singles, joined = names.query_keys(text)
    if not singles:
        return []
    if len(singles) == 1 and not joined:
        return list(
            NameKey.objects.filter(key=singles[0]).values_list("person_id", flat=True)[:limit]
        )
    required = len(singles) if len(singles) <= 2 else len(singles) - 1
    keys = [*singles, *joined]
    weight = SqlCase(When(key__in=joined, then=Value(2)), default=Value(1)) if joined else Value(1)
    rows = (
        NameKey.objects.filter(key__in=keys)
        .values("person_id")
        .annotate(weight=Sum(weight))
        .filter(weight__gte=required)
        .order_by("-weight")
        .values_list("person_id", flat=True)[:limit]
    )
    return list(rows)


def _score(query_fold: str, query_skel: str, folded: str) -> float:
    direct = max(
        fuzz.token_sort_ratio(query_fold, folded),
        0.95 * fuzz.token_set_ratio(query_fold, folded),
    )
    skel = " ".join(names.skeleton_token(t) for t in folded.split())
    return max(direct, 0.9 * fuzz.token_sort_ratio(query_skel, skel))


def rank(text: str, spellings: Iterable[tuple[int, str, str]]) -> list[tuple[int, float, str]]:
    """(person id, score, matched spelling), best first, from (person id, text, folded) rows."""
    query_fold = names.fold(text)
    query_skel = " ".join(names.skeleton_token(t) for t in query_fold.split())
    query_latin = text.isascii()
    best: dict[int, tuple[float, str]] = {}
    for person_id, spelling, folded in spellings:
        score = round(_score(query_fold, query_skel, folded), 1)
        current = best.get(person_id)
        # On a tie, show the spelling in the query's script.
        if (
            current is None
            or score > current[0]
            or (score == current[0] and spelling.isascii() == query_latin)
        ):
            best[person_id] = (score, spelling)
    ranked = [(pk, score, spelling) for pk, (score, spelling) in best.items()]
    ranked.sort(key=lambda r: (-r[1], r[0]))
    return ranked


def _by_numbers(visible: models.QuerySet[Person], numbers: list[str]) -> list[Hit]:
    hits: list[Hit] = []
    for number in numbers:
        case_ids = set(
            CaseReference.objects.filter(value__iexact=number).values_list("case_id", flat=True)
        )
        case_ids |= set(
            Membership.objects.filter(case__file_number__iexact=number).values_list(
                "case_id", flat=True
            )
        )
        people = visible.filter(
            Q(unhcr_individual_number__iexact=number)
            | Q(memberships__case_id__in=case_ids, memberships__ended_at__isnull=True)
        ).distinct()
        for person in people.prefetch_related("names"):
            reason = (
                "individual_number"
                if (person.unhcr_individual_number or "").lower() == number.lower()
                else "case_number"
            )
            hits.append(Hit(person, 100.0, number, reason))
    return hits


def _filter_birth(qs: models.QuerySet[Any], query: ParsedQuery) -> models.QuerySet[Any]:
    if query.birth_date:
        return qs.filter(date_of_birth=query.birth_date)
    if query.birth_year:
        return qs.filter(date_of_birth__year=query.birth_year)
    return qs


def search_people(visible: models.QuerySet[Person], text: str, limit: int = 20) -> list[Hit]:
    """Search the people in ``visible`` (already narrowed by the policy)."""
    query = parse(text)
    if query.numbers:
        return _by_numbers(visible, query.numbers)[:limit]
    if query.name:
        ids = candidate_ids(query.name)
        allowed = _filter_birth(visible.filter(pk__in=ids), query)
        rows = PersonName.objects.filter(
            person_id__in=list(allowed.values_list("pk", flat=True))
        ).values_list("person_id", "text", "folded")
        ranked = [r for r in rank(query.name, rows) if r[1] >= MIN_SCORE][:limit]
        found = visible.in_bulk([pk for pk, _score, _text in ranked])
        hits = [Hit(found[pk], score, text) for pk, score, text in ranked if pk in found]
        return hits[:limit]
    if query.birth_date or query.birth_year:
        people = list(_filter_birth(visible, query).prefetch_related("names")[:limit])
        return [Hit(p, 100.0, p.display_name, "date_of_birth") for p in people]
    return []


def key_frequencies(keys: list[str]) -> dict[str, int]:
    """How many people carry each key (for diagnostics and the benchmark)."""
    rows = NameKey.objects.filter(key__in=keys).values("key").annotate(n=Count("person"))
    return {row["key"]: row["n"] for row in rows}
