"""The admin shows no medical detail to anyone who may not read it; readiness gets windows;
every factory builds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from passage.core import readiness
from passage.health.choices import AssessmentStatus
from passage.health.tests.conftest import TODAY
from passage.health.tests.factories import ALL, AssessmentFactory, VaccinationFactory
from passage.health.tests.helpers import cleared
from passage.testing.personas import assert_matrix

DETAIL_MODELS = [
    "assessment", "tbtest", "condition", "treatment", "vaccination", "pregnancy",
    "travelneeds", "departurecheck",
]  # fmt: skip


@pytest.mark.parametrize("factory", ALL)
def test_every_factory_builds(db, factory):
    assert factory().pk


@pytest.mark.parametrize("model", DETAIL_MODELS)
def test_admin_never_shows_medical_detail(personas, family, model):
    a = AssessmentFactory(person=family.adult, case=family.case)
    url = reverse(f"admin:health_{model}_changelist")
    assert_matrix(personas, lambda c: c.get(url), {
        # No admin-site access (redirect to sign-in or refused), or the site refuses the
        # model: the administrator holds no health.view_detail.
        "anonymous": 302, "outsider": (302, 403), "admin": 403, "case_worker": (302, 403),
        "medical_officer": (302, 403), "embassy_us": (302, 403),
    })  # fmt: skip
    change = reverse("admin:health_assessment_change", args=[a.pk])
    assert personas.client("admin").get(change).status_code in {302, 403}
    index = personas.client("admin").get(reverse("admin:index")).content.decode()
    assert "Health assessments" not in index


def test_admin_sees_clinics_and_rules(personas, family):
    assert (
        personas.client("admin").get(reverse("admin:health_clinic_changelist")).status_code == 200
    )
    url = reverse("admin:health_medicaltravelrules_changelist")
    assert personas.client("admin").get(url).status_code == 200


def test_readiness_source(personas, family):
    cleared(personas.medical_officer, family.case, family.adult, family.clinic, TODAY)
    AssessmentFactory(person=family.child, case=family.case, status=AssessmentStatus.SCHEDULED)
    VaccinationFactory(person=family.adult, live=True, departure_not_before=dt.date(2026, 3, 30))
    source = readiness.sources()["health"]
    found = {(c.person_id, c.code): c for c in source([family.case])}
    medical = found[(family.adult.pk, "medical")]
    assert medical.valid_until == dt.date(2026, 9, 2) and not medical.blocker
    assert medical.allows(dt.date(2026, 9, 2)) is None
    assert medical.allows(dt.date(2026, 9, 3))
    assert found[(family.child.pk, "medical")].blocker
    assert found[(family.adult.pk, "live_vaccine")].allows(dt.date(2026, 3, 29))
    for c in found.values():
        assert "B1" not in c.label and "X-ray" not in str(c.details)


def test_readiness_in_fixed_queries(personas, family, django_assert_num_queries):
    source = readiness.sources()["health"]
    # the members (the case comes without them), then assessments, departure checks,
    # live vaccines and pregnancies
    with django_assert_num_queries(5):
        constraints = list(source([family.case]))
    assert len(constraints) == 2
