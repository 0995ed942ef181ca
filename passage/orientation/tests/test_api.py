"""The orientation API: permission matrices and the same rules as the pages."""

import datetime as dt

import pytest

from passage.orientation.models import Attendance
from passage.orientation.tests.conftest import at
from passage.testing.personas import assert_matrix

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 1)
READ = {
    "anonymous": 401, "outsider": 401, "embassy_us": 403, "embassy_other": 403,
    "medical_officer": 403, "case_worker": 200, "co_trainer": 200, "admin": 200,
}  # fmt: skip


def test_read_endpoints(world, personas):
    for url in ("/api/v1/orientation/curricula", "/api/v1/orientation/courses"):

        def get(client, url=url):
            return client.get(url)

        assert_matrix(personas, get, READ, api=True)
    url = f"/api/v1/orientation/courses/{world.course.pk}"
    expected = {**READ, "embassy_us": 404, "embassy_other": 404,
                "medical_officer": 404}  # fmt: skip
    assert_matrix(personas, lambda c: c.get(url), expected, api=True)
    stats = {**READ, "stats_reader": 200}
    assert_matrix(personas, lambda c: c.get("/api/v1/orientation/stats"), stats, api=True)
    status = f"/api/v1/orientation/cases/{world.us_case.pk}/status"
    assert_matrix(
        personas,
        lambda c: c.get(status),
        {"anonymous": 401, "outsider": 401, "embassy_other": 404, "embassy_us": 200,
         "co_trainer": 200},
        api=True,
    )  # fmt: skip


def test_plan_enrol_attend_over_the_api(world, personas):
    client = personas.api_client("co_trainer")
    response = client.post(
        "/api/v1/orientation/courses",
        {"curriculum_id": world.curriculum.pk, "title": "API course", "language": "ru",
         "venue": "Bishkek", "capacity": 1},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    course_id = response.json()["id"]
    clash = client.post(
        f"/api/v1/orientation/courses/{course_id}/sessions",
        {"starts_at": at(DAY, 10).isoformat(), "ends_at": at(DAY, 11).isoformat(),
         "trainer_ids": [personas.co_trainer.pk]},
        content_type="application/json",
    )  # fmt: skip
    assert clash.status_code == 409 and clash.json()["code"] == "trainer_busy"
    session = client.post(
        f"/api/v1/orientation/courses/{course_id}/sessions",
        {"starts_at": at(DAY, 13).isoformat(), "ends_at": at(DAY, 14).isoformat(),
         "trainer_ids": [personas.co_trainer.pk]},
        content_type="application/json",
    )  # fmt: skip
    assert session.status_code == 201
    enrolled = client.post(
        f"/api/v1/orientation/courses/{course_id}/enrolments",
        {"case_id": world.us_case.pk},
        content_type="application/json",
    )
    assert enrolled.status_code == 201
    body = enrolled.json()
    assert len(body["enrolled"]) == 1 and len(body["waitlisted"]) == 1
    assert len(body["skipped"]) == 2
    session_id = session.json()["id"]
    too_long = client.post(
        f"/api/v1/orientation/sessions/{session_id}/attendance",
        {"rows": [{"enrolment_id": body["enrolled"][0]["id"], "hours": "1.5"}]},
        content_type="application/json",
    )
    assert too_long.status_code == 400 and too_long.json()["code"] == "longer_than_session"
    assert not Attendance.objects.exists()
    ok = client.post(
        f"/api/v1/orientation/sessions/{session_id}/attendance",
        {"rows": [{"enrolment_id": body["enrolled"][0]["id"], "hours": "1"}]},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()[0]["hours_attended"] == "1.00"
    denied = personas.api_client("case_worker").post(
        f"/api/v1/orientation/sessions/{session_id}/attendance",
        {"rows": [{"enrolment_id": body["enrolled"][0]["id"], "hours": "1"}]},
        content_type="application/json",
    )
    assert denied.status_code == 403


def test_change_course_remove_session_and_move_on_the_waiting_list(world, personas):
    from passage.orientation import actions, enrolment
    from passage.orientation.models import Enrolment, Session
    from passage.orientation.tests.test_planning import singles

    url = f"/api/v1/orientation/courses/{world.course.pk}"
    write = {**READ, "embassy_us": 404, "embassy_other": 404, "medical_officer": 404,
             "case_worker": 403, "co_trainer": 200, "admin": 200}  # fmt: skip
    assert_matrix(
        personas,
        lambda c: c.patch(url, {"meals": True}, content_type="application/json"),
        write,
        api=True,
    )
    client = personas.api_client("co_trainer")
    world.course.capacity = 1
    world.course.save()
    cases = singles(3)
    for case in cases:
        enrolment.enrol_case(actor=personas.co_trainer, course=world.course, case=case)
    low = client.patch(url, {"capacity": 0, "title": "X"}, content_type="application/json")
    assert low.status_code == 400 and low.json()["field"] == "capacity"
    unknown = client.patch(url, {"trainer_ids": [999999]}, content_type="application/json")
    assert unknown.status_code == 400 and unknown.json()["field"] == "trainer_ids"
    waiting = Enrolment.objects.get(case=cases[1])
    move = f"/api/v1/orientation/enrolments/{waiting.pk}/move"
    response = client.post(move, {"direction": "down"}, content_type="application/json")
    assert response.status_code == 200
    assert [e["case_id"] for e in response.json()] == [cases[2].pk, cases[1].pk]
    again = client.post(move, {"direction": "down"}, content_type="application/json")
    assert again.status_code == 400 and again.json()["field"] == "direction"
    spare = actions.add_session(
        actor=personas.co_trainer, course=world.course, starts_at=at(DAY, 14),
        ends_at=at(DAY, 16), trainers=[personas.co_trainer],
    )  # fmt: skip
    assert client.delete(f"/api/v1/orientation/sessions/{spare.pk}").status_code == 204
    assert not Session.objects.filter(pk=spare.pk).exists()
    other = personas.api_client("case_worker")
    assert other.delete(f"/api/v1/orientation/sessions/{world.session.pk}").status_code == 403
