from __future__ import annotations

import io

from django.core.management.base import OutputWrapper

from passage.health import demo
from passage.health.choices import AssessmentStatus, Clearance
from passage.health.models import Assessment, Clinic
from passage.health.queries import clearance_summaries
from passage.health.tests.conftest import make_family
from passage.registry.choices import CaseStatus


def test_demo_matches_case_steps_and_is_idempotent(personas, today):
    steps = {
        CaseStatus.APPROVED: Clearance.NONE,
        CaseStatus.MEDICAL_SCHEDULED: Clearance.SCHEDULED,
        CaseStatus.MEDICAL_PENDING: Clearance.PENDING,
        CaseStatus.MEDICAL_HELD: Clearance.ON_HOLD,
        CaseStatus.MEDICAL_FOLLOW_UP: Clearance.FOLLOW_UP,
        CaseStatus.BOOKED: Clearance.CLEARED,
    }
    families = {status: make_family(status=status) for status in steps}
    out = OutputWrapper(io.StringIO())
    assert demo.load(out) == 10
    for status, expected in steps.items():
        summaries = clearance_summaries([families[status].case])
        assert {s.status for s in summaries.values()} == {expected}, status
    assert Assessment.objects.filter(status=AssessmentStatus.CLEARED, valid_until=None).count() == 0
    before = (Assessment.objects.count(), Clinic.objects.count())
    assert demo.load(out) == 0
    assert (Assessment.objects.count(), Clinic.objects.count()) == before
