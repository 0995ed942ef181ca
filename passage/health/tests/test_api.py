"""API: the same need-to-know split, audited detail reads, JSON refusals naming the field."""

from __future__ import annotations

from passage.core.models import AuditEvent
from passage.health.choices import AssessmentStatus
from passage.health.models import Assessment, TbTest
from passage.health.tests.conftest import TODAY
from passage.health.tests.factories import AssessmentFactory
from passage.testing.personas import assert_matrix

DETAIL: dict[str, int | tuple[int, ...]] = {
    "anonymous": 401, "outsider": (401, 403), "admin": 403, "case_worker": 403,
    "movement_officer": 403, "embassy_us": 403, "embassy_other": 403, "unhcr": 403,
    "medical_officer": 200,
}  # fmt: skip


def test_summary_endpoint(personas, family):
    url = f"/api/v1/health/cases/{family.case.pk}/summary"
    assert_matrix(personas, lambda c: c.get(url), {
        "anonymous": 401, "outsider": (401, 403), "co_trainer": 403, "embassy_other": 404,
        "embassy_us": 200, "case_worker": 200, "movement_officer": 200, "admin": 200,
        "medical_officer": 200,
    }, api=True)  # fmt: skip
    data = personas.api_client("embassy_us").get(url).json()
    assert {row["status"] for row in data} == {"none"}
    assert "tb_tests" not in data[0] and "tb_class" not in data[0]


def test_record_endpoint_is_detail_and_audited(personas, family):
    url = f"/api/v1/health/people/{family.adult.pk}/record"
    assert_matrix(personas, lambda c: c.get(url), DETAIL, api=True)
    assert (
        AuditEvent.objects.filter(
            action="health.view_detail", object_id=str(family.adult.pk), extra__via="api"
        ).count()
        == 1
    )


def test_lists_are_detail(personas, family):
    assert_matrix(personas, lambda c: c.get(f"/api/v1/health/day?day={TODAY}"), DETAIL, api=True)
    assert_matrix(personas, lambda c: c.get("/api/v1/health/pending"), DETAIL, api=True)


def test_clinic_day_over_api(personas, family):
    client = personas.api_client("medical_officer")
    response = client.post(
        "/api/v1/health/assessments",
        {
            "person_id": family.adult.pk,
            "exam_type": "us_panel",
            "clinic_id": family.clinic.pk,
            "on": TODAY.isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    aid = response.json()["id"]
    response = client.post(
        f"/api/v1/health/assessments/{aid}/exam",
        {"examined_on": TODAY.isoformat(), "physician": "Dr A"},
        content_type="application/json",
    )
    assert response.json()["status"] == "examined"
    bad = client.post(
        f"/api/v1/health/assessments/{aid}/tests",
        {
            "kind": "smear",
            "collected_on": "2026-03-02",
            "result": "negative",
            "result_on": "2026-03-01",
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "result_on"
    assert not TbTest.objects.exists()
    ok = client.post(
        f"/api/v1/health/assessments/{aid}/tests",
        {
            "kind": "xray",
            "collected_on": "2026-03-02",
            "result": "normal",
            "result_on": "2026-03-02",
        },
        content_type="application/json",
    )
    assert ok.status_code == 201
    done = client.post(
        f"/api/v1/health/assessments/{aid}/outcome",
        {"outcome": "cleared"},
        content_type="application/json",
    )
    assert done.json()["valid_until"] == "2026-09-02"


def test_writes_refused_to_others(personas, family):
    a = AssessmentFactory(person=family.adult, case=family.case)
    url = f"/api/v1/health/assessments/{a.pk}/exam"
    body = {"examined_on": TODAY.isoformat(), "physician": "Dr X"}
    assert_matrix(personas, lambda c: c.post(url, body, content_type="application/json"), {
        "anonymous": 401, "admin": 404, "case_worker": 404, "embassy_us": 404,
    }, api=True)  # fmt: skip
    assert Assessment.objects.get().status == AssessmentStatus.SCHEDULED
