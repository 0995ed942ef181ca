"""Readiness of the whole board: 20,000 active cases (about 70,000 people) in bulk,
against computing case by case (a sample, scaled to the same number of cases)."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import random
import statistics
import time
from typing import Any

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bench.common import Table, timed

# destination, programme, share of cases
MIX = [
    ("US", "usrap_p1", 0.4),
    ("CA", "ca_gar", 0.2),
    ("CA", "ca_psr", 0.1),
    ("AU", "au_humanitarian", 0.1),
    ("SE", "eu_quota", 0.2),
]


def _pick(roll: float) -> tuple[str, str]:
    acc = 0.0
    for country, programme, share in MIX:
        acc += share
        if roll <= acc:
            return country, programme
    return MIX[-1][0], MIX[-1][1]


def _seed(n_cases: int, today: dt.date) -> None:
    from passage.documents.models import DocumentType, TravelDocument
    from passage.profiles.models import Holiday
    from passage.registry.models import Case, Membership, Person

    rng = random.Random(20261130)
    types = {t.code: t for t in DocumentType.objects.all()}
    for day, name in [
        (dt.date(today.year, 7, 1), "Canada Day"),
        (dt.date(today.year, 12, 25), "Christmas Day"),
    ]:
        Holiday.objects.get_or_create(country="CA", date=day, defaults={"name": name})
    cases, plan = [], []
    for i in range(n_cases):
        country, programme = _pick(rng.random())
        cases.append(
            Case(
                file_number=f"BENCH-{i:06d}",
                programme=programme,
                destination_country=country,
                status="documents_in_process",
            )
        )
        plan.append(rng.choice([1, 2, 3, 3, 4, 4, 5, 6]))
    with transaction.atomic():
        Case.objects.bulk_create(cases, batch_size=2000)
        cases = list(Case.objects.filter(file_number__startswith="BENCH-").order_by("id"))
        people = [
            Person(
                given_names="Bench",
                surname=f"P{i}-{k}",
                latin_surname=f"P{i}-{k}",
                sex="F",
                date_of_birth=dt.date(1990, 1, 1),
                consent_date=today,
                consent_scope="benchmark",
            )
            for i, size in enumerate(plan)
            for k in range(size)
        ]
        Person.objects.bulk_create(people, batch_size=5000)
        people = list(Person.objects.filter(consent_scope="benchmark").order_by("id"))
        memberships, docs, cursor = [], [], 0
        for case, size in zip(cases, plan, strict=True):
            for k in range(size):
                person = people[cursor]
                cursor += 1
                memberships.append(
                    Membership(
                        case=case, person=person, relationship="principal" if k == 0 else "child"
                    )
                )
                docs.extend(_documents(case, person, k, rng, types, today))
        Membership.objects.bulk_create(memberships, batch_size=5000)
        TravelDocument.objects.bulk_create(docs, batch_size=5000)
        _seed_health_and_co(memberships, rng, today)


def _seed_health_and_co(memberships: list[Any], rng: random.Random, today: dt.date) -> None:
    """Medical clearances (most people cleared, some pending or expired, a few with none)
    and CO completions (most people of the cases whose profile requires CO)."""
    from passage.health.models import Assessment
    from passage.orientation.models import Course, Curriculum, Enrolment

    exams, enrolments = [], []
    courses = {
        c.pk: Course.objects.create(curriculum=c, title=f"Bench {c.code}", language="ru")
        for c in Curriculum.objects.all()
    }
    course = next(iter(courses.values()), None)
    for m in memberships:
        roll = rng.random()
        status = "cleared" if roll < 0.85 else "results_pending" if roll < 0.95 else ""
        if status:
            cleared = status == "cleared"
            ends = today + dt.timedelta(days=rng.randint(-5, 300))
            exams.append(
                Assessment(
                    person_id=m.person_id,
                    case_id=m.case_id,
                    programme=m.case.programme,
                    destination_country=m.case.destination_country,
                    exam_type="other",
                    status=status,
                    valid_from=today - dt.timedelta(days=30) if cleared else None,
                    valid_until=ends if cleared else None,
                )
            )
        if course is not None and rng.random() < 0.8:
            enrolments.append(
                Enrolment(
                    course=course,
                    person_id=m.person_id,
                    case_id=m.case_id,
                    status="enrolled",
                    completed_on=today - dt.timedelta(days=10) if rng.random() < 0.9 else None,
                )
            )
    Assessment.objects.bulk_create(exams, batch_size=5000)
    Enrolment.objects.bulk_create(enrolments, batch_size=5000)


def _documents(
    case: Any, person: Any, k: int, rng: random.Random, types: dict[str, Any], today: dt.date
) -> list[Any]:
    from passage.documents.models import TravelDocument

    def doc(code: str, days: int, **kw: object) -> TravelDocument:
        return TravelDocument(
            person=person,
            doc_type=types[code],
            number=f"N{person.pk}{code}",
            issued_on=today - dt.timedelta(days=60),
            expires_on=today + dt.timedelta(days=days),
            **kw,
        )

    out = []
    if rng.random() < 0.9:  # a few travellers still miss their exit visa
        out.append(doc("exit_visa", rng.randint(-10, 300)))
    if case.destination_country == "US":
        if k == 0:
            out.append(doc("us_boarding_letter", 400, case=case))
        return out
    out.append(doc("passport", rng.randint(20, 3000)))
    if case.destination_country == "CA":
        out.append(doc("copr", rng.randint(30, 365), valid_for_country="CA"))
    else:
        out.append(doc("visa", rng.randint(30, 365), valid_for_country=case.destination_country))
    return out


def run(table: Table, args: argparse.Namespace) -> None:
    from django.utils import timezone

    from passage.registry.models import Case

    n_cases = max(200, int(20_000 * args.scale))
    today = timezone.localdate()
    _seed(n_cases, today)
    # Read as a server does: from data written earlier, not by this connection's writes,
    # with the planner's statistics up to date (after a bulk load, as autovacuum would do:
    # without them PostgreSQL estimates 5 open memberships and nests loops over 70,000).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    connection.close()
    gc.collect()
    people = sum(
        1 for _ in Case.objects.filter(file_number__startswith="BENCH-").values_list("memberships")
    )
    qs = Case.objects.filter(file_number__startswith="BENCH-")
    from passage.core import readiness

    every = readiness.sources()
    for label, chosen in (
        ("documents source", {"documents": every["documents"]}),
        (f"all sources ({', '.join(sorted(every))})", every),
    ):
        readiness._sources = chosen
        try:
            _measure(table, qs, n_cases, people, label)
        finally:
            readiness._sources = every


PAGE = 100  # rows of the board whose blocker texts a page shows (views.BOARD_PAGE)
RUNS = 3


def _measure(table: Table, qs: Any, n_cases: int, people: int, label: str) -> None:
    """The board's data for every case (readiness, departure, window, sorted by earliest
    departure, and the blocker and warning texts of the first page) against the same
    computed case by case; then, separately, every blocker and warning text of every
    case (what the XLSX export writes)."""
    from passage.documents.readiness import (
        collector_paused,
        readiness_for_case,
        readiness_for_cases,
    )
    from passage.registry.queries import active_members

    def board() -> None:
        # As the board's view does: the garbage collector paused while the results are
        # computed and used, and the results freed (timed here) before it resumes.
        with collector_paused():
            results = readiness_for_cases(qs)
            rows = sorted(results.values(), key=lambda r: (r.departure or dt.date.max, r.case_id))
            for r in rows[:PAGE]:
                _ = (r.blockers, r.warnings)
            del results, rows

    readiness_for_cases(qs[:50])  # warm caches and imports
    runs, cpus = [], []
    for _ in range(RUNS):  # the fastest of three: the machine is shared
        cpu_start = time.process_time()
        with CaptureQueriesContext(connection) as queries:
            runs.append(timed(board))
        cpus.append(time.process_time() - cpu_start)
    seconds, cpu = min(runs), min(cpus)
    sql = sum(float(q["time"]) for q in queries.captured_queries)
    if os.environ.get("BENCH_SHOW_SQL"):
        for q in sorted(queries.captured_queries, key=lambda q: -float(q["time"])):
            print(q["time"], q["sql"][:300])
    results = readiness_for_cases(qs)
    ready = sum(1 for r in results.values() if r.ready)
    texts_cpu = time.process_time()
    texts = timed(lambda: [(r.blockers, r.warnings) for r in results.values()])
    texts_cpu = time.process_time() - texts_cpu
    n_blockers = sum(len(r.blockers) for r in results.values())
    sample = list(qs.prefetch_related(active_members())[: max(50, n_cases // 20)])
    per_case = timed(lambda: [readiness_for_case(c).blockers for c in sample]) / len(sample)
    with CaptureQueriesContext(connection) as one:
        readiness_for_case(sample[0])
    load = os.getloadavg()[0]
    table.add(
        "readiness",
        f"board data, {n_cases:,} cases / {people:,} people, {label}",
        seconds,
        "s",
        baseline=per_case * n_cases,
        baseline_name="case by case (sample scaled)",
        note=f"fastest of {RUNS} (median {statistics.median(runs):.2f} s); "
        f"{len(queries.captured_queries)} queries in bulk; {len(one.captured_queries)} per "
        f"case one by one ({len(sample)} cases timed); {ready:,} ready; CPU {cpu:.2f} s in "
        f"this process, SQL execute {sql:.2f} s; load average {load:.1f}",
    )
    table.add(
        "readiness",
        f"then every blocker and warning text, {n_cases:,} cases ({n_blockers:,} blockers), "
        f"{label}",
        texts,
        "s",
        note=f"CPU {texts_cpu:.2f} s; the XLSX export's data",
    )
