"""Demo data of the visa application centre: a week around today, deterministic.

Rules and hours, a week of slots, bookings (kept, missed, cancelled, coming),
today's walk-in queue, applications with fees paid in CAD and KGS, and passports
at every step of the chain of custody. Running it twice creates nothing new.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.management.base import OutputWrapper
from django.utils import timezone

from passage.core.models import User
from passage.ledger import actions as ledger
from passage.ledger.models import ExchangeRate
from passage.ledger.queries import balance
from passage.vac import actions
from passage.vac.choices import ApplicationType, AppointmentStatus, CustodyStatus, Service
from passage.vac.models import (
    Applicant,
    Appointment,
    CentreRules,
    Custody,
    OpeningHours,
    Slot,
    Ticket,
    VacFeeProfile,
)

SOURCE = (
    "canada.ca, Immigration and citizenship: Biometrics fees — CAD 85 a person, at most "
    "CAD 170 for a family applying together; who gives biometrics: ages 14 to 79; "
    "temporary residence reuses biometrics for 10 years, permanent residence enrols each "
    "time; refugees resettled from abroad are exempt. Service fee: demo value."
)

PEOPLE = [
    ("Aibek", "Asanov", dt.date(1986, 4, 12)),
    ("Aigerim", "Toktosunova", dt.date(1993, 9, 3)),
    ("Bakyt", "Mamatov", dt.date(1979, 1, 25)),
    ("Cholpon", "Abdyldaeva", dt.date(2001, 6, 30)),
    ("Daniyar", "Sadykov", dt.date(1990, 11, 8)),
    ("Elmira", "Kasymova", dt.date(1984, 2, 14)),
    ("Emil", "Usenov", dt.date(1998, 7, 19)),
    ("Gulzat", "Bekova", dt.date(1975, 12, 1)),
    ("Kanat", "Zhaparov", dt.date(1988, 3, 22)),
    ("Meerim", "Osmonova", dt.date(1995, 5, 5)),
    ("Nurbek", "Ismailov", dt.date(1982, 8, 16)),
    ("Saltanat", "Alieva", dt.date(1991, 10, 27)),
    ("Talant", "Kubanychbekov", dt.date(1977, 4, 9)),
    ("Zhyldyz", "Sultanbekova", dt.date(1999, 1, 2)),
]

HOURS = [
    (Service.BIOMETRICS, dt.time(9), dt.time(13), 30, 4),
    (Service.PASSPORT, dt.time(14), dt.time(16), 30, 4),
    (Service.DOCUMENTS, dt.time(14), dt.time(16), 60, 2),
    (Service.COLLECTION, dt.time(16), dt.time(17), 30, 6),
]

CUSTODY_PLAN = [
    # days ago received, steps after receipt (status, days ago)
    (0, []),
    (5, []),  # not sent on in time: flagged
    (4, [(CustodyStatus.FORWARDED, 3)]),
    (9, [(CustodyStatus.FORWARDED, 8), (CustodyStatus.RETURNED, 1)]),
    (12, [(CustodyStatus.FORWARDED, 11), (CustodyStatus.RETURNED, 3), (CustodyStatus.READY, 2)]),
    (25, [(CustodyStatus.FORWARDED, 24), (CustodyStatus.RETURNED, 18), (CustodyStatus.READY, 17)]),
    (
        15,
        [
            (CustodyStatus.FORWARDED, 14),
            (CustodyStatus.RETURNED, 6),
            (CustodyStatus.READY, 5),
            (CustodyStatus.COLLECTED, 1),
        ],
    ),
    (
        16,
        [
            (CustodyStatus.FORWARDED, 15),
            (CustodyStatus.RETURNED, 7),
            (CustodyStatus.READY, 6),
            (CustodyStatus.COURIERED, 2),
        ],
    ),
]


def _rules(officer: User | None) -> None:
    start = dt.date(2024, 1, 1)
    if not VacFeeProfile.objects.filter(effective_from=start).exists():
        actions.save_fee_profile(
            actor=officer,
            effective_from=start,
            source_note=SOURCE,
            currency="CAD",
            biometric_fee=Decimal("85.00"),
            family_cap=Decimal("170.00"),
            service_fee=Decimal("20.00"),
        )
    if not CentreRules.objects.filter(effective_from=start).exists():
        actions.save_centre_rules(
            actor=officer,
            effective_from=start,
            release_time=dt.time(9, 0),
            address="Bishkek, 191 Abdrakhmanov Street (demo address)",
            source_note="Centre's booking policy (demo)",
        )
    if officer is not None and not OpeningHours.objects.exists():
        for weekday in range(5):
            for service, opens, closes, minutes, capacity in HOURS:
                actions.set_opening_hours(
                    actor=officer,
                    weekday=weekday,
                    service=service,
                    opens=opens,
                    closes=closes,
                    slot_minutes=minutes,
                    capacity=capacity,
                )


def _rates(officer: User, today: dt.date) -> None:
    for back in range(30, -1, -1):
        day = today - dt.timedelta(days=back)
        if not ExchangeRate.objects.filter(base="CAD", quote="KGS", date=day).exists():
            rate = Decimal("62.40") + Decimal(back % 5) / 10
            ledger.record_rate(
                actor=officer,
                base="CAD",
                quote="KGS",
                rate=rate,
                on=day,
                source="National Bank of the Kyrgyz Republic (demo figure)",
            )


def _bookings(officer: User, today: dt.date) -> None:
    now = timezone.now()
    n = 0
    for offset in range(-7, 5):
        day = today + dt.timedelta(days=offset)
        slots = list(Slot.objects.filter(starts_at__date=day, service=Service.BIOMETRICS))
        for i, slot in enumerate(slots[:5]):
            given, family, born = PEOPLE[n % len(PEOPLE)]
            email = f"demo{offset + 7}-{i}@vac.example"
            n += 1
            if Appointment.objects.filter(email=email).exists():
                continue
            past = slot.starts_at < now
            status = AppointmentStatus.BOOKED
            if past and offset < 0:
                status = [
                    AppointmentStatus.COMPLETED,
                    AppointmentStatus.COMPLETED,
                    AppointmentStatus.MISSED,
                    AppointmentStatus.COMPLETED,
                    AppointmentStatus.CANCELLED,
                ][i]
            appointment = actions.import_appointment(
                actor=officer,
                slot=slot,
                people=1 + (i % 3),
                full_name=f"{given} {family}",
                email=email,
                date_of_birth=born,
                status=status,
                language=["en", "ru", "ky"][i % 3],
            )
            if offset == 0 and past and i < 3:
                actions.check_in(actor=officer, appointment=appointment)


def _queue(officer: User, today: dt.date) -> None:
    if Ticket.objects.filter(day=today, prefix="W").exists():
        return
    for name, service in [
        ("Walk-in 1", Service.DOCUMENTS),
        ("", Service.COLLECTION),
        ("Walk-in 3", Service.PASSPORT),
        ("", Service.DOCUMENTS),
    ]:
        actions.issue_ticket(actor=officer, service=service, name=name)
    first = actions.call_next(actor=officer, desk="1")
    if first is not None:
        actions.move_ticket(actor=officer, ticket=first, status="done")
    actions.call_next(actor=officer, desk="2")


def _applications(officer: User) -> None:
    done = Appointment.objects.filter(
        status=AppointmentStatus.COMPLETED, application__isnull=True
    ).select_related("slot")
    kinds = [
        ApplicationType.VISITOR,
        ApplicationType.STUDY,
        ApplicationType.PERMANENT,
        ApplicationType.WORK,
    ]
    for i, appointment in enumerate(done.order_by("slot__starts_at", "id")):
        given, family = appointment.full_name.split(" ", 1)
        members = [
            actions.ApplicantIn(
                given_names=given,
                family_name=family,
                date_of_birth=appointment.date_of_birth,
                passport_number=f"AC{appointment.pk:07d}",
            )
        ]
        for k in range(1, appointment.people):
            members.append(
                actions.ApplicantIn(
                    given_names=["Aiturgan", "Bektur", "Nuraiym"][k % 3],
                    family_name=family,
                    date_of_birth=dt.date(2008 + 4 * k, 3, 1),
                    passport_number=f"AC{appointment.pk:05d}{k:02d}",
                )
            )
        application = actions.open_application(
            actor=officer,
            appointment=appointment,
            applicants=members,
            application_type=kinds[i % len(kinds)],
            family=len(members) > 1,
            letter_reference=f"BIL-{appointment.pk:06d}",
        )
        actions.assess_fees(actor=officer, application=application)
        account = actions.account_of(application)
        due = balance(account)
        if due > 0:
            if i % 2:
                actions.take_payment(
                    actor=officer, application=application, amount=due, currency="CAD"
                )
            else:
                rate = ExchangeRate.objects.get(base="CAD", quote="KGS", date=timezone.localdate())
                actions.take_payment(
                    actor=officer,
                    application=application,
                    amount=(due * rate.rate).quantize(Decimal("0.01")),
                    currency="KGS",
                )


def _custody(officer: User) -> None:
    now = timezone.now()
    waiting = list(
        Applicant.objects.filter(custody__isnull=True).order_by("id")[: len(CUSTODY_PLAN)]
    )
    if Custody.objects.exists():
        return
    for n, (applicant, (received, steps)) in enumerate(zip(waiting, CUSTODY_PLAN, strict=False)):
        custody = actions.receive_passport(
            actor=officer, applicant=applicant, at=now - dt.timedelta(days=received, hours=1)
        )
        for status, ago in steps:
            at = now - dt.timedelta(days=ago)
            if status == CustodyStatus.FORWARDED:
                actions.dispatch_batch(
                    actor=officer, codes=[custody.code], waybill=f"DHL-DEMO-{n:04d}", at=at
                )
            else:
                actions.move_passport(
                    actor=officer,
                    custody=custody,
                    status=status,
                    at=at,
                    envelope=f"ENV-{n:04d}",
                    waybill=f"EMS-DEMO-{n:04d}",
                    collected_by=str(applicant),
                    identity_document="ID card (demo)",
                )


def load(stdout: OutputWrapper) -> dict[str, int]:
    officer = User.objects.filter(username="vac").first()
    _rules(officer)
    if officer is None:
        stdout.write("vac: no demo officer 'vac'; loaded the rules only")
        return {}
    today = timezone.localdate()
    _rates(officer, today)
    if OpeningHours.objects.exists():
        release = timezone.now() - dt.timedelta(days=10)
        actions.open_slots(
            actor=officer,
            start=today - dt.timedelta(days=7),
            end=today + dt.timedelta(days=10),
            release_at=release,
        )
    _bookings(officer, today)
    _queue(officer, today)
    _applications(officer)
    _custody(officer)
    counts = {
        "slots": Slot.objects.count(),
        "appointments": Appointment.objects.count(),
        "passports": Custody.objects.count(),
    }
    stdout.write(f"vac: {counts}")
    return counts
