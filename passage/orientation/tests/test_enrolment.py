"""Enrolment: the embassy-request rule, eligibility, capacity and waiting lists, clashes."""

import datetime as dt

import pytest

from passage.core.errors import ActionError, ConflictError
from passage.core.models import AuditEvent
from passage.orientation import actions, enrolment
from passage.orientation.choices import EnrolmentStatus
from passage.orientation.models import Curriculum, Enrolment
from passage.orientation.tests.conftest import at, family, members
from passage.registry.choices import CaseStatus, Programme
from passage.registry.tests.factories import EmbassyRequestFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 1)


def test_enrolling_a_family_takes_the_adults_and_skips_the_rest(world, personas):
    result = enrolment.enrol_case(
        actor=personas.co_trainer, course=world.course, case=world.us_case
    )
    people = members(world.us_case)
    assert [e.person for e in result.enrolled] == people[:2]
    skipped = {p.pk: reason for p, reason in result.skipped}
    assert set(skipped) == {people[2].pk, people[3].pk}
    assert "18+" in skipped[people[2].pk]
    assert AuditEvent.objects.filter(action="orientation.enrol").count() == 1


def test_enrolment_needs_an_embassy_request_for_co(world, personas):
    other = family("US", Programme.USRAP_P1, [dt.date(1980, 1, 1)])
    with pytest.raises(ActionError) as error:
        enrolment.enrol_case(actor=personas.co_trainer, course=world.course, case=other)
    assert error.value.code == "no_embassy_request"
    assert not Enrolment.objects.filter(case=other).exists()


def test_request_must_be_valid_on_the_course_start(world, personas):
    other = family("US", Programme.USRAP_P1, [dt.date(1980, 1, 1)])
    request = EmbassyRequestFactory(valid_from=dt.date(2026, 1, 1), valid_until=DAY)
    request.cases.add(other)
    assert enrolment.enrol_case(actor=personas.co_trainer, course=world.course, case=other).enrolled
    late = family("US", Programme.USRAP_P1, [dt.date(1980, 1, 1)])
    expired = EmbassyRequestFactory(
        valid_from=dt.date(2026, 1, 1), valid_until=DAY - dt.timedelta(days=1)
    )
    expired.cases.add(late)
    with pytest.raises(ActionError, match="not on 2026-06-01"):
        enrolment.enrol_case(actor=personas.co_trainer, course=world.course, case=late)


def test_named_person_outside_the_age_band_is_refused_and_nothing_written(world, personas):
    child = members(world.us_case)[2]
    with pytest.raises(ActionError) as error:
        enrolment.enrol_case(
            actor=personas.co_trainer, course=world.course, case=world.us_case, people=[child]
        )
    assert error.value.code == "not_eligible"
    assert "14" in error.value.message
    assert not Enrolment.objects.exists()


def test_wrong_destination_is_refused(world, personas):
    canada = family("CA", Programme.CA_GAR, [dt.date(1980, 1, 1)])
    EmbassyRequestFactory(valid_from=dt.date(2026, 1, 1)).cases.add(canada)
    with pytest.raises(ActionError) as error:
        enrolment.enrol_case(actor=personas.co_trainer, course=world.course, case=canada)
    assert error.value.code == "nobody_eligible"


def test_enrolment_schedules_the_case_where_the_table_allows(world, personas):
    world.us_case.status = CaseStatus.MEDICAL_CLEARED
    world.us_case.save()
    enrolment.enrol_case(actor=personas.co_trainer, course=world.course, case=world.us_case)
    world.us_case.refresh_from_db()
    assert world.us_case.status == CaseStatus.CO_SCHEDULED
    assert world.us_case.status_history.last().reason.startswith("Enrolled on the CO course")


def _adults(n: int):
    cases = []
    for _ in range(n):
        case = family("US", Programme.USRAP_P1, [dt.date(1980, 1, 1)])
        cases.append(case)
    request = EmbassyRequestFactory(valid_from=dt.date(2026, 1, 1))
    request.cases.add(*cases)
    return cases


def test_capacity_edge_the_last_seat_and_the_first_on_the_waiting_list(world, personas):
    course = world.course
    course.capacity = 3
    course.save()
    cases = _adults(4)
    for case in cases[:3]:
        result = enrolment.enrol_case(actor=personas.co_trainer, course=course, case=case)
        assert len(result.enrolled) == 1 and not result.waitlisted
    over = enrolment.enrol_case(actor=personas.co_trainer, course=course, case=cases[3])
    assert not over.enrolled and len(over.waitlisted) == 1
    assert course.enrolments.filter(status=EnrolmentStatus.ENROLLED).count() == 3
    # A seat frees up: the first on the waiting list takes it.
    first = course.enrolments.filter(status=EnrolmentStatus.ENROLLED).first()
    promoted = enrolment.withdraw(actor=personas.co_trainer, enrolment=first, reason="moved")
    assert promoted == over.waitlisted[0]
    promoted.refresh_from_db()
    assert promoted.status == EnrolmentStatus.ENROLLED
    assert [h.to_status for h in promoted.history.all()] == ["waitlisted", "enrolled"]


