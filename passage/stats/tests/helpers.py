"""Departed cases for tests, made through the registry's actions at fixed times."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import time_machine

from passage.registry import actions
from passage.registry.choices import CaseStatus, Relationship
from passage.registry.models import Case
from passage.registry.tests.factories import PersonFactory

BISHKEK = dt.timezone(dt.timedelta(hours=6))
TO_FIT = (
    CaseStatus.DOCUMENTS_IN_PROCESS, CaseStatus.TRAVEL_READY, CaseStatus.BOOKING_REQUESTED,
    CaseStatus.BOOKED, CaseStatus.FIT_TO_TRAVEL,
)  # fmt: skip


def open_with_members(
    destination: str, programme: str, members: Sequence[tuple[str, dt.date | None]],
    opened: dt.datetime,
) -> Case:  # fmt: skip
    with time_machine.travel(opened, tick=False):
        case = actions.open_case(actor=None, programme=programme, destination_country=destination)
        for i, (sex, born) in enumerate(members):
            person = PersonFactory(sex=sex, date_of_birth=born)
            rel = Relationship.PRINCIPAL if i == 0 else Relationship.CHILD
            actions.add_member(actor=None, case=case, person=person, relationship=rel)
        for status in TO_FIT:
            actions.transition_case(actor=None, case=case, to=status)
    return case


def move(case: Case, to: str, at: dt.datetime) -> Case:
    with time_machine.travel(at, tick=False):
        return actions.transition_case(actor=None, case=case, to=to)


def departed_case(
    destination: str, programme: str, members: Sequence[tuple[str, dt.date | None]],
    at: dt.datetime,
) -> Case:  # fmt: skip
    """A case whose members departed at ``at`` (opened 90 days before)."""
    case = open_with_members(destination, programme, members, at - dt.timedelta(days=90))
    return move(case, CaseStatus.DEPARTED, at)
