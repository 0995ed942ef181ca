"""Demo data: consistent with each case's step, and idempotent."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core.management.base import OutputWrapper

from passage.documents import demo
from passage.documents.models import DocumentApplication, TravelDocument
from passage.documents.readiness import readiness_for_case
from passage.registry.choices import CaseStatus, Programme, Relationship
from passage.registry.tests.factories import CaseFactory, MembershipFactory, PersonFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _clock() -> Any:
    with time_machine.travel(dt.datetime(2026, 6, 2, 9, tzinfo=dt.UTC), tick=False):
        yield


def family(status: str, country: str = "US", programme: str = Programme.USRAP_P1) -> Any:
    case = CaseFactory(status=status, destination_country=country, programme=programme)
    for i in range(3):
        rel = Relationship.PRINCIPAL if i == 0 else Relationship.CHILD
        MembershipFactory(case=case, person=PersonFactory(), relationship=rel)
    return case


def test_demo_follows_each_step_and_runs_twice() -> None:
    early = family(CaseStatus.MEDICAL_SCHEDULED)
    in_process = family(CaseStatus.DOCUMENTS_IN_PROCESS, "CA", Programme.CA_PSR)
    ready_us = family(CaseStatus.TRAVEL_READY)
    ready_se = family(CaseStatus.BOOKED, "SE", Programme.EU_QUOTA)
    withdrawn = family(CaseStatus.WITHDRAWN)
    out = OutputWrapper(io.StringIO())
    first = demo.load(out)
    assert first["documents"] > 0 and first["applications"] == 1
    assert demo.load(out) == {"documents": 0, "applications": 0}
    early_docs = TravelDocument.objects.filter(person__memberships__case=early)
    assert {d.doc_type.code for d in early_docs} == {"passport"} and early_docs.count() == 2
    assert not TravelDocument.objects.filter(person__memberships__case=withdrawn).exists()
    assert readiness_for_case(ready_us).ready
    assert readiness_for_case(ready_se).ready
    blocked = readiness_for_case(in_process)
    assert [b.code for b in blocked.blockers] == ["document:exit_visa"]
    assert any(w in blocked.blockers[0].resolve for w in ("decision expected", "overdue"))
    app = DocumentApplication.objects.get(case=in_process)
    assert app.status == "submitted"