def test_a_family_split_across_the_last_seat(world, personas):
    world.course.capacity = 1
    world.course.save()
    result = enrolment.enrol_case(
        actor=personas.co_trainer, course=world.course, case=world.us_case
    )
    assert len(result.enrolled) == 1 and len(result.waitlisted) == 1


def test_enrolling_twice_skips_people_already_on(world, personas):
    enrolment.enrol_case(actor=personas.co_trainer, course=world.course, case=world.us_case)
    with pytest.raises(ActionError, match="already on this course"):
        enrolment.enrol_case(actor=personas.co_trainer, course=world.course, case=world.us_case)


def test_withdraw_needs_a_reason_and_follows_the_table(world, personas):
    result = enrolment.enrol_case(
        actor=personas.co_trainer, course=world.course, case=world.us_case
    )
    record = result.enrolled[0]
    with pytest.raises(ActionError):
        enrolment.withdraw(actor=personas.co_trainer, enrolment=record, reason=" ")
    enrolment.withdraw(actor=personas.co_trainer, enrolment=record, reason="ill")
    with pytest.raises(ConflictError):
        enrolment.withdraw(actor=personas.co_trainer, enrolment=record, reason="again")


def test_same_person_in_two_sessions_at_once_is_flagged(world, personas):
    enrolment.enrol_case(actor=personas.co_trainer, course=world.course, case=world.us_case)
    other = actions.plan_course(
        actor=personas.admin,
        curriculum=world.curriculum,
        title="Parallel",
        language="ru",
        venue="Osh",
    )
    actions.add_session(
        actor=personas.admin,
        course=other,
        starts_at=at(DAY, 12, 59),
        ends_at=at(DAY, 15),
        trainers=[personas.admin],
    )
    result = enrolment.enrol_case(actor=personas.admin, course=other, case=world.us_case)
    assert {c.kind for c in result.clashes} == {"session"}
    assert {c.person_id for c in result.clashes} == {e.person_id for e in result.enrolled}
    assert all(c.other == "USRAP CO June" for c in result.clashes)


def test_back_to_back_sessions_do_not_clash(world, personas):
    enrolment.enrol_case(actor=personas.co_trainer, course=world.course, case=world.us_case)
    other = actions.plan_course(
        actor=personas.admin,
        curriculum=world.curriculum,
        title="After",
        language="ru",
        venue="Osh",
    )
    actions.add_session(
        actor=personas.admin,
        course=other,
        starts_at=at(DAY, 13),
        ends_at=at(DAY, 15),
        trainers=[personas.admin],
    )
    result = enrolment.enrol_case(actor=personas.admin, course=other, case=world.us_case)
    assert result.clashes == []


def test_ages_are_taken_on_the_first_day_of_the_course(world, personas):
    # Turns 18 on the course's first day: an adult for this course.
    case = family("US", Programme.USRAP_P1, [dt.date(2008, 6, 1), dt.date(2008, 6, 2)])
    EmbassyRequestFactory(valid_from=dt.date(2026, 1, 1)).cases.add(case)
    result = enrolment.enrol_case(actor=personas.co_trainer, course=world.course, case=case)
    assert [e.person.date_of_birth for e in result.enrolled] == [dt.date(2008, 6, 1)]
    youth = Curriculum.objects.get(code="us-youth")
    assert youth.covers_age(17)


def test_session_on_the_day_of_a_medical_appointment_is_flagged(world, personas):
    from passage.health.choices import AssessmentStatus
    from passage.health.tests.factories import AssessmentFactory

    adult, spouse, child, _toddler = members(world.us_case)
    AssessmentFactory(person=adult, case=world.us_case, scheduled_for=DAY)
    AssessmentFactory(
        person=spouse, case=world.us_case, scheduled_for=DAY, status=AssessmentStatus.CANCELLED
    )
    AssessmentFactory(person=child, case=world.us_case, scheduled_for=DAY)  # not enrolled
    AssessmentFactory(person=spouse, case=world.us_case, scheduled_for=DAY + dt.timedelta(days=1))
    result = enrolment.enrol_case(
        actor=personas.co_trainer, course=world.course, case=world.us_case
    )
    medical = [c for c in result.clashes if c.kind == "medical"]
    assert [(c.person_id, c.session_id) for c in medical] == [(adult.pk, world.session.pk)]
    assert medical[0].starts_at == at(DAY, 0) and medical[0].other == "Medical appointment"
    # The roster shows the same flag.
    response = personas.client("co_trainer").get(f"/orientation/courses/{world.course.pk}/")
    assert response.content.decode().count("medical appointment") == 1
