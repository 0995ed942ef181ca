"""Statistics, and the remaining pages' writes: withdraw, course status, scores, curricula."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from passage.core.models import AuditEvent
from passage.orientation import enrolment, queries
from passage.orientation.models import Curriculum, Enrolment

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 1)


@pytest.fixture
def attended(world, personas):
    result = enrolment.enrol_case(
        actor=personas.co_trainer, course=world.course, case=world.us_case
    )
    first, second = result.enrolled
    world.curriculum.required_hours = world.curriculum.min_hours = Decimal(4)
    world.curriculum.save()
    enrolment.record_attendance(
        actor=personas.co_trainer,
        session=world.session,
        hours={first.pk: Decimal(4), second.pk: Decimal(2)},
    )
    return first, second


def test_people_trained_and_attendance_rate(world, attended):
    trained = queries.trained_by_destination(dt.date(2026, 1, 1), DAY)
    assert trained == [{"period": dt.date(2026, 6, 1), "destination": "US", "people": 1}]
    yearly = queries.trained_by_destination(dt.date(2026, 1, 1), DAY, "year")
    assert yearly[0]["period"] == dt.date(2026, 1, 1)
    assert queries.trained_by_destination(dt.date(2026, 6, 2), dt.date(2026, 12, 31)) == []
    (rate,) = queries.attendance_rate(dt.date(2026, 1, 1), DAY)
    assert (rate["offered"], rate["present"], rate["rate"]) == (
        Decimal(8),
        Decimal(6),
        Decimal("75.0"),
    )


def test_stats_page_and_api_show_the_same_figures(world, personas, attended):
    page = personas.client("stats_reader").get(
        reverse("orientation:stats"), {"from": "2026-01-01", "to": "2026-06-01"}
    )
    assert "75.0 %" in page.content.decode()
    api = personas.api_client("stats_reader").get(
        "/api/v1/orientation/stats", {"from": "2026-01-01", "to": "2026-06-01"}
    )
    assert api.json()["trained"] == [{"period": "2026-06-01", "destination": "US", "people": 1}]


def test_scores_page_keeps_scores_within_bounds(world, personas, attended):
    first, _second = attended
    url = reverse("orientation:enrolment", args=[first.pk])
    client = personas.client("co_trainer")
    response = client.post(url, {"pre_test_score": "101", "post_test_score": "80"})
    assert response.status_code == 200 and "between 0 and 100" in response.content.decode()
    first.refresh_from_db()
    assert first.pre_test_score is None
    client.post(url, {"pre_test_score": "40", "post_test_score": "85", "trainer_notes": "Active"})
    saved = Enrolment.objects.get(pk=first.pk)
    assert (saved.pre_test_score, saved.post_test_score, saved.trainer_notes) == (40, 85, "Active")
    assert personas.client("case_worker").post(url, {"pre_test_score": "1"}).status_code == 403


def test_withdraw_and_course_status_pages(world, personas, attended):
    first, _second = attended
    client = personas.client("co_trainer")
    client.post(reverse("orientation:withdraw", args=[first.pk]), {"reason": "moved away"})
    first.refresh_from_db()
    assert first.status == "withdrawn"
    client.post(reverse("orientation:course_status", args=[world.course.pk]), {"to": "completed"})
    world.course.refresh_from_db()
    assert world.course.status == "completed"
    response = client.post(
        reverse("orientation:course_status", args=[world.course.pk]),
        {"to": "cancelled"},
        follow=True,
    )
    assert "Cannot move" in response.content.decode()


def test_admin_adds_a_curriculum_version_on_its_page(world, personas):
    base = Curriculum.objects.get(code="no-child")
    url = reverse("orientation:curriculum_new_version", args=[base.pk])
    form = personas.client("admin").get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        effective_from="2026-08-01", change_note="IMDi: three days", days="3", programmes=[]
    )
    response = personas.client("admin").post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    new = Curriculum.objects.get(code="no-child", effective_from=dt.date(2026, 8, 1))
    assert (new.days, new.min_age, new.max_age, new.source_note) == (3, 8, 15, base.source_note)
    assert AuditEvent.objects.filter(action="orientation.curriculum_version").exists()
