"""Pages: permission matrices (need-to-know), audited reads, and forms that refuse clearly."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from passage.core.models import AuditEvent
from passage.health.choices import AssessmentStatus, LabResult
from passage.health.models import Assessment, TbTest
from passage.health.tests.conftest import TODAY
from passage.health.tests.factories import AssessmentFactory, TbTestFactory
from passage.registry.tests.factories import CaseFactory, MembershipFactory
from passage.testing.personas import Personas, assert_matrix

DETAIL_ONLY: dict[str, int | tuple[int, ...]] = {
    "anonymous": 302, "outsider": 403, "admin": 403, "case_worker": 403,
    "movement_officer": 403, "co_trainer": 403, "finance_officer": 403, "embassy_us": 403,
    "embassy_other": 403, "unhcr": 403, "medical_officer": 200,
}  # fmt: skip


def test_medical_pages_matrix(personas, family):
    for name in ("health:day", "health:pending", "health:expiring"):
        _matrix_get(personas, reverse(name))


def _matrix_get(personas: Personas, url: str) -> None:
    assert_matrix(personas, lambda c: c.get(url), DETAIL_ONLY)


def test_record_matrix_and_audit(personas, family):
    url = reverse("health:record", args=[family.adult.pk])
    assert_matrix(personas, lambda c: c.get(url), DETAIL_ONLY)
    events = AuditEvent.objects.filter(action="health.view_detail", object_id=str(family.adult.pk))
    assert events.count() == 1
    assert events.get().actor == personas.medical_officer


def test_summary_partial_matrix(personas, family):
    url = reverse("health:case_summary", args=[family.case.pk])
    assert_matrix(personas, lambda c: c.get(url), {
        "anonymous": 302, "outsider": 403, "co_trainer": 403, "finance_officer": 403,
        "embassy_other": 404, "unhcr": 404, "embassy_us": 200, "admin": 200,
        "case_worker": 200, "movement_officer": 200, "medical_officer": 200,
    })  # fmt: skip
    assert not AuditEvent.objects.filter(action="health.view_detail").exists()


def test_partner_summary_has_no_diagnosis(personas, family):
    a = AssessmentFactory(
        person=family.adult,
        case=family.case,
        status=AssessmentStatus.CLEARED_FOLLOW_UP,
        tb_class="B1",
        valid_until=dt.date(2026, 6, 2),
        notes="cavitary lesion",
    )
    TbTestFactory(assessment=a, finding="fibrotic scarring right upper lobe")
    body = (
        personas.client("embassy_us")
        .get(reverse("health:case_summary", args=[family.case.pk]))
        .content.decode()
    )
    assert "Cleared, follow-up at destination" in body and "2026-06-02" in body
    for secret in ("B1", "scarring", "cavitary", "X-ray", "health/people"):
        assert secret not in body


def test_clinics_and_rules_pages(personas, family):
    assert_matrix(personas, lambda c: c.get(reverse("health:clinics")), {
        "anonymous": 302, "outsider": 403, "embassy_us": 403, "case_worker": 403,
        "admin": 200, "medical_officer": 200,
    })  # fmt: skip
    assert_matrix(personas, lambda c: c.get(reverse("health:rules")), {
        "anonymous": 302, "outsider": 403, "embassy_us": 403, "admin": 200,
        "case_worker": 200, "medical_officer": 200,
    })  # fmt: skip


def test_writes_are_medical_only(personas, family):
    a = AssessmentFactory(person=family.adult, case=family.case)
    url = reverse("health:exam", args=[a.pk])
    data = {"examined_on": TODAY.isoformat(), "physician": "Dr X"}
    assert_matrix(personas, lambda c: c.post(url, data), {
        "anonymous": 302, "outsider": 404, "admin": 404, "case_worker": 404,
        "embassy_us": 404, "embassy_other": 404,
    })  # fmt: skip
    a.refresh_from_db()
    assert a.status == AssessmentStatus.SCHEDULED


def test_bad_result_date_names_the_field(personas, family):
    a = AssessmentFactory(
        person=family.adult, case=family.case, status=AssessmentStatus.EXAMINED, examined_on=TODAY
    )
    client = personas.client("medical_officer")
    response = client.post(
        reverse("health:test", args=[a.pk]),
        {
            "kind": "smear",
            "collected_on": "2026-03-02",
            "result": LabResult.NEGATIVE,
            "result_on": "2026-03-01",
        },
        follow=True,
    )
    assert "Result date: The result date 2026-03-01 is before the sample date" in (
        response.content.decode()
    )
    assert not TbTest.objects.exists()


def test_day_list_queries(personas, family, django_assert_max_num_queries):
    for _ in range(5):
        case = CaseFactory()
        m = MembershipFactory(case=case)
        AssessmentFactory(person=m.person, case=case, clinic=family.clinic, scheduled_for=TODAY)
    client = personas.client("medical_officer")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("health:day"), {"day": TODAY.isoformat()})
    assert response.content.decode().count('href="/health/people/') == 5
    event = AuditEvent.objects.get(action="health.view_detail", extra__via="page:day")
    assert len(event.extra["people"]) == 5 and event.actor == personas.medical_officer
    assert Assessment.objects.count() == 5


def test_audit_log_holds_no_diagnosis(personas, family):
    """The audit log is readable by administrators: it names records, never findings."""
    from passage.health import actions, records
    from passage.health.tests.helpers import cleared

    a = cleared(
        personas.medical_officer,
        family.case,
        family.adult,
        family.clinic,
        TODAY,
        outcome=AssessmentStatus.CLEARED_FOLLOW_UP,
        tb_class="B1",
    )
    assert a.tb_class == "B1"
    b = actions.schedule_assessment(
        actor=personas.medical_officer, case=family.case, person=family.child,
        exam_type="us_panel", clinic=family.clinic, on=TODAY,
    )  # fmt: skip
    actions.record_exam(
        actor=personas.medical_officer, assessment=b, examined_on=TODAY, physician="Dr A"
    )
    actions.add_condition(
        actor=personas.medical_officer,
        assessment=b,
        condition_class="B",
        description="Hansen disease, treated",
    )
    records.record_pregnancy(
        actor=personas.medical_officer, person=family.adult, expected_delivery=dt.date(2026, 9, 1)
    )
    records.update_travel_needs(
        actor=personas.medical_officer,
        person=family.adult,
        ssr_codes=["WCHR"],
        notes="post-polio paresis",
    )
    text = " ".join(f"{e.object_repr} {e.changes} {e.extra}" for e in AuditEvent.objects.all())
    for secret in ("B1", "Hansen", "2026-09-01", "paresis", "normal", "Chest X-ray"):
        assert secret not in text


def test_reminders_go_through_the_outbox(personas, family):
    from passage.outbox.models import OutboxMessage

    family.adult.phones = ["+996555123456"]
    family.adult.save()
    a = AssessmentFactory(
        person=family.adult, case=family.case, clinic=family.clinic, scheduled_for=TODAY
    )
    AssessmentFactory(
        person=family.child, case=family.case, clinic=family.clinic, scheduled_for=TODAY
    )
    client = personas.client("medical_officer")
    response = client.post(
        reverse("health:remind"), {"assessment": [a.pk, a.pk + 1], "next": "/health/"}, follow=True
    )
    body = response.content.decode()
    assert "1 reminders queued." in body and "1 people have no phone number" in body
    message = OutboxMessage.objects.get(kind="health.reminder")
    assert message.to == ["+996555123456"] and family.clinic.name in message.body
    a.refresh_from_db()
    assert a.reminder_sent_at is not None
    client.post(reverse("health:remind"), {"assessment": [a.pk]})
    assert OutboxMessage.objects.filter(kind="health.reminder").count() == 1


def test_find_a_person_from_the_day_page(personas, family):
    client = personas.client("medical_officer")
    body = client.get(reverse("health:day"), {"q": family.case.file_number}).content.decode()
    assert f"/health/people/{family.adult.pk}/" in body
    assert f"/health/people/{family.child.pk}/" in body
    body = client.get(reverse("health:day"), {"q": "zzzz"}).content.decode()
    assert "Nobody found." in body


def test_record_shows_pregnancy_week(personas, family):
    from passage.health import records

    records.record_pregnancy(
        actor=personas.medical_officer, person=family.adult, expected_delivery=dt.date(2026, 6, 8)
    )  # 14 weeks on: week 26
    body = (
        personas.client("medical_officer")
        .get(reverse("health:record", args=[family.adult.pk]))
        .content.decode()
    )
    assert "Week 26 of pregnancy today." in body
