"""Pipeline panels built on the health and VAC apps' own queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from passage.core.models import AuditEvent
from passage.health.choices import AssessmentStatus
from passage.health.tests.factories import AssessmentFactory
from passage.registry.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)


@time_machine.travel(TODAY, tick=False)
def test_expiring_clearances_panel_follows_the_health_policy(personas: Any) -> None:
    soon = CaseFactory(file_number="KGZ-2026-00901", destination_country="US")
    later = CaseFactory(file_number="KGZ-2026-00902", destination_country="US")
    AssessmentFactory(case=soon, status=AssessmentStatus.CLEARED,
                      valid_until=dt.date(2026, 3, 20))  # fmt: skip
    AssessmentFactory(case=later, status=AssessmentStatus.CLEARED,
                      valid_until=dt.date(2026, 6, 1))  # fmt: skip
    worker = personas.client("medical_officer").get("/stats/pipeline/")
    body = worker.content.decode()
    assert 'id="panel-health.expiring"' in body
    assert "KGZ-2026-00901" in body and "KGZ-2026-00902" not in body
    assert "Expiring medical clearances" not in ", ".join(worker.context["waiting"])
    event = AuditEvent.objects.get(action="health.view_detail")
    assert event.extra["via"] == "stats.pipeline" and len(event.extra["people"]) == 1
    for name in ("stats_reader", "case_worker"):  # no health.view_detail
        page = personas.client(name).get("/stats/pipeline/").content.decode()
        assert 'id="panel-health.expiring"' not in page
    other = personas.client("embassy_other").get("/stats/pipeline/").content.decode()
    assert "KGZ-2026-00901" not in other  # a US case, hidden from the Swedish embassy


@time_machine.travel(TODAY, tick=False)
def test_vac_activity_panel_for_vac_officers(personas: Any) -> None:
    officer = personas.client("vac_officer").get("/stats/pipeline/").content.decode()
    assert 'id="panel-vac.activity"' in officer
    reader = personas.client("stats_reader").get("/stats/pipeline/").content.decode()
    assert 'id="panel-vac.activity"' not in reader
