"""Demo data of cultural orientation: a course held three weeks ago with its
attendance, and a course planned for next month with families enrolled.

The courses use the demo caseload where it has cases with an embassy request
for CO. When no case has one, a few families with a CO request are created
through the registry's actions (a family the registry refuses, say as a possible
duplicate, is skipped whole).
Running it twice creates nothing new: courses are found by title.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.management.base import OutputWrapper
from django.db import transaction
from django.utils import timezone

from passage.core.errors import ActionError
from passage.core.models import Organisation, User
from passage.orientation import actions, enrolment
from passage.orientation.choices import CourseStatus, EnrolmentStatus
from passage.orientation.completion import applicable, curricula_in_force
from passage.orientation.models import Course, Curriculum
from passage.registry import actions as registry_actions
from passage.registry import requests as registry_requests
from passage.registry.choices import CaseStatus, Programme, Relationship, Service, Sex
from passage.registry.models import Case
from passage.registry.people import PersonData, create_person

PAST = "DEMO · USRAP orientation (held)"
PLANNED = "DEMO · Canadian Orientation Abroad (planned)"

# (destination, programme, embassy country,
#  [(given, surname, latin given, latin surname, sex, born)])
FAMILIES = [
    ("US", Programme.USRAP_P2, "US", [
        ("محمد", "رحیمی", "Mohammad", "Rahimi", Sex.MALE, dt.date(1984, 3, 2)),
        ("زرینه", "رحیمی", "Zarina", "Rahimi", Sex.FEMALE, dt.date(1988, 9, 14)),
        ("احمد", "رحیمی", "Ahmad", "Rahimi", Sex.MALE, dt.date(2011, 5, 20)),
    ]),
    ("US", Programme.USRAP_P1, "US", [
        ("Гульнара", "Осмонова", "Gulnara", "Osmonova", Sex.FEMALE, dt.date(1979, 1, 30)),
        ("Айбек", "Осмонов", "Aibek", "Osmonov", Sex.MALE, dt.date(2004, 11, 2)),
    ]),
    ("CA", Programme.CA_GAR, "CA", [
        ("ئابدۇرېھىم", "ئۆتكۈر", "Abdurehim", "Otkur", Sex.MALE, dt.date(1982, 7, 7)),
        ("مەريەم", "ئۆتكۈر", "Meryem", "Otkur", Sex.FEMALE, dt.date(1986, 2, 11)),
        ("ئەزىز", "ئۆتكۈر", "Eziz", "Otkur", Sex.MALE, dt.date(2012, 4, 1)),
        ("ئايگۈل", "ئۆتكۈر", "Aygul", "Otkur", Sex.FEMALE, dt.date(2019, 8, 8)),
    ]),
]  # fmt: skip


def _embassy(country: str) -> Organisation | None:
    return Organisation.objects.filter(kind="embassy", country=country, active=True).first()


def _demo_family(admin: User, index: int, family: tuple[Any, ...], embassy: Organisation) -> None:
    country, programme, _embassy_country, people = family
    today = timezone.localdate()
    case = registry_actions.open_case(
        actor=admin, programme=programme, destination_country=country,
        notes="Cultural orientation demo family",
    )  # fmt: skip
    for position, (given, surname, latin_given, latin_surname, sex, born) in enumerate(people):
        person = create_person(
            actor=admin,
            data=PersonData(
                given_names=given, surname=surname, latin_given_names=latin_given,
                latin_surname=latin_surname, sex=sex, date_of_birth=born,
                consent_date=today - dt.timedelta(days=90), consent_scope="resettlement",
            ),
        )  # fmt: skip
        relationship = [Relationship.PRINCIPAL, Relationship.SPOUSE, Relationship.CHILD][
            min(position, 2)
        ]
        registry_actions.add_member(
            actor=admin, case=case, person=person, relationship=relationship
        )
    registry_requests.create_embassy_request(
        actor=admin, embassy=embassy, reference=f"CO-DEMO-{index + 1}",
        issued_on=today - dt.timedelta(days=60), valid_from=today - dt.timedelta(days=60),
        valid_until=today + dt.timedelta(days=180),
        services=[Service.MEDICAL, Service.CO, Service.MOVEMENT], cases=[case],
    )  # fmt: skip


def _demo_families(admin: User, stdout: OutputWrapper) -> None:
    """Families with a CO request, when the caseload has no case with one."""
    for index, family in enumerate(FAMILIES):
        embassy = _embassy(family[2])
        if embassy is None:
            continue
        try:
            with transaction.atomic():
                _demo_family(admin, index, family, embassy)
        except ActionError as exc:
            stdout.write(f"  orientation: demo family {index + 1} skipped: {exc.message}\n")
    stdout.write("  orientation: demo families with CO requests created\n")


def _cases_for(curriculum: Curriculum, on: dt.date) -> list[Case]:
    cases = Case.objects.filter(embassy_requests__co=True, embassy_requests__valid_from__lte=on)
    cases = cases.exclude(status__in=[CaseStatus.WITHDRAWN, CaseStatus.CLOSED]).distinct()
    return [
        c
        for c in cases.order_by("id")
        if applicable([curriculum], c.destination_country, c.programme)
    ]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _course(
    admin: User, trainer: User, curriculum: Curriculum, title: str, first: dt.date, hours: int
) -> Course:
    course = actions.plan_course(
        actor=admin, curriculum=curriculum, title=title, language="ru",
        interpreter_language="fa-AF", venue="Bishkek, IOM training room", childminding=True,
        meals=True, transport_grant=True,
    )  # fmt: skip
    for day in range(curriculum.days):
        date = first + dt.timedelta(days=day)
        actions.add_session(
            actor=admin, course=course, starts_at=_at(date, 9), ends_at=_at(date, 9 + hours),
            trainers=[trainer],
        )  # fmt: skip
    return course


def _enrol(admin: User, course: Course, cases: list[Case], stdout: OutputWrapper) -> None:
    for case in cases:
        try:
            enrolment.enrol_case(actor=admin, course=course, case=case)
        except ActionError as exc:
            stdout.write(f"  orientation: {case.file_number} not enrolled: {exc.message}\n")


def load(stdout: OutputWrapper) -> list[str]:
    admin = User.objects.filter(username="admin").first()
    trainer = User.objects.filter(username="trainer").first()
    if admin is None or trainer is None:
        stdout.write("  orientation: no demo admin or trainer; skipped\n")
        return []
    today = timezone.localdate()
    curricula = {c.code: c for c in curricula_in_force(today)}
    if not Case.objects.filter(embassy_requests__co=True).exists():
        _demo_families(admin, stdout)
    made = []
    if not Course.objects.filter(title=PAST).exists():
        us = curricula["us-adult"]
        course = _course(admin, trainer, us, PAST, today - dt.timedelta(days=21), 6)
        _enrol(admin, course, _cases_for(us, today - dt.timedelta(days=21)), stdout)
        enrolled = list(course.enrolments.filter(status=EnrolmentStatus.ENROLLED).order_by("id"))
        for index, session in enumerate(course.sessions.order_by("starts_at")):
            # Everyone present all day, except the last person who missed the last afternoon.
            hours = {e.pk: Decimal(6) for e in enrolled}
            if enrolled and index == us.days - 1:
                hours[enrolled[-1].pk] = Decimal(3)
            if hours:
                enrolment.record_attendance(actor=trainer, session=session, hours=hours)
        actions.change_course_status(
            actor=trainer, course=course, to=CourseStatus.COMPLETED, reason="Held"
        )
        made.append(PAST)
    if not Course.objects.filter(title=PLANNED).exists():
        coa = curricula["ca-coa"]
        course = _course(admin, trainer, coa, PLANNED, today + dt.timedelta(days=30), 5)
        _enrol(admin, course, _cases_for(coa, today), stdout)
        made.append(PLANNED)
    stdout.write(f"  orientation: {len(made)} demo courses created\n")
    return made
