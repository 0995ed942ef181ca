"""Every write URL of the health pages refuses everyone but medical officers, and the
medical lists keep a fixed number of queries as they grow."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from passage.core.models import AuditEvent
from passage.health.choices import AssessmentStatus, ConditionClass, LabResult
from passage.health.models import (
    Assessment,
    Condition,
    DepartureCheck,
    FitToFlyCertificate,
    Pregnancy,
    TbTest,
    TravelNeeds,
    Treatment,
    Vaccination,
)
from passage.health.tests.conftest import TODAY, Family
from passage.health.tests.factories import (
    AssessmentFactory,
    ConditionFactory,
    PregnancyFactory,
    TbTestFactory,
)
from passage.registry.tests.factories import CaseFactory, MembershipFactory
from passage.testing.personas import Personas, assert_matrix

MODELS = [Assessment, TbTest, Condition, Treatment, Vaccination, Pregnancy, TravelNeeds,
          DepartureCheck, FitToFlyCertificate]  # fmt: skip


def _urls(family: Family) -> list[tuple[str, dict[str, Any]]]:
    a = AssessmentFactory(
        person=family.adult, case=family.case, status=AssessmentStatus.EXAMINED, examined_on=TODAY
    )
    test = TbTestFactory(assessment=a, result=LabResult.PENDING, result_on=None)
    cond = ConditionFactory(assessment=a, condition_class=ConditionClass.A)
    preg = PregnancyFactory(person=family.adult, expected_delivery=dt.date(2026, 9, 1))
    p = family.child.pk
    return [
        (reverse("health:schedule", args=[p]), {"exam_type": "us_panel", "on": "2026-03-03"}),
        (reverse("health:exam", args=[a.pk]), {"examined_on": "2026-03-02", "physician": "X"}),
        (reverse("health:test", args=[a.pk]), {"kind": "xray", "collected_on": "2026-03-02",
                                               "result": "pending"}),
        (reverse("health:result", args=[test.pk]), {"result": "normal", "result_on": "2026-03-02"}),
        (reverse("health:condition", args=[a.pk]), {"condition_class": "B", "description": "x"}),
        (reverse("health:waiver", args=[cond.pk]), {"on": "2026-03-02", "reference": "W1"}),
        (reverse("health:treatment", args=[a.pk]), {"regimen": "x", "started_on": "2026-03-02"}),
        (reverse("health:outcome", args=[a.pk]), {"outcome": "unfit"}),
        (reverse("health:status", args=[a.pk]), {"to": "cancelled"}),
        (reverse("health:vaccination", args=[p]), {"antigen": "MMR", "dose_number": 1,
                                                   "given_on": "2026-03-02"}),
        (reverse("health:pregnancy", args=[p]), {"expected_delivery": "2026-09-01"}),
        (reverse("health:needs", args=[p]), {"ssr_codes": ["WCHR"]}),
        (reverse("health:certificate", args=[preg.pk]),
         {"issued_on": "2026-03-02", "issued_by": "Dr A", "gestation_week": 13}),
        (reverse("health:check", args=[p]), {"kind": "fit_to_fly", "outcome": "fit",
                                             "checked_at": "2026-03-02T08:00",
                                             "departure_at": "2026-03-03T08:00"}),
    ]  # fmt: skip


def _counts() -> list[int]:
    return [m._default_manager.count() for m in MODELS] + [
        TbTest.objects.exclude(result=LabResult.PENDING).count(),
        Condition.objects.exclude(waiver_granted_on=None).count(),
    ]


@pytest.mark.parametrize("index", range(14))
def test_every_write_is_medical_only(personas: Personas, family: Family, index: int) -> None:
    url, data = _urls(family)[index]
    before = _counts()
    assert_matrix(personas, lambda c: c.post(url, data), {
        "anonymous": 302, "outsider": (403, 404), "admin": (403, 404),
        "case_worker": (403, 404), "movement_officer": (403, 404), "co_trainer": (403, 404),
        "embassy_us": (403, 404), "embassy_other": (403, 404), "unhcr": (403, 404),
    })  # fmt: skip
    assert _counts() == before
    assert (
        not AuditEvent.objects.filter(action__startswith="health.")
        .exclude(action="health.view_detail")
        .exists()
    )


def _grow(family: Family, n: int) -> None:
    for _ in range(n):
        case = CaseFactory()
        m = MembershipFactory(case=case)
        a = AssessmentFactory(
            person=m.person,
            case=case,
            status=AssessmentStatus.RESULTS_PENDING,
            examined_on=TODAY,
            clinic=family.clinic,
        )
        TbTestFactory(assessment=a, result=LabResult.PENDING, result_on=None)
        AssessmentFactory(
            person=MembershipFactory(case=case, relationship="child").person,
            case=case,
            status=AssessmentStatus.CLEARED,
            valid_until=TODAY.replace(day=20),
        )


@pytest.mark.parametrize("name", ["health:pending", "health:expiring"])
def test_lists_keep_their_query_count(
    personas: Personas, family: Family, name: str, django_assert_num_queries: Any
) -> None:
    client = personas.client("medical_officer")
    url = reverse(name)
    _grow(family, 2)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(family, 5)
    with django_assert_num_queries(len(small.captured_queries)):
        body = client.get(url).content.decode()
    assert body.count('href="/health/people/') == 7


def test_record_page_query_count(
    personas: Personas, family: Family, django_assert_max_num_queries: Any
) -> None:
    a = AssessmentFactory(
        person=family.adult,
        case=family.case,
        status=AssessmentStatus.RESULTS_PENDING,
        examined_on=TODAY,
    )
    for _ in range(5):
        TbTestFactory(assessment=a, result=LabResult.PENDING, result_on=None)
    client = personas.client("medical_officer")
    url = reverse("health:record", args=[family.adult.pk])
    client.get(url)
    with django_assert_max_num_queries(26):
        response = client.get(url)
    assert response.content.decode().count("Record result") == 5
