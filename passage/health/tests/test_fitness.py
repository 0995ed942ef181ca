"""Fit-to-fly certificates: the action's refusals, the pages and API (medical officers
only), the audit event, and the need-to-know read for movements (``health.fitness``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from passage.core.errors import ActionError, ConflictError
from passage.core.models import AuditEvent
from passage.health import fitness, records
from passage.health.models import FitToFlyCertificate
from passage.health.tests.conftest import TODAY, Family
from passage.health.tests.factories import PregnancyFactory
from passage.registry.tests.factories import PersonFactory
from passage.testing.personas import Personas, assert_matrix

EDD = dt.date(2026, 6, 1)  # week 27 on 2026-03-02 (TODAY)
DETAIL_WRITE: dict[str, int | tuple[int, ...]] = {
    "anonymous": 401, "outsider": (401, 403), "admin": 403, "case_worker": 403,
    "movement_officer": 403, "finance_officer": 403, "embassy_us": 403, "embassy_other": 403,
    "unhcr": 403,
}  # fmt: skip


@pytest.fixture
def pregnancy(family: Family) -> Any:
    return PregnancyFactory(person=family.adult, expected_delivery=EDD, recorded_on=TODAY)


def certify(personas: Personas, pregnancy: Any, **kw: Any) -> FitToFlyCertificate:
    values: dict[str, Any] = {"issued_on": TODAY, "issued_by": "Dr Asanova", "gestation_week": 27}
    values |= kw
    return records.record_fit_to_fly_certificate(
        actor=personas.medical_officer, pregnancy=pregnancy, **values
    )


def test_records_a_certificate_with_an_audit_event_without_dates(personas, pregnancy):
    row = certify(personas, pregnancy, valid_until=dt.date(2026, 3, 9), notes="singleton")
    assert (row.person_id, row.gestation_week) == (pregnancy.person_id, 27)
    event = AuditEvent.objects.get(action="health.fit_to_fly_certificate")
    text = str(event.changes) + str(event.extra) + event.object_repr
    assert "pregnancy_id" in text and str(pregnancy.pk) in text
    for secret in ("2026-03-02", "2026-03-09", "week", "singleton", "2026-06-01"):
        assert secret not in text


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"issued_on": TODAY + dt.timedelta(days=1)}, "issued_on"),
        ({"issued_on": EDD - dt.timedelta(days=281)}, "issued_on"),
        ({"issued_by": "  "}, "issued_by"),
        ({"gestation_week": 29}, "gestation_week"),
        ({"gestation_week": 0}, "gestation_week"),
        ({"valid_until": TODAY - dt.timedelta(days=1)}, "valid_until"),
    ],
)
def test_refusals_name_the_field_and_write_nothing(personas, pregnancy, values, field):
    with pytest.raises(ActionError) as err:
        certify(personas, pregnancy, **values)
    assert err.value.field == field
    assert not FitToFlyCertificate.objects.exists()
    assert not AuditEvent.objects.filter(action="health.fit_to_fly_certificate").exists()


def test_a_stated_week_one_off_is_accepted(personas, pregnancy):
    assert certify(personas, pregnancy, gestation_week=28).gestation_week == 28


def test_no_certificate_for_an_ended_pregnancy(personas, pregnancy):
    records.end_pregnancy(actor=personas.medical_officer, pregnancy=pregnancy, on=TODAY)
    with pytest.raises(ConflictError):
        certify(personas, pregnancy)


def test_record_page_form_and_list(personas, family, pregnancy):
    client = personas.client("medical_officer")
    url = reverse("health:certificate", args=[pregnancy.pk])
    response = client.post(
        url, {"issued_on": "2026-03-02", "issued_by": "Dr Asanova", "gestation_week": "27"}
    )
    assert response.status_code == 302
    page = client.get(reverse("health:record", args=[family.adult.pk])).content.decode()
    assert "Dr Asanova" in page and 'id="certificates"' in page
    bad = client.post(
        url, {"issued_on": "2026-03-02", "issued_by": "Dr B", "gestation_week": "31"}, follow=True
    ).content.decode()
    assert "Pregnancy week stated" in bad and "week 31" in bad
    assert FitToFlyCertificate.objects.count() == 1


def test_api_records_pregnancy_and_certificate(personas, family):
    client = personas.api_client("medical_officer")
    made = client.post(
        f"/api/v1/health/people/{family.adult.pk}/pregnancies",
        {"expected_delivery": EDD.isoformat()},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    pid = made.json()["id"]
    url = f"/api/v1/health/pregnancies/{pid}/certificates"
    body = {"issued_on": "2026-03-02", "issued_by": "Dr Asanova", "gestation_week": 27}
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["gestation_week"] == 27
    refused = client.post(
        url, body | {"gestation_week": 33}, content_type="application/json"
    ).json()
    assert refused["field"] == "gestation_week"
    record = client.get(f"/api/v1/health/people/{family.adult.pk}/record").json()
    assert record["pregnancies"][0]["certificates"][0]["issued_by"] == "Dr Asanova"


def test_api_certificate_is_medical_only(personas, pregnancy):
    url = f"/api/v1/health/pregnancies/{pregnancy.pk}/certificates"
    body = {"issued_on": "2026-03-02", "issued_by": "Dr Asanova", "gestation_week": 27}
    assert_matrix(
        personas,
        lambda c: c.post(url, body, content_type="application/json"),
        DETAIL_WRITE,
        api=True,
    )
    assert not FitToFlyCertificate.objects.exists()
    response = personas.api_client("medical_officer").post(
        url, body, content_type="application/json"
    )
    assert response.status_code == 201


def test_fitness_gives_week_and_latest_certificate_in_two_queries(
    personas, family, pregnancy, django_assert_num_queries
):
    certify(personas, pregnancy, issued_on=TODAY - dt.timedelta(days=3), gestation_week=27)
    certify(personas, pregnancy, issued_on=TODAY, valid_until=TODAY + dt.timedelta(days=10))
    others = [PersonFactory() for _ in range(5)]
    for person in others[:3]:
        PregnancyFactory(person=person, expected_delivery=EDD + dt.timedelta(days=20))
    ids = [family.adult.pk, family.child.pk, *(p.pk for p in others)]
    travel = dt.date(2026, 3, 10)
    with django_assert_num_queries(2):
        found = fitness.pregnancy_fitness(ids, travel)
    assert set(found) == {family.adult.pk, *(p.pk for p in others[:3])}
    mine = found[family.adult.pk]
    assert (mine.week, mine.certificate_issued_on) == (28, TODAY)
    assert mine.certificate_valid_until == TODAY + dt.timedelta(days=10)
    # On a day before the later certificate, the earlier one is the latest.
    assert fitness.pregnancy_fitness(ids, TODAY - dt.timedelta(days=1))[
        family.adult.pk
    ].certificate_issued_on == TODAY - dt.timedelta(days=3)
    assert fitness.pregnancy_fitness([], travel) == {}
