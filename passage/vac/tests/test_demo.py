from __future__ import annotations

import io

import pytest
from django.core.management.base import OutputWrapper

from passage.core import demo as core_demo
from passage.vac import demo
from passage.vac.choices import CustodyStatus
from passage.vac.models import Appointment, Custody, Slot, Ticket

pytestmark = pytest.mark.django_db


def test_demo_covers_every_custody_step_and_runs_twice_without_duplicates():
    out = OutputWrapper(io.StringIO())
    core_demo.load(out)
    first = demo.load(out)
    assert first["slots"] > 50 and first["appointments"] > 20
    assert set(Custody.objects.values_list("status", flat=True)) == set(CustodyStatus.values)
    assert Ticket.objects.filter(prefix="W").count() == 4
    counts = (
        Slot.objects.count(),
        Appointment.objects.count(),
        Custody.objects.count(),
        Ticket.objects.count(),
    )
    assert demo.load(out) == first
    assert counts == (
        Slot.objects.count(),
        Appointment.objects.count(),
        Custody.objects.count(),
        Ticket.objects.count(),
    )
