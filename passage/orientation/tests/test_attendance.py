"""Attendance and completion at the edges of the hours; case status; readiness."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from passage.core import readiness
from passage.core.errors import ActionError, ConflictError, TransitionError
from passage.core.models import AuditEvent
from passage.orientation import actions, enrolment
from passage.orientation.choices import (
    COURSE_TRANSITIONS,
    ENROLMENT_TRANSITIONS,
    CourseStatus,
    EnrolmentStatus,
)
from passage.orientation.completion import case_statuses, co_constraints
from passage.orientation.models import Attendance, Curriculum, Enrolment
from passage.orientation.tests.conftest import at, family, members
from passage.registry.choices import CaseStatus, Programme
from passage.registry.models import Case
from passage.registry.tests.factories import EmbassyRequestFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 1)


def _coa_course(personas, hours_per_day=(5, 5, 5)):
    """A Canadian COA course (15 h required) of three sessions ending on DAY."""
    coa = Curriculum.objects.get(code="ca-coa")
    course = actions.plan_course(
        actor=personas.co_trainer, curriculum=coa, title="COA", language="ru", venue="Bishkek"
    )
    sessions = []
    for offset, hours in enumerate(hours_per_day):
        day = DAY - dt.timedelta(days=len(hours_per_day) - 1 - offset)
        sessions.append(
            actions.add_session(
                actor=personas.co_trainer,
                course=course,
                starts_at=at(day, 8),
                ends_at=at(day, 8 + hours),
                trainers=[personas.admin],
            )
        )
    return course, sessions


def _canada(status=CaseStatus.CO_SCHEDULED):
    case = family(
        "CA",
        Programme.CA_GAR,
        [dt.date(1980, 1, 1), dt.date(2013, 5, 30), dt.date(2013, 5, 31)],
        status=status,
    )
    EmbassyRequestFactory(valid_from=dt.date(2026, 1, 1)).cases.add(case)
    return case


def test_attendance_longer_than_the_session_is_refused_and_nothing_written(world, personas):
    result = enrolment.enrol_case(
        actor=personas.co_trainer, course=world.course, case=world.us_case
    )
    first, second = result.enrolled
    with pytest.raises(ActionError) as error:
        enrolment.record_attendance(
            actor=personas.co_trainer,
            session=world.session,
            hours={first.pk: Decimal(4), second.pk: Decimal("4.01")},
        )
    assert error.value.code == "longer_than_session"
    assert "4.01" in error.value.message and "(4.00 h)" in error.value.message
    assert error.value.field == f"hours_{second.pk}"
    assert not Attendance.objects.exists()
    assert not AuditEvent.objects.filter(action="orientation.attendance").exists()
    # Exactly the session's length is fine.
    enrolment.record_attendance(
        actor=personas.co_trainer, session=world.session, hours={first.pk: Decimal(4)}
    )
    first.refresh_from_db()
    assert first.hours_attended == 4 and first.completed_on is None


def test_attendance_for_a_waitlisted_or_future_session_is_refused(world, personas):
    world.course.capacity = 1
    world.course.save()
    result = enrolment.enrol_case(
        actor=personas.co_trainer, course=world.course, case=world.us_case
    )
    waiting = result.waitlisted[0]
    with pytest.raises(ActionError, match="not an enrolled participant"):
        enrolment.record_attendance(
            actor=personas.co_trainer, session=world.session, hours={waiting.pk: Decimal(1)}
        )
    later = actions.add_session(
        actor=personas.co_trainer,
        course=world.course,
        starts_at=at(DAY + dt.timedelta(days=1), 9),
        ends_at=at(DAY + dt.timedelta(days=1), 12),
        trainers=[personas.co_trainer],
    )
    with pytest.raises(ActionError, match="has not taken place"):
        enrolment.record_attendance(
            actor=personas.co_trainer, session=later, hours={result.enrolled[0].pk: Decimal(1)}
        )


def test_hours_parsing_refuses_nonsense():
    assert enrolment.parse_hours("2,5", "h") == Decimal("2.50")
    for bad in ("abc", "-1", "NaN", "inf"):
        with pytest.raises(ActionError):
            enrolment.parse_hours(bad, "h")


def test_completion_at_exactly_the_required_hours_moves_the_case(world, personas):
    course, sessions = _coa_course(personas)
    case = _canada()
    result = enrolment.enrol_case(actor=personas.co_trainer, course=course, case=case)
    # Adult and the 13-year-old (13 on the first day); the one who is 12 there is skipped.
    assert len(result.enrolled) == 2 and len(result.skipped) == 1
    adult, teen = result.enrolled
    trainer = personas.co_trainer
    for session in sessions[:2]:
        enrolment.record_attendance(
            actor=trainer, session=session, hours={adult.pk: Decimal(5), teen.pk: Decimal(5)}
        )
    changed = enrolment.record_attendance(
        actor=trainer, session=sessions[2], hours={adult.pk: Decimal(5), teen.pk: Decimal("4.99")}
    )
    assert [e.pk for e in changed] == [adult.pk]
    adult.refresh_from_db()
    teen.refresh_from_db()
    assert adult.hours_attended == 15 and adult.completed_on == DAY
    assert teen.hours_attended == Decimal("14.99") and teen.completed_on is None
    case.refresh_from_db()
    assert case.status == CaseStatus.CO_SCHEDULED  # not every member has completed yet
    # Correcting the last session completes the teenager, and the case moves on.
    enrolment.record_attendance(actor=trainer, session=sessions[2], hours={teen.pk: Decimal(5)})
    teen.refresh_from_db()
    assert teen.completed_on == DAY
    case.refresh_from_db()
    assert case.status == CaseStatus.CO_ATTENDED
    assert "completed" in case.status_history.last().reason
    # Lowering the hours again takes the completion away (the case keeps its history).
    enrolment.record_attendance(actor=trainer, session=sessions[0], hours={teen.pk: Decimal(0)})
    teen.refresh_from_db()
    assert teen.completed_on is None and teen.hours_attended == 10


def test_readiness_blocks_where_co_is_required_and_not_where_optional(world, personas):
    # The US profile requires CO; the Canadian one makes it optional.
    canada = _canada(status=CaseStatus.OPENED)
    constraints = co_constraints([world.us_case, canada])
    people = members(world.us_case)
    blocked = {c.person_id for c in constraints}
    # Adults and the 14-year-old (youth curriculum) must complete; the toddler has none.
    assert blocked == {people[0].pk, people[1].pk, people[2].pk}
    assert all(c.case_id == world.us_case.pk and c.blocker for c in constraints)
    assert all(c.allows(DAY) for c in constraints)
    assert "orientation" in readiness.sources()
    statuses = case_statuses([world.us_case, canada])
    assert statuses[canada.pk].requirement == "optional"
    assert not statuses[canada.pk].outstanding


def test_readiness_clears_once_completed(world, personas):
    us = Curriculum.objects.get(code="us-adult")
    course = actions.plan_course(
        actor=personas.co_trainer, curriculum=us, title="Long day", language="ru", venue="Bishkek"
    )
    sessions = [
        actions.add_session(
            actor=personas.co_trainer,
            course=course,
            starts_at=at(DAY - dt.timedelta(days=d), 0),
            ends_at=at(DAY - dt.timedelta(days=d), 8),
            trainers=[personas.admin],
        )
        for d in (1, 0)
    ]
    result = enrolment.enrol_case(actor=personas.co_trainer, course=course, case=world.us_case)
    for session in sessions:
        enrolment.record_attendance(
            actor=personas.co_trainer,
            session=session,
            hours={e.pk: Decimal(8) for e in result.enrolled},
        )
    remaining = {c.person_id for c in co_constraints([world.us_case])}
    assert remaining == {members(world.us_case)[2].pk}  # only the youth


def test_readiness_source_answers_a_batch_in_fixed_queries(
    world, personas, django_assert_num_queries
):
    cases = [world.us_case] + [
        family("US", Programme.USRAP_P2, [dt.date(1980, 1, 1), dt.date(2010, 1, 1)])
        for _ in range(5)
    ]
    batch = list(Case.objects.filter(pk__in=[c.pk for c in cases]))
    with django_assert_num_queries(4):
        constraints = co_constraints(batch)
    assert len(constraints) == 3 + 10


def test_trainer_overlap_is_refused_with_a_clear_message(world, personas):
    other = actions.plan_course(
        actor=personas.admin, curriculum=world.curriculum, title="Other", language="ky", venue="Osh"
    )
    with pytest.raises(ConflictError) as error:
        actions.add_session(
            actor=personas.admin,
            course=other,
            starts_at=at(DAY, 12, 59),
            ends_at=at(DAY, 15),
            trainers=[personas.co_trainer],
        )
    assert error.value.code == "trainer_busy"
    assert "USRAP CO June" in error.value.message and "09:00" in error.value.message
    assert other.sessions.count() == 0
    # Starting when the other ends is fine.
    actions.add_session(
        actor=personas.admin,
        course=other,
        starts_at=at(DAY, 13),
        ends_at=at(DAY, 15),
        trainers=[personas.co_trainer],
    )


def test_session_rules(world, personas):
    with pytest.raises(ActionError, match="end after"):
        actions.add_session(
            actor=personas.admin,
            course=world.course,
            starts_at=at(DAY, 15),
            ends_at=at(DAY, 15),
            trainers=[personas.admin],
        )
    with pytest.raises(ActionError, match="not a CO trainer"):
        actions.add_session(
            actor=personas.admin,
            course=world.course,
            starts_at=at(DAY, 15),
            ends_at=at(DAY, 16),
            trainers=[personas.case_worker],
        )


def test_course_rules(world, personas):
    with pytest.raises(ActionError) as error:
        actions.plan_course(
            actor=personas.admin,
            curriculum=world.curriculum,
            title="X",
            language="ru",
            venue="B",
            capacity=0,
        )
    assert error.value.field == "capacity"
    with pytest.raises(ActionError) as error:
        actions.plan_course(
            actor=personas.admin, curriculum=world.curriculum, title="X", language="ru"
        )
    assert error.value.field == "venue"


@pytest.mark.parametrize(
    ("table", "choices"),
    [(COURSE_TRANSITIONS, CourseStatus), (ENROLMENT_TRANSITIONS, EnrolmentStatus)],
)
def test_every_pair_of_states(table, choices):
    from passage.core.workflow import check_transition

    for current in choices.values:
        for target in choices.values:
            if target in table[current]:
                check_transition(table, choices, current, target)
            else:
                with pytest.raises(TransitionError):
                    check_transition(table, choices, current, target)


def test_course_status_changes_write_history(world, personas):
    actions.change_course_status(actor=personas.co_trainer, course=world.course, to="completed")
    actions.change_course_status(actor=personas.co_trainer, course=world.course, to="planned")
    actions.change_course_status(actor=personas.co_trainer, course=world.course, to="cancelled")
    assert [h.to_status for h in world.course.status_history.all()] == [
        "completed",
        "planned",
        "cancelled",
    ]
    with pytest.raises(TransitionError):
        actions.change_course_status(actor=personas.co_trainer, course=world.course, to="planned")


def test_curriculum_versions(world, personas):
    base = Curriculum.objects.get(code="ca-coa")
    version = actions.create_curriculum_version(
        actor=personas.admin,
        code="ca-coa",
        base=base,
        effective_from=DAY + dt.timedelta(days=1),
        change_note="Four days from July",
        days=4,
        required_hours=Decimal(16),
        max_hours=Decimal(16),
    )
    assert version.min_age == 13 and version.source_note == base.source_note
    event = AuditEvent.objects.get(action="orientation.curriculum_version")
    assert event.changes["days"] == [3, 4]
    with pytest.raises(ActionError) as error:
        actions.create_curriculum_version(
            actor=personas.admin,
            code="ca-coa",
            base=base,
            effective_from=DAY - dt.timedelta(days=1),
        )
    assert error.value.field == "effective_from"
    with pytest.raises(ActionError) as error:
        actions.create_curriculum_version(
            actor=personas.admin,
            code="ca-coa",
            base=base,
            effective_from=DAY + dt.timedelta(days=2),
            min_age=20,
            max_age=10,
        )
    assert error.value.field == "max_age"
    with pytest.raises(ConflictError):
        actions.create_curriculum_version(
            actor=personas.admin,
            code="ca-coa",
            base=base,
            effective_from=DAY + dt.timedelta(days=1),
        )
    assert Enrolment.objects.count() == 0


def test_remove_session_only_without_attendance(world, personas):
    result = enrolment.enrol_case(
        actor=personas.co_trainer, course=world.course, case=world.us_case
    )
    enrolment.record_attendance(
        actor=personas.co_trainer, session=world.session, hours={result.enrolled[0].pk: Decimal(1)}
    )
    with pytest.raises(ConflictError):
        actions.remove_session(actor=personas.co_trainer, session=world.session)
    spare = actions.add_session(
        actor=personas.co_trainer,
        course=world.course,
        starts_at=at(DAY, 14),
        ends_at=at(DAY, 15),
        trainers=[personas.co_trainer],
    )
    actions.remove_session(actor=personas.co_trainer, session=spare)
    assert list(world.course.sessions.all()) == [world.session]


def test_board_rows_read_only_the_enrolments_of_cases_that_take_co(world, personas):
    """The board's rows (which remember their query) answer as a plain list of cases:
    blockers for the US case's members only, none for the Canadian case where CO is
    optional, and a CO case's members are matched by the case, not by a list of ids."""
    from passage.documents.rows import case_rows
    from passage.registry.queries import active_members

    canada = _canada(status=CaseStatus.OPENED)
    ids = [world.us_case.pk, canada.pk]
    rows = case_rows(Case.objects.filter(pk__in=ids).order_by("pk"))
    plain = list(Case.objects.filter(pk__in=ids).prefetch_related(active_members()))

    def key(c: Any) -> tuple[int, int | None, str]:
        return (c.case_id, c.person_id, c.blocker)

    from_rows = sorted(map(key, co_constraints(rows)))
    assert from_rows == sorted(map(key, co_constraints(plain)))
    assert {case_id for case_id, _p, _b in from_rows} == {world.us_case.pk}
    assert len(from_rows) == 3
