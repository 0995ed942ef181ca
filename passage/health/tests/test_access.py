"""A receiving state's medical staff, under an administrator's grant: read-only, own country
only, audited; revoked grants and other partners see nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from passage.core.errors import ActionError
from passage.core.models import AuditEvent
from passage.health import setup_actions
from passage.health.choices import AssessmentStatus
from passage.health.tests.conftest import TODAY, make_family
from passage.health.tests.factories import AssessmentFactory, TbTestFactory
from passage.testing.personas import assert_matrix


def test_grant_rules(personas, today):
    with pytest.raises(ActionError) as err:
        setup_actions.grant_medical_access(
            actor=personas.admin, user=personas.case_worker, country="US", note="x"
        )
    assert err.value.field == "user"
    with pytest.raises(ActionError) as err:
        setup_actions.grant_medical_access(
            actor=personas.admin, user=personas.embassy_us, country="SE", note="x"
        )
    assert err.value.field == "country"
    with pytest.raises(ActionError) as err:
        setup_actions.grant_medical_access(
            actor=personas.admin, user=personas.embassy_us, country="US", note=" "
        )
    assert err.value.field == "note"


def test_granted_embassy_reads_its_own_cases_only(personas, family):
    a = AssessmentFactory(
        person=family.adult, case=family.case, status=AssessmentStatus.EXAMINED, scheduled_for=TODAY
    )
    TbTestFactory(assessment=a, finding="calcified granuloma")
    swedish = make_family("SE", "eu_quota")
    url = reverse("health:record", args=[family.adult.pk])
    assert personas.client("embassy_us").get(url).status_code == 403
    grant = setup_actions.grant_medical_access(
        actor=personas.admin, user=personas.embassy_us, country="US", note="CDC panel oversight"
    )
    response = personas.client("embassy_us").get(url)
    assert response.status_code == 200 and "calcified granuloma" in response.content.decode()
    assert AuditEvent.objects.filter(
        actor=personas.embassy_us, action="health.view_detail", object_id=str(family.adult.pk)
    ).exists()
    other = reverse("health:record", args=[swedish.adult.pk])
    assert personas.client("embassy_us").get(other).status_code == 404
    assert personas.client("embassy_other").get(url).status_code == 403
    day = personas.client("embassy_us").get(reverse("health:day"), {"day": TODAY.isoformat()})
    assert day.status_code == 200 and family.adult.latin_surname in day.content.decode()
    # Read-only: no write reaches them.
    post = personas.client("embassy_us").post(
        reverse("health:outcome", args=[a.pk]), {"outcome": "cleared"}
    )
    assert post.status_code == 403
    setup_actions.revoke_medical_access(actor=personas.admin, grant=grant)
    assert personas.client("embassy_us").get(url).status_code == 403


def test_access_page_matrix(personas, db):
    assert_matrix(personas, lambda c: c.get(reverse("health:access")), {
        "anonymous": 302, "outsider": 403, "medical_officer": 403, "case_worker": 403,
        "embassy_us": 403, "admin": 200,
    })  # fmt: skip


def test_admin_grants_in_the_page(personas, db):
    client = personas.client("admin")
    client.post(
        reverse("health:grant_add"),
        {"user": personas.embassy_us.pk, "country": "us", "note": "panel oversight"},
    )
    grant = personas.embassy_us.medical_grants.get()
    assert grant.country == "US" and grant.granted_by == personas.admin
    client.post(reverse("health:grant_revoke", args=[grant.pk]))
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert (
        AuditEvent.objects.filter(
            action__in=["health.grant_access", "health.revoke_access"]
        ).count()
        == 2
    )
