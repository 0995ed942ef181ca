import io

import pytest
from django.core.management.base import OutputWrapper

from passage.core import demo as core_demo
from passage.orientation import demo
from passage.orientation.models import Attendance, Course, Enrolment
from passage.registry.models import Case


@pytest.mark.django_db
def test_demo_loads_consistent_courses_and_is_idempotent():
    out = OutputWrapper(io.StringIO())
    core_demo.load(out)
    assert demo.load(out) == [demo.PAST, demo.PLANNED]
    counts = (Case.objects.count(), Course.objects.count(), Enrolment.objects.count(),
              Attendance.objects.count())  # fmt: skip
    past = Course.objects.get(title=demo.PAST)
    done = past.enrolments.filter(completed_on__isnull=False)
    assert done.count() >= 1 and past.enrolments.filter(completed_on__isnull=True).exists()
    # Attendance belongs to people enrolled on the course, never more than a session lasts.
    for row in Attendance.objects.select_related("session", "enrolment"):
        assert row.enrolment.course_id == row.session.course_id
        assert row.hours <= row.session.hours
    assert Course.objects.get(title=demo.PLANNED).enrolments.exists()
    assert demo.load(out) == []
    assert counts == (Case.objects.count(), Course.objects.count(), Enrolment.objects.count(),
                      Attendance.objects.count())  # fmt: skip
