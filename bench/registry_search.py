"""Name search over 200,000 people: p50/p95 of the indexed search against a naive icontains scan.

The registry is generated from the name lists (families, both scripts, Latin spellings);
queries are other spellings of people in it: the own-script name, or the Latin name
with one or two spelling changes (kh/h, zh/j, yu/iu, o/u...). Both searches run in
the same process on the same data; found in top 10 says how often each finds the person.
Run: ``./dev bench registry_search``; on PostgreSQL with ``DATABASE_URL=postgres://...``.
"""

from __future__ import annotations

import argparse
import random
import time

from bench.common import Table, p50, p95

TOPIC = "registry search"
QUERIES = 300
NAIVE_QUERIES = 100  # the scan is slow; its figures come from the first 100 queries


def _fill(target: int) -> int:
    from django.utils import timezone

    from passage.registry import imports
    from passage.registry.models import Person
    from passage.registry.synthetic import import_rows, to_csv

    have = Person.objects.count()
    seed = 100
    while have < target:
        batch = min(50_000, target - have)
        content = to_csv(import_rows(seed, batch, timezone.localdate(), prefix="SRCH"))
        plan = imports.plan_import("fill.csv", content, check_duplicates=False)
        imports.apply_import(actor=None, plan=plan)
        have = Person.objects.count()
        seed += 1
    return have


def _hit(pk: int, found: list[int]) -> bool:
    """The person, or a namesake (same Latin name: nobody can tell them apart by name)."""
    from passage.registry.models import Person

    if pk in found:
        return True
    target = Person.objects.get(pk=pk)
    return Person.objects.filter(
        pk__in=found,
        latin_given_names=target.latin_given_names,
        latin_surname=target.latin_surname,
    ).exists()


def _queries(rng: random.Random) -> list[tuple[str, int]]:
    from passage.registry.models import Person
    from passage.registry.synthetic import spelling_variant

    ids = list(Person.objects.values_list("pk", flat=True))
    out = []
    for pk in rng.sample(ids, QUERIES):
        p = Person.objects.get(pk=pk)
        kind = rng.random()
        if kind < 0.4:
            text = f"{p.given_names} {p.surname}"
        elif kind < 0.8:
            given = spelling_variant(p.latin_given_names, rng)
            text = f"{given} {spelling_variant(p.latin_surname, rng)}"
        else:
            text = f"{p.latin_surname} {p.latin_given_names}"
        out.append((text.strip(), pk))
    return out


def _naive(text: str) -> list[int]:
    from django.db.models import Q

    from passage.registry.models import Person

    q = Q()
    for token in text.split():
        q &= (
            Q(given_names__icontains=token)
            | Q(surname__icontains=token)
            | Q(latin_given_names__icontains=token)
            | Q(latin_surname__icontains=token)
        )
    return list(Person.objects.filter(q).values_list("pk", flat=True)[:10])


def run(table: Table, args: argparse.Namespace) -> None:
    from django.db import connection

    from passage.registry.models import Person
    from passage.registry.search import search_people

    target = int(200_000 * args.scale)
    start = time.perf_counter()
    total = _fill(target)
    print(f"<!-- registry of {total:,} people ready in {time.perf_counter() - start:.0f} s -->")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    queries = _queries(random.Random(7))
    visible = Person.objects.all()
    ours, naive, found, naive_found = [], [], 0, 0
    for text, pk in queries:
        began = time.perf_counter()
        hits = search_people(visible, text, 20)
        ours.append((time.perf_counter() - began) * 1000)
        found += _hit(pk, [h.person.pk for h in hits[:10]])
    for text, pk in queries[:NAIVE_QUERIES]:
        began = time.perf_counter()
        ids = _naive(text)
        naive.append((time.perf_counter() - began) * 1000)
        naive_found += _hit(pk, ids)
    recall = (
        f"found in top 10: {found / len(queries):.0%} "
        f"(icontains {naive_found / len(naive):.0%} of {len(naive)})"
    )
    note = f"{total:,} people, {len(queries)} queries; {recall}"
    table.add(
        TOPIC,
        f"name search p50 ({connection.vendor})",
        p50(ours),
        "ms",
        baseline=p50(naive),
        baseline_name="icontains scan",
        note=note,
    )
    table.add(
        TOPIC,
        f"name search p95 ({connection.vendor})",
        p95(ours),
        "ms",
        baseline=p95(naive),
        baseline_name="icontains scan",
        note="goal p95 < 50 ms",
    )
