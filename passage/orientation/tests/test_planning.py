"""Editing a planned course, removing sessions, enrolling chosen family members and
reordering the waiting list: actions, refusals, audit, pages and permissions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from passage.core.errors import ActionError, ConflictError
from passage.core.models import AuditEvent
from passage.orientation import actions, enrolment
from passage.orientation.choices import CourseStatus, EnrolmentStatus
from passage.orientation.models import Attendance, Enrolment, Session
from passage.orientation.tests.conftest import at, family, members
from passage.registry.choices import Programme
from passage.registry.tests.factories import EmbassyRequestFactory
from passage.testing.personas import assert_matrix

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 1)
DENIED = {
    "anonymous": 302,
    "outsider": 404,
    "embassy_us": 404,
    "embassy_other": 404,
    "medical_officer": 404,
}


def singles(count):
    cases = [family("US", Programme.USRAP_P1, [dt.date(1980, 1, 1)]) for _ in range(count)]
    EmbassyRequestFactory(valid_from=dt.date(2026, 1, 1)).cases.add(*cases)
    return cases


def waiting_names(course):
    return [e.case_id for e in enrolment.waiting_list(course)]


# --- editing a course -------------------------------------------------------------------


def test_edit_changes_the_course_and_records_what_changed(world, personas):
    actions.edit_course(
        actor=personas.co_trainer, course=world.course, language="ky", remote=True,
        venue="", capacity=30, interpreter_language="fa-AF", meals=True, trainers=None,
    )  # fmt: skip
    world.course.refresh_from_db()
    assert (world.course.language, world.course.remote, world.course.capacity) == ("ky", True, 30)
    assert world.course.meals and world.course.interpreter_language == "fa-AF"
    event = AuditEvent.objects.get(action="orientation.edit_course")
    assert event.changes["capacity"] == [25, 30]
    assert event.changes["language"] == ["ru", "ky"]
    assert "title" not in event.changes


def test_capacity_below_the_enrolled_is_refused_naming_the_field(world, personas):
    enrolment.enrol_case(actor=personas.co_trainer, course=world.course, case=world.us_case)
    with pytest.raises(ActionError) as error:
        actions.edit_course(
            actor=personas.co_trainer, course=world.course, capacity=1, title="Renamed"
        )
    assert error.value.field == "capacity" and error.value.code == "below_enrolled"
    assert "2 people already enrolled" in error.value.message
    world.course.refresh_from_db()
    assert (world.course.capacity, world.course.title) == (25, "USRAP CO June")
    assert not AuditEvent.objects.filter(action="orientation.edit_course").exists()
    # Exactly the number enrolled is allowed.
    actions.edit_course(actor=personas.co_trainer, course=world.course, capacity=2)
    world.course.refresh_from_db()
    assert world.course.capacity == 2


def test_more_capacity_takes_people_from_the_waiting_list_in_order(world, personas):
    world.course.capacity = 1
    world.course.save()
    first, second, third = singles(3)
    for case in (first, second, third):
        enrolment.enrol_case(actor=personas.co_trainer, course=world.course, case=case)
    actions.edit_course(actor=personas.co_trainer, course=world.course, capacity=2)
    statuses = dict(Enrolment.objects.values_list("case_id", "status"))
    assert statuses[second.pk] == EnrolmentStatus.ENROLLED
    assert statuses[third.pk] == EnrolmentStatus.WAITLISTED
    assert AuditEvent.objects.filter(action="orientation.promote").count() == 1


def test_trainers_are_replaced_on_every_session_and_a_busy_one_refused(world, personas):
    second = actions.add_session(
        actor=personas.co_trainer, course=world.course, starts_at=at(DAY, 14),
        ends_at=at(DAY, 16), trainers=[personas.co_trainer],
    )  # fmt: skip
    actions.edit_course(actor=personas.co_trainer, course=world.course, trainers=[personas.admin])
    for session in (world.session, second):
        assert list(session.trainers.all()) == [personas.admin]
    event = AuditEvent.objects.get(action="orientation.edit_course")
    assert event.changes["trainers"] == [[personas.co_trainer.pk], [personas.admin.pk]]
    other = actions.plan_course(
        actor=personas.co_trainer, curriculum=world.curriculum, title="Other", language="ru",
        venue="Osh",
    )  # fmt: skip
    actions.add_session(
        actor=personas.co_trainer, course=other, starts_at=at(DAY, 15), ends_at=at(DAY, 17),
        trainers=[personas.co_trainer],
    )  # fmt: skip
    with pytest.raises(ConflictError) as error:
        actions.edit_course(
            actor=personas.co_trainer, course=world.course, trainers=[personas.co_trainer],
            capacity=9,
        )  # fmt: skip
    assert error.value.code == "trainer_busy" and error.value.field == "trainers"
    world.course.refresh_from_db()
    assert world.course.capacity == 25
    assert list(second.trainers.all()) == [personas.admin]
    with pytest.raises(ActionError, match="at least one trainer"):
        actions.edit_course(actor=personas.co_trainer, course=world.course, trainers=[])


def test_a_held_course_cannot_be_edited(world, personas):
    actions.change_course_status(
        actor=personas.co_trainer, course=world.course, to=CourseStatus.COMPLETED
    )
    with pytest.raises(ConflictError) as error:
        actions.edit_course(actor=personas.co_trainer, course=world.course, capacity=9)
    assert error.value.code == "course_closed"


def test_edit_page_refuses_capacity_below_enrolled_on_the_field(world, personas):
    enrolment.enrol_case(actor=personas.co_trainer, course=world.course, case=world.us_case)
    client = personas.client("co_trainer")
    url = reverse("orientation:course_edit", args=[world.course.pk])
    form = {
        "title": "USRAP CO June", "language": "ru", "venue": "Bishkek", "capacity": "1",
        "trainers": [personas.co_trainer.pk],
    }  # fmt: skip
    response = client.post(url, form)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "capacity" in errors and "2 people already enrolled" in errors["capacity"][0]
    response = client.post(url, {**form, "capacity": "12", "childminding": "on"})
    assert response.status_code == 302
    world.course.refresh_from_db()
    assert world.course.capacity == 12 and world.course.childminding


def test_edit_and_enrol_pages_permission_matrix(world, personas):
    edit = reverse("orientation:course_edit", args=[world.course.pk])
    assert_matrix(
        personas,
        lambda c: c.get(edit),
        {**DENIED, "case_worker": 403, "co_trainer": 200, "admin": 200},
    )
    enrol = reverse("orientation:enrol", args=[world.course.pk])
    assert_matrix(
        personas,
        lambda c: c.get(enrol, {"file_number": world.us_case.file_number}),
        {**DENIED, "case_worker": 200, "co_trainer": 200, "admin": 200},
    )


# --- sessions -----------------------------------------------------------------------------


def test_remove_session_from_the_course_page(world, personas):
    spare = actions.add_session(
        actor=personas.co_trainer, course=world.course, starts_at=at(DAY, 14),
        ends_at=at(DAY, 16), trainers=[personas.co_trainer],
    )  # fmt: skip
    page = personas.client("co_trainer").get(reverse("orientation:course", args=[world.course.pk]))
    url = reverse("orientation:session_remove", args=[spare.pk])
    assert url in page.content.decode()
    assert_matrix(
        personas,
        lambda c: c.post(url),
        {**DENIED, "case_worker": 403, "co_trainer": 302},
    )
    assert not Session.objects.filter(pk=spare.pk).exists()
    again = actions.add_session(
        actor=personas.co_trainer, course=world.course, starts_at=at(DAY, 14),
        ends_at=at(DAY, 16), trainers=[personas.co_trainer],
    )  # fmt: skip
    url = reverse("orientation:session_remove", args=[again.pk])
    assert personas.client("admin").post(url).status_code == 302
    assert not Session.objects.filter(pk=again.pk).exists()
    assert AuditEvent.objects.filter(action="orientation.remove_session").count() == 2


def test_session_with_attendance_is_not_removed(world, personas):
    result = enrolment.enrol_case(
        actor=personas.co_trainer, course=world.course, case=world.us_case
    )
    enrolment.record_attendance(
        actor=personas.co_trainer, session=world.session,
        hours={result.enrolled[0].pk: Decimal(4)},
    )  # fmt: skip
    client = personas.client("co_trainer")
    url = reverse("orientation:session_remove", args=[world.session.pk])
    response = client.post(url, follow=True)
    assert "Attendance is recorded for this session" in response.content.decode()
    assert Session.objects.filter(pk=world.session.pk).exists()
    assert Attendance.objects.count() == 1


# --- enrolling chosen members ------------------------------------------------------------


def test_enrol_page_ticks_the_eligible_and_explains_the_rest(world, personas):
    client = personas.client("case_worker")
    url = reverse("orientation:enrol", args=[world.course.pk])
    response = client.get(url, {"file_number": world.us_case.file_number})
    assert response.status_code == 200
    people = members(world.us_case)
    form = response.context["members"]
    assert [int(pk) for pk, _name in form.fields["people"].choices] == [p.pk for p in people[:2]]
    assert form.initial["people"] == [p.pk for p in people[:2]]
    body = response.content.decode()
    assert body.count('type="checkbox"') == 2 and body.count("checked") == 2
    assert body.count("the course is for ages 18+") == 2


def test_enrol_only_the_ticked_member(world, personas):
    client = personas.client("case_worker")
    url = reverse("orientation:enrol", args=[world.course.pk])
    mother = members(world.us_case)[1]
    number = world.us_case.file_number
    response = client.post(url, {"file_number": number, "people": [mother.pk]})
    assert response.status_code == 302
    assert list(Enrolment.objects.values_list("person_id", flat=True)) == [mother.pk]
    response = client.post(url, {"file_number": number})
    assert response.status_code == 400
    assert "Tick at least one family member" in response.content.decode()
    child = members(world.us_case)[2]
    response = client.post(url, {"file_number": number, "people": [child.pk]})
    assert response.status_code == 400
    assert Enrolment.objects.count() == 1
    # The one already enrolled is no longer offered.
    response = client.get(url, {"file_number": number})
    assert "already on this course" in response.content.decode()


# --- the waiting list -----------------------------------------------------------------


def test_waiting_list_moves_by_hand_and_decides_who_is_promoted(world, personas):
    world.course.capacity = 1
    world.course.save()
    seated, first, second, third = singles(4)
    for case in (seated, first, second, third):
        enrolment.enrol_case(actor=personas.co_trainer, course=world.course, case=case)
    assert waiting_names(world.course) == [first.pk, second.pk, third.pk]
    moving = Enrolment.objects.get(case=third)
    enrolment.move_waiting(actor=personas.co_trainer, enrolment=moving, direction="up")
    enrolment.move_waiting(actor=personas.co_trainer, enrolment=moving, direction="up")
    assert waiting_names(world.course) == [third.pk, first.pk, second.pk]
    event = AuditEvent.objects.filter(action="orientation.waitlist_move").last()
    assert event is not None and event.extra["direction"] == "up"
    with pytest.raises(ActionError, match="Already first") as error:
        enrolment.move_waiting(actor=personas.co_trainer, enrolment=moving, direction="up")
    assert error.value.field == "direction"
    last = Enrolment.objects.get(case=second)
    with pytest.raises(ActionError, match="Already last"):
        enrolment.move_waiting(actor=personas.co_trainer, enrolment=last, direction="down")
    # Someone new waits at the end, after the hand-set order.
    (late,) = singles(1)
    enrolment.enrol_case(actor=personas.co_trainer, course=world.course, case=late)
    assert waiting_names(world.course) == [third.pk, first.pk, second.pk, late.pk]
    promoted = enrolment.withdraw(
        actor=personas.co_trainer, enrolment=Enrolment.objects.get(case=seated), reason="ill"
    )
    assert promoted is not None and promoted.case_id == third.pk
    with pytest.raises(ActionError, match="not on the waiting list"):
        enrolment.move_waiting(actor=personas.co_trainer, enrolment=promoted, direction="down")


def test_waiting_list_buttons_and_permissions(world, personas):
    world.course.capacity = 1
    world.course.save()
    cases = singles(3)
    for case in cases:
        enrolment.enrol_case(actor=personas.co_trainer, course=world.course, case=case)
    waiting = Enrolment.objects.get(case=cases[1])
    url = reverse("orientation:waitlist_move", args=[waiting.pk])
    page = personas.client("co_trainer").get(reverse("orientation:course", args=[world.course.pk]))
    assert url in page.content.decode()
    assert_matrix(
        personas,
        lambda c: c.post(url, {"direction": "down"}),
        {**DENIED, "case_worker": 403, "co_trainer": 302},
    )
    assert waiting_names(world.course) == [cases[2].pk, cases[1].pk]
    assert AuditEvent.objects.filter(action="orientation.waitlist_move").count() == 1
