"""Departures statistics over 1,000,000 departed persons, grouped by year and destination.

Three ways to the same figures, in the same run on the same data:

* **live query** — :func:`passage.stats.departures.departure_figures` (the ORM aggregate
  the pages, API and command use);
* **raw SQL** — the same aggregate written by hand as one SQL query (the goal is
  within 1.5× of it);
* **Python** — load every departed person's (time, destination) into Python and
  count there (the naive baseline).

The three results are checked equal before any figure is reported. The SQLite raw
query buckets years by their first moments in the mission's zone (SQLite has no
time zones; Asia/Bishkek was UTC+5 until August 2005); PostgreSQL's uses
``AT TIME ZONE``. Data: cases of 1–6 people spread over 2005–2010, each with
opened → departed → arrived history rows and memberships that began when the
case opened. ``--scale`` multiplies the
number of persons (1.0 = 1,000,000).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from collections import Counter
from typing import Any

from bench.common import Table

DESTINATIONS = ("US", "CA", "AU", "SE", "NO", "FI", "NL", "DK", "GB", "FR", "CH", "IE", "BE")
PROGRAMMES = ("usrap_p1", "ca_gar", "au_humanitarian", "eu_quota", "family_reunification",
              "self_paying")  # fmt: skip
BATCH = 5000


def _insert(table: str, columns: str, rows: list[tuple[Any, ...]], json_cols: int = 0) -> None:
    """Plain ``executemany`` (the ORM's object creation would dominate the load time)."""
    from django.db import connection

    n = len(columns.split(","))
    marks = ["%s"] * (n - json_cols)
    json_mark = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    marks += [json_mark] * json_cols
    with connection.cursor() as cur:
        cur.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(marks)})", rows)


def _populate(persons: int) -> int:
    from django.db import connection, transaction

    adapt = connection.ops.adapt_datetimefield_value
    rng = random.Random(1)
    from passage.stats.departures import day_start

    start = day_start(dt.date(2005, 1, 1))  # in the mission's zone, as the figures count
    span = int((day_start(dt.date(2011, 1, 1)) - start).total_seconds())
    made = case_id = history_id = 0
    while made < persons:
        cases: list[tuple[Any, ...]] = []
        history: list[tuple[Any, ...]] = []
        people: list[tuple[Any, ...]] = []
        members: list[tuple[Any, ...]] = []
        while made < persons and len(cases) < BATCH:
            size = min(rng.randint(1, 6), persons - made)
            case_id += 1
            departed = start + dt.timedelta(seconds=rng.randrange(span))
            opened = departed - dt.timedelta(days=200)
            cases.append((case_id, f"B-{case_id:07d}", rng.choice(PROGRAMMES),
                          rng.choice(DESTINATIONS), "normal", "arrived", adapt(departed), "",
                          adapt(opened), adapt(departed)))  # fmt: skip
            arrived = departed + dt.timedelta(hours=20)
            steps = (("", "opened", opened), ("fit_to_travel", "departed", departed),
                     ("departed", "arrived", arrived))  # fmt: skip
            for frm, to, at in steps:
                history_id += 1
                history.append((history_id, case_id, frm, to, adapt(at), ""))
            for i in range(size):
                made += 1
                born = dt.date(1960 + rng.randrange(50), 1, 1)
                people.append((made, "P", "", "", "", "", rng.choice("MF"), born, False, "", "",
                               opened.date(), "bench", adapt(opened), adapt(opened),
                               "[]", "[]", "[]"))  # fmt: skip
                members.append((made, case_id, made, "principal" if i == 0 else "child",
                                adapt(opened), ""))  # fmt: skip
        with transaction.atomic():
            _insert("registry_case", "id, file_number, programme, destination_country, priority, "
                    "status, status_changed_at, notes, created_at, updated_at", cases)  # fmt: skip
            _insert("registry_casestatuschange", "id, case_id, from_status, to_status, at, reason",
                    history)  # fmt: skip
            _insert("registry_person", "id, given_names, surname, patronymic, latin_given_names, "
                    "latin_surname, sex, date_of_birth, date_of_birth_estimated, nationality, "
                    "special_needs, consent_date, consent_scope, created_at, updated_at, "
                    "languages, phones, vulnerabilities", people, json_cols=3)  # fmt: skip
            _insert("registry_membership", "id, case_id, person_id, relationship, joined_at, "
                    "ended_reason", members)  # fmt: skip
    return made


