"""The public status lookup: a hit, a wrong date of birth and an unknown reference.

The three should cost about the same (the same queries run whichever it is), so
timing does not tell a guesser which references exist. Also: a booking through
the action (slot lock, caps, audit, outbox) against a bare insert.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics

from django.db import transaction
from django.utils import timezone

from bench.common import Table, latencies_ms, timed


def _setup(n: int) -> list[tuple[str, dt.date]]:
    from passage.core.models import User
    from passage.vac import actions
    from passage.vac.models import CentreRules, VacFeeProfile

    officer = User.objects.create(username="bench-vac", role="vac_officer")
    VacFeeProfile.objects.get_or_create(
        effective_from=dt.date(2020, 1, 1), defaults={"source_note": "canada.ca"}
    )
    CentreRules.objects.get_or_create(
        effective_from=dt.date(2020, 1, 1), defaults={"release_time": dt.time(9)}
    )
    refs = []
    with transaction.atomic():
        for i in range(n):
            born = dt.date(1960, 1, 1) + dt.timedelta(days=i)
            application = actions.open_application(
                actor=officer,
                application_type="visitor",
                applicants=[
                    actions.ApplicantIn(
                        given_names="A",
                        family_name=f"B{i}",
                        date_of_birth=born,
                        passport_number=f"P{i}",
                    )
                ],
            )
            actions.receive_passport(actor=officer, applicant=application.applicants.get())
            refs.append((application.reference, born))
    return refs


def run(table: Table, args: argparse.Namespace) -> None:
    from passage.vac import actions, queries
    from passage.vac.models import Appointment, Slot

    n = max(50, int(1000 * args.scale))
    refs = _setup(n)
    cases = {
        "found": [(r, b) for r, b in refs],
        "wrong date of birth": [(r, b + dt.timedelta(days=1)) for r, b in refs],
        "unknown reference": [(f"ZZZ-{i:03d}-ZZZ"[:11], b) for i, (_r, b) in enumerate(refs)],
    }
    medians = {}
    for name, inputs in cases.items():
        ms = latencies_ms(lambda item: queries.lookup_status(*item), list(inputs))  # type: ignore[misc]
        medians[name] = statistics.median(ms)
    for name, value in medians.items():
        table.add(
            "vac",
            f"status lookup, {name} (median of {n})",
            value,
            "ms",
            baseline=medians["found"],
            baseline_name="found",
            note="same queries whichever case",
        )

    start = timezone.now() + dt.timedelta(days=1)
    slots = Slot.objects.bulk_create(
        [
            Slot(
                service="biometrics",
                starts_at=start + dt.timedelta(minutes=i),
                ends_at=start + dt.timedelta(minutes=i + 1),
                capacity=4,
                release_at=timezone.now() - dt.timedelta(days=1),
            )
            for i in range(2 * n)
        ]
    )

    def booked() -> None:
        for i, slot in enumerate(slots[:n]):
            actions.book_appointment(
                actor=None,
                slot=slot,
                people=1,
                full_name=f"P {i}",
                email=f"b{i}@example.org",
                date_of_birth=dt.date(1990, 1, 1),
            )

    def bare() -> None:
        with transaction.atomic():
            for i, slot in enumerate(slots[n:]):
                Appointment.objects.create(
                    slot=slot,
                    full_name=f"Q {i}",
                    email=f"q{i}@example.org",
                    date_of_birth=dt.date(1990, 1, 1),
                )

    from django.test.utils import override_settings

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        base, value = timed(bare), timed(booked)
    table.add(
        "vac",
        f"{n} bookings through the action",
        n / value,
        "bookings/s",
        baseline=n / base,
        baseline_name="bare insert",
        note="slot row lock, caps, history, audit, outbox e-mail with .ics "
        "(delivered in-process to memory)",
    )
