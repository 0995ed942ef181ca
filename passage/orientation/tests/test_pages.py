"""Pages: permission matrices, the attendance form's refusal, query budgets."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from passage.orientation import actions, enrolment
from passage.orientation.models import Attendance, Curriculum
from passage.orientation.tests.conftest import at, family, members
from passage.registry.choices import Programme
from passage.registry.tests.factories import EmbassyRequestFactory
from passage.testing.personas import assert_matrix

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 1)
NEXT = DAY + dt.timedelta(days=1)

STAFF_VIEW = {
    "anonymous": 302,
    "outsider": 403,
    "embassy_us": 403,
    "embassy_other": 403,
    "medical_officer": 403,
    "case_worker": 200,
    "co_trainer": 200,
    "admin": 200,
}
OBJECT_VIEW = {**STAFF_VIEW, "outsider": 404, "embassy_us": 404, "embassy_other": 404,
               "medical_officer": 404}  # fmt: skip


@pytest.fixture
def enrolled(world, personas):
    return enrolment.enrol_case(actor=personas.co_trainer, course=world.course, case=world.us_case)


@pytest.mark.parametrize("name", ["orientation:home", "orientation:curricula"])
def test_list_pages(world, personas, name):
    assert_matrix(personas, lambda c: c.get(reverse(name)), STAFF_VIEW)


def test_plan_page(world, personas):
    expected = {**STAFF_VIEW, "case_worker": 403}
    assert_matrix(personas, lambda c: c.get(reverse("orientation:course_new")), expected)


def test_object_pages(world, personas, enrolled):
    urls = [
        reverse("orientation:course", args=[world.course.pk]),
        reverse("orientation:attendance", args=[world.session.pk]),
        reverse("orientation:enrolment", args=[enrolled.enrolled[0].pk]),
        reverse("orientation:session_ics", args=[world.session.pk]),
    ]
    for url in urls:

        def get(client, url=url):
            return client.get(url)

        assert_matrix(personas, get, OBJECT_VIEW)


def test_case_status_partial_follows_the_case_scope(world, personas, enrolled):
    url = reverse("orientation:case_status", args=[world.us_case.pk])
    assert_matrix(
        personas,
        lambda c: c.get(url),
        {
            "anonymous": 302, "outsider": 404, "embassy_other": 404, "stats_reader": 404,
            "embassy_us": 200, "case_worker": 200, "co_trainer": 200, "medical_officer": 200,
        },
    )  # fmt: skip
    body = personas.client("case_worker").get(url).content.decode()
    assert "co-status" in body and "3 people to complete" in body and "<html" in body
    partial = personas.client("case_worker").get(url, headers={"HX-Request": "true"})
    assert "co-status" in partial.content.decode() and "<html" not in partial.content.decode()


def test_stats_calendar_and_curriculum_admin(world, personas):
    assert_matrix(
        personas,
        lambda c: c.get(reverse("orientation:stats")),
        {**STAFF_VIEW, "stats_reader": 200},
    )
    assert_matrix(
        personas,
        lambda c: c.get(reverse("orientation:calendar")),
        {**STAFF_VIEW, "case_worker": 403},
    )
    url = reverse("orientation:curriculum_new_version", args=[world.curriculum.pk])
    assert_matrix(
        personas,
        lambda c: c.get(url),
        {**OBJECT_VIEW, "case_worker": 403, "co_trainer": 403, "admin": 200},
    )


def test_posts_need_their_permission(world, personas, enrolled):
    add = reverse("orientation:session_add", args=[world.course.pk])
    enrol = reverse("orientation:enrol", args=[world.course.pk])
    attend = reverse("orientation:attendance", args=[world.session.pk])
    denied = {k: v for k, v in OBJECT_VIEW.items() if v != 200}
    staff = {"case_worker": 403, "co_trainer": 400, "admin": 400}
    assert_matrix(personas, lambda c: c.post(add, {}), {**denied, **staff})
    staff = {"case_worker": 400, "co_trainer": 400, "admin": 400}
    assert_matrix(personas, lambda c: c.post(enrol, {}), {**denied, **staff})
    staff = {"case_worker": 403, "co_trainer": 302, "admin": 302}
    assert_matrix(personas, lambda c: c.post(attend, {}), {**denied, **staff})


def test_attendance_form_refuses_hours_over_the_session(world, personas, enrolled):
    first, second = enrolled.enrolled
    url = reverse("orientation:attendance", args=[world.session.pk])
    client = personas.client("co_trainer")
    response = client.post(url, {f"hours_{first.pk}": "4", f"hours_{second.pk}": "4,5"})
    assert response.status_code == 400
    assert "longer than the session (4.00 h)" in response.content.decode()
    assert not Attendance.objects.exists()
    response = client.post(url, {f"hours_{first.pk}": "4", f"hours_{second.pk}": "3,5"})
    assert response.status_code == 302
    assert sorted(Attendance.objects.values_list("hours", flat=True)) == [Decimal("3.5"), 4]


def test_trainer_plans_a_course_and_adds_an_overlapping_session_through_the_pages(world, personas):
    client = personas.client("co_trainer")
    response = client.post(
        reverse("orientation:course_new"),
        {"curriculum": world.curriculum.pk, "title": "July", "language": "ru", "venue": "Bishkek",
         "capacity": "25"},
    )  # fmt: skip
    assert response.status_code == 302
    course = world.course.__class__.objects.get(title="July")
    response = client.post(
        reverse("orientation:session_add", args=[course.pk]),
        {
            "day": "2026-06-01",
            "start": "12:00",
            "end": "14:00",
            "trainers": [personas.co_trainer.pk],
        },
    )
    assert response.status_code == 400
    assert "already teaching USRAP CO June" in response.content.decode()
    assert course.sessions.count() == 0


def test_enrol_page_puts_the_family_on_and_reports_the_waiting_list(world, personas):
    world.course.capacity = 1
    world.course.save()
    client = personas.client("case_worker")
    adults = [p.pk for p in members(world.us_case)[:2]]
    response = client.post(
        reverse("orientation:enrol", args=[world.course.pk]),
        {"file_number": world.us_case.file_number, "people": adults},
        follow=True,
    )
    body = response.content.decode()
    assert "Enrolled:" in body and "waiting list" in body
    response = client.post(
        reverse("orientation:enrol", args=[world.course.pk]), {"file_number": "NOPE"}
    )
    assert response.status_code == 400 and "No case NOPE" in response.content.decode()


def test_course_page_queries_do_not_grow_with_participants(
    world, personas, django_assert_max_num_queries
):
    client = personas.client("co_trainer")
    url = reverse("orientation:course", args=[world.course.pk])
    client.get(url)
    cases = [family("US", Programme.USRAP_P1, [dt.date(1980, 1, 1)]) for _ in range(8)]
    request = EmbassyRequestFactory(valid_from=dt.date(2026, 1, 1))
    request.cases.add(*cases)
    for case in cases:
        enrolment.enrol_case(actor=personas.co_trainer, course=world.course, case=case)
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert response.content.decode().count("KGZ-") >= 8


def test_home_queries_do_not_grow_with_courses(world, personas, django_assert_max_num_queries):
    coa = Curriculum.objects.get(code="ca-coa")
    for n in range(6):
        course = actions.plan_course(
            actor=personas.admin, curriculum=coa, title=f"COA {n}", language="ru", venue="B"
        )
        actions.add_session(
            actor=personas.admin,
            course=course,
            starts_at=at(NEXT, 6 + 2 * n),
            ends_at=at(NEXT, 7 + 2 * n),
            trainers=[personas.co_trainer if n % 2 else personas.admin],
        )
    client = personas.client("co_trainer")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("orientation:home"))
    assert response.content.decode().count("COA ") >= 6


def test_case_status_tag_renders_the_same_partial(world, personas, enrolled):
    from django.template import Context, Template

    html = Template("{% load orientation %}{% co_status case %}").render(
        Context({"case": world.us_case})
    )
    assert f'id="co-status-{world.us_case.pk}"' in html and "enrolled" in html


def test_admin_lists_are_read_only_and_open(world, personas, enrolled):
    client = personas.client("admin")
    for name in ("curriculum", "course", "session", "enrolment", "attendance"):
        assert client.get(f"/admin/orientation/{name}/").status_code == 200
    assert client.get("/admin/orientation/course/add/").status_code == 403


def test_withdraw_status_and_scores_posts_matrix(world, personas, enrolled):
    denied = {k: v for k, v in OBJECT_VIEW.items() if v != 200}
    record = enrolled.enrolled[0]
    withdraw = reverse("orientation:withdraw", args=[record.pk])
    status = reverse("orientation:course_status", args=[world.course.pk])
    scores = reverse("orientation:enrolment", args=[record.pk])
    # An empty reason or an unknown status is refused after the permission check (302 back).
    staff = {"case_worker": 302, "co_trainer": 302, "admin": 302}
    assert_matrix(personas, lambda c: c.post(withdraw, {}), {**denied, **staff})
    assert_matrix(
        personas, lambda c: c.post(status, {"to": "x"}), {**denied, **staff, "case_worker": 403}
    )
    assert_matrix(
        personas,
        lambda c: c.post(scores, {"pre_test_score": "500"}),
        {**denied, "case_worker": 403, "co_trainer": 200, "admin": 200},
    )
    record.refresh_from_db()
    assert record.status == "enrolled" and record.pre_test_score is None