RAW = {
    "sqlite": """
        SELECT CASE WHEN h.at < %s THEN 2005 WHEN h.at < %s THEN 2006 WHEN h.at < %s THEN 2007
                    WHEN h.at < %s THEN 2008 WHEN h.at < %s THEN 2009 ELSE 2010 END AS year,
               c.destination_country, COUNT(*)
        FROM registry_casestatuschange h
        JOIN registry_case c ON c.id = h.case_id
        JOIN registry_membership m ON m.case_id = h.case_id
             AND m.joined_at <= h.at AND (m.ended_at IS NULL OR m.ended_at > h.at)
        WHERE h.to_status = 'departed' AND h.at >= %s AND h.at < %s
          AND NOT EXISTS (
            SELECT 1 FROM registry_casestatuschange t
            WHERE t.case_id = h.case_id AND t.to_status = 'travel_interrupted' AND t.at >= h.at
              AND NOT EXISTS (
                SELECT 1 FROM registry_casestatuschange d
                WHERE d.case_id = h.case_id AND d.to_status = 'departed'
                  AND d.at > h.at AND d.at <= t.at))
        GROUP BY 1, 2 ORDER BY 1, 2
    """,
    "postgresql": """
        SELECT EXTRACT(YEAR FROM h.at AT TIME ZONE 'Asia/Bishkek')::int AS year,
               c.destination_country, COUNT(*)
        FROM registry_casestatuschange h
        JOIN registry_case c ON c.id = h.case_id
        JOIN registry_membership m ON m.case_id = h.case_id
             AND m.joined_at <= h.at AND (m.ended_at IS NULL OR m.ended_at > h.at)
        WHERE h.to_status = 'departed' AND h.at >= %s AND h.at < %s
          AND NOT EXISTS (
            SELECT 1 FROM registry_casestatuschange t
            WHERE t.case_id = h.case_id AND t.to_status = 'travel_interrupted' AND t.at >= h.at
              AND NOT EXISTS (
                SELECT 1 FROM registry_casestatuschange d
                WHERE d.case_id = h.case_id AND d.to_status = 'departed'
                  AND d.at > h.at AND d.at <= t.at))
        GROUP BY 1, 2 ORDER BY 1, 2
    """,
}


def _best(fn: Any, repeat: int = 3) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def run(table: Table, args: argparse.Namespace) -> None:
    from django.db import connection

    from passage.stats.departures import (
        GROUP_KEYS,
        Filters,
        day_start,
        departure_figures,
        year_start,
    )

    adapt = connection.ops.adapt_datetimefield_value

    persons = max(1000, int(1_000_000 * args.scale))
    t0 = time.perf_counter()
    made = _populate(persons)
    load = time.perf_counter() - t0
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    filters = Filters(dt.date(2005, 1, 1), dt.date(2010, 12, 31))
    lo, hi = day_start(filters.start), day_start(dt.date(2011, 1, 1))

    def live() -> dict[tuple[int, str], int]:
        rows = departure_figures(filters, ["year", "destination"])
        return {(r["year"], r["destination"]): r["persons"] for r in rows}

    def raw() -> dict[tuple[int, str], int]:
        with connection.cursor() as cur:
            params: list[Any] = [lo, hi]
            if connection.vendor == "sqlite":  # SQLite has no time zones: the year's first moments
                params = [adapt(year_start(y)) for y in range(2006, 2011)] + [adapt(lo), adapt(hi)]
            cur.execute(RAW[connection.vendor], params)
            return {(int(y), d): n for y, d, n in cur.fetchall()}

    def naive() -> dict[tuple[int, str], int]:
        from django.utils import timezone

        from passage.registry.models import CaseStatusChange, Membership

        departures = CaseStatusChange.objects.filter(to_status="departed", at__gte=lo, at__lt=hi)
        when = {c: (at, d) for c, at, d in departures.values_list(
            "case_id", "at", "case__destination_country").iterator(chunk_size=20000)}  # fmt: skip
        counts: Counter[tuple[int, str]] = Counter()
        members = Membership.objects.values_list("case_id", "joined_at", "ended_at")
        for case_id, joined, ended in members.iterator(chunk_size=20000):
            hit = when.get(case_id)
            if hit and joined <= hit[0] and (ended is None or ended > hit[0]):
                counts[(timezone.localtime(hit[0]).year, hit[1])] += 1
        return dict(counts)

    t_live, r_live = _best(live)
    t_raw, r_raw = _best(raw)
    t_naive, r_naive = _best(naive, repeat=1)
    if not r_live == r_raw == r_naive:
        diff = {k: (r_live.get(k), r_raw.get(k), r_naive.get(k))
                for k in set(r_live) | set(r_raw) | set(r_naive)
                if len({r_live.get(k), r_raw.get(k), r_naive.get(k)}) > 1}  # fmt: skip
        raise AssertionError(f"the three ways disagree: {sorted(diff.items())[:10]}")
    if sum(r_live.values()) != made:
        raise AssertionError(f"{sum(r_live.values())} counted, {made} made")
    t_page, _rows = _best(lambda: departure_figures(filters, list(GROUP_KEYS)))
    note = f"{made:,} persons; data loaded in {load:.0f} s"
    table.add(
        "stats",
        "departures by year × destination, live ORM query",
        t_live,
        "s",
        baseline=t_raw,
        baseline_name="same aggregate as one raw SQL query",
        note=note,
    )
    table.add(
        "stats",
        "departures by year × destination, live ORM query",
        t_live,
        "s",
        baseline=t_naive,
        baseline_name="rows loaded into Python and counted",
        note=note,
    )
    table.add("stats", "the departures page's one query, grouped by all six keys", t_page, "s",
              note=f"{note}; year, destination, programme, stream, sex, age band")  # fmt: skip
