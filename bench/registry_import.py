"""Import of a 50,000-person file: persons per second, bulk path against row-by-row saves.

Both paths write the same rows: each case with its reference, status history and one
audit event naming its imported people; each person with its name spellings, search keys
and membership. The import is measured as the user runs it: the whole file read, checked
(rows, in-file duplicates, matching on case and individual numbers) and written in one
transaction. Row-by-row is measured on a sample (it is slow) and reported as a rate. The
preview's search for possible duplicates already in the registry (fuzzy, per new person;
the confirmed import does not repeat it) is measured on its own on a smaller file.
Run: ``./dev bench registry_import`` (``--scale 0.1`` for a quick look).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time

from bench.common import Table

TOPIC = "registry import"


def _row_by_row(rows: list[dict[str, str]]) -> float:
    from django.db import transaction
    from django.utils import timezone

    from passage.core import audit
    from passage.registry import actions, people
    from passage.registry.importing import parse_file
    from passage.registry.models import (
        Case,
        CaseReference,
        CaseStatusChange,
        Membership,
        NameKey,
        Person,
        PersonName,
    )

    parsed = parse_file(rows, timezone.localdate())
    start = time.perf_counter()
    with transaction.atomic():
        cases: dict[str, Case] = {}
        members: dict[str, list[dict[str, object]]] = {}
        for row in parsed.rows:
            case = cases.get(row.case_number)
            if case is None:
                case = Case.objects.create(
                    file_number=actions.next_number(),
                    programme=row.case["programme"],
                    destination_country=row.case["destination_country"],
                )
                CaseReference.objects.create(case=case, kind="unhcr_case", value=row.case_number)
                CaseStatusChange.objects.create(
                    case=case, from_status="", to_status=case.status, reason="Imported"
                )
                cases[row.case_number] = case
            person = Person(**row.person.values())
            person.save()
            names, keys = people.index_rows(person, people.spellings(person))
            for obj in [*names, *keys]:
                obj.save()
            Membership(case=case, person=person, relationship=row.relationship).save()
            members.setdefault(row.case_number, []).append(
                {"id": person.pk, "name": person.display_name, "row": row.row}
            )
        for number, case in cases.items():
            audit.record(
                actor=None,
                action="case.import",
                obj=case,
                extra={"unhcr_case_number": number, "people": members[number]},
            )
    elapsed = time.perf_counter() - start
    assert PersonName.objects.exists() and NameKey.objects.exists()
    return len(parsed.rows) / elapsed


def _preview_with_duplicates(size: int, today: dt.date) -> float:
    """Persons per second of a preview that also searches the registry for duplicates."""
    from passage.registry import imports
    from passage.registry.synthetic import import_rows, to_csv

    content = to_csv(import_rows(13, size, today, prefix="DUP"))
    start = time.perf_counter()
    plan = imports.plan_import("dup.csv", content, today=today, check_duplicates=True)
    elapsed = time.perf_counter() - start
    assert not plan.errors
    return len(plan.rows) / elapsed


def run(table: Table, args: argparse.Namespace) -> None:
    from django.utils import timezone

    from passage.registry import imports
    from passage.registry.synthetic import import_rows, to_csv

    today = timezone.localdate()
    size = int(50_000 * args.scale)
    content = to_csv(import_rows(11, size, today, prefix="IMP"))
    load = os.getloadavg()[0]
    cpu = time.process_time()
    start = time.perf_counter()
    plan = imports.plan_import("bench.csv", content, today=today, check_duplicates=False)
    checked = time.perf_counter()
    imports.apply_import(actor=None, plan=plan)
    done = time.perf_counter()
    cpu = time.process_time() - cpu
    people = len(plan.rows)
    sample = import_rows(12, max(200, int(2_000 * args.scale)), today, prefix="ROW")
    baseline = _row_by_row(sample)
    table.add(
        TOPIC,
        f"import {people:,} persons (check + write)",
        people / (done - start),
        "persons/s",
        baseline=baseline,
        baseline_name="row-by-row saves",
        note=(
            f"check {checked - start:.1f} s, write {done - checked:.1f} s; this process's CPU "
            f"{cpu:.1f} s; load average {load:.1f} on {os.cpu_count()} cores; goal ≥ 5,000/s"
        ),
    )
    # Importing the same file again changes nothing.
    start = time.perf_counter()
    again = imports.plan_import("bench.csv", content, today=today, check_duplicates=False)
    assert not again.changes_anything
    table.add(
        TOPIC,
        "re-import of the same file (no change)",
        people / (time.perf_counter() - start),
        "persons/s",
        note="matching on case and individual numbers",
    )
    small = max(100, int(2_000 * args.scale))
    table.add(
        TOPIC,
        f"preview of {small:,} new persons with the duplicate search",
        _preview_with_duplicates(small, today),
        "persons/s",
        note=f"against the {people:,} people imported above; per person, fuzzy name search",
    )
