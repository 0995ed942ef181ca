"""The orientation readiness source on the readiness board's batch: constraints for
20,000 cases (at scale 1), against just loading their members."""

from __future__ import annotations

import argparse
import datetime as dt
import random

from django.db import transaction

from bench.common import Table, timed


def _caseload(n: int) -> list[int]:
    from passage.orientation.choices import EnrolmentStatus
    from passage.orientation.models import Course, Curriculum, Enrolment
    from passage.registry.choices import CaseStatus, Programme, Relationship, Sex
    from passage.registry.models import Case, Membership, Person

    rng = random.Random(7)
    destinations = [("US", Programme.USRAP_P1), ("CA", Programme.CA_GAR),
                    ("AU", Programme.AU_HUMANITARIAN), ("NO", Programme.EU_QUOTA)]  # fmt: skip
    with transaction.atomic():
        cases = Case.objects.bulk_create(
            Case(file_number=f"BENCH-{i:06d}", programme=p, destination_country=c,
                 status=CaseStatus.CO_SCHEDULED)
            for i, (c, p) in ((i, rng.choice(destinations)) for i in range(n))
        )  # fmt: skip
        sizes = [rng.randint(1, 6) for _ in cases]
        people = Person.objects.bulk_create(
            Person(given_names="Bench", surname=f"{i}", sex=Sex.FEMALE,
                   date_of_birth=dt.date(rng.randint(1960, 2024), 1, 1),
                   consent_date=dt.date(2026, 1, 1), consent_scope="bench")
            for i in range(sum(sizes))
        )  # fmt: skip
        memberships, k = [], 0
        for case, size in zip(cases, sizes, strict=True):
            for j in range(size):
                relationship = Relationship.PRINCIPAL if j == 0 else Relationship.CHILD
                memberships.append(
                    Membership(case=case, person=people[k], relationship=relationship)
                )
                k += 1
        Membership.objects.bulk_create(memberships)
        course = Course.objects.create(
            curriculum=Curriculum.objects.get(code="us-adult"), title="bench", language="ru",
            venue="Bishkek",
        )  # fmt: skip
        Enrolment.objects.bulk_create(
            Enrolment(course=course, person=m.person, case=m.case, status=EnrolmentStatus.ENROLLED,
                      completed_on=dt.date(2026, 1, 1) if rng.random() < 0.5 else None)
            for m in memberships[::2]
        )  # fmt: skip
    return [c.pk for c in cases]


def run(table: Table, args: argparse.Namespace) -> None:
    from passage.orientation.completion import co_constraints
    from passage.registry.models import Case, Membership

    n = max(200, int(20_000 * args.scale))
    ids = _caseload(n)
    cases = list(Case.objects.filter(pk__in=ids))
    found: list[object] = []

    def members_only() -> None:
        list(
            Membership.objects.filter(case__in=ids, ended_at__isnull=True).select_related("person")
        )

    def constraints() -> None:
        found[:] = co_constraints(cases)

    base = timed(members_only)
    value = timed(constraints)
    table.add(
        "orientation", f"CO constraints for {n:,} cases", n / value, "cases/s",
        baseline=n / base, baseline_name="loading their members",
        note=f"{len(found):,} blockers; four queries whatever the batch",
    )  # fmt: skip
