"""Clearance summaries for a readiness board: the batch query against one summary a person."""

from __future__ import annotations

import argparse
import datetime as dt

from bench.common import Table, timed


def run(table: Table, args: argparse.Namespace) -> None:
    from django.db import transaction

    from passage.health.choices import AssessmentStatus, ExamType
    from passage.health.models import Assessment, Clinic, TravelNeeds
    from passage.health.queries import clearance_summaries
    from passage.registry.choices import Relationship, Sex
    from passage.registry.models import Case, Membership, Person

    n = max(100, int(5000 * args.scale))  # families of two
    with transaction.atomic():
        clinic, _created = Clinic.objects.get_or_create(name="bench clinic")
        cases = Case.objects.bulk_create(
            Case(file_number=f"BENCH-{i:06d}", programme="usrap_p1", destination_country="US")
            for i in range(n)
        )
        people = Person.objects.bulk_create(
            Person(given_names=f"P{i}", sex=Sex.FEMALE, consent_date=dt.date(2026, 1, 1),
                   consent_scope="bench")
            for i in range(2 * n)
        )  # fmt: skip
        Membership.objects.bulk_create(
            Membership(case=cases[i // 2], person=p,
                       relationship=Relationship.PRINCIPAL if i % 2 == 0 else Relationship.CHILD)
            for i, p in enumerate(people)
        )  # fmt: skip
        Assessment.objects.bulk_create(
            Assessment(person=p, case=cases[i // 2], programme="usrap_p1",
                       destination_country="US", exam_type=ExamType.US_PANEL, clinic=clinic,
                       status=AssessmentStatus.CLEARED, examined_on=dt.date(2026, 3, 2),
                       valid_until=dt.date(2026, 9, 2))
            for i, p in enumerate(people)
        )  # fmt: skip
        TravelNeeds.objects.bulk_create(
            TravelNeeds(person=p, ssr_codes=["WCHR"]) for p in people[::10]
        )

    batch = timed(lambda: clearance_summaries(cases))
    sample = cases[:200]
    one_by_one = timed(lambda: [clearance_summaries([c]) for c in sample]) * (n / len(sample))
    table.add(
        "health", f"summaries of {n} cases ({2 * n} people)", batch * 1000, "ms",
        baseline=one_by_one * 1000, baseline_name="one call per case (extrapolated from 200)",
        note="clearance_summaries: 6 queries for the whole batch",
    )  # fmt: skip
