"""Keep the case's medical step in line with its members' assessments.

The case is the family: it is cleared when every current member is cleared, held
when any member is on hold or unfit, pending while any result is awaited. The move
goes through the registry's ``transition_case`` (history and audit), along the
medical statuses of its table, and only where the table allows it.
"""

from __future__ import annotations

from collections import deque

from django.utils.translation import gettext as _

from passage.core.models import User
from passage.health.choices import AssessmentStatus
from passage.health.models import Assessment
from passage.registry.actions import transition_case
from passage.registry.choices import CASE_TRANSITIONS, CaseStatus
from passage.registry.models import Case, Membership

A = AssessmentStatus
S = CaseStatus
MEDICAL_STEPS = frozenset(
    {
        S.MEDICAL_SCHEDULED,
        S.MEDICAL_EXAMINED,
        S.MEDICAL_PENDING,
        S.MEDICAL_HELD,
        S.MEDICAL_CLEARED,
        S.MEDICAL_FOLLOW_UP,
    }
)


def target_status(statuses: list[str | None]) -> str | None:
    """The case's medical step for its members' latest assessment statuses (None: none)."""
    present = [s for s in statuses if s is not None]
    if not present:
        return None
    if any(s in {A.CLASS_A_HOLD, A.UNFIT} for s in present):
        return S.MEDICAL_HELD
    if all(s in {A.CLEARED, A.CLEARED_FOLLOW_UP} for s in statuses):
        return S.MEDICAL_FOLLOW_UP if A.CLEARED_FOLLOW_UP in statuses else S.MEDICAL_CLEARED
    if A.RESULTS_PENDING in present:
        return S.MEDICAL_PENDING
    if any(s in {A.EXAMINED, A.CLEARED, A.CLEARED_FOLLOW_UP} for s in present):
        return S.MEDICAL_EXAMINED
    if any(s in {A.SCHEDULED, A.NO_SHOW} for s in present):
        return S.MEDICAL_SCHEDULED
    return None


def path_to(current: str, target: str) -> list[str]:
    """The shortest run of moves from ``current`` to ``target`` through medical steps."""
    queue: deque[tuple[str, list[str]]] = deque([(current, [])])
    seen = {current}
    while queue:
        status, path = queue.popleft()
        for nxt in sorted(CASE_TRANSITIONS.get(status, frozenset())):
            if nxt not in MEDICAL_STEPS or nxt in seen:
                continue
            if nxt == target:
                return [*path, nxt]
            seen.add(nxt)
            queue.append((nxt, [*path, nxt]))
    return []


def sync_case(case: Case, actor: User | None) -> str | None:
    """Move the case to its members' medical step when the table allows; the new status."""
    members = list(
        Membership.objects.filter(case=case, ended_at__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    latest: dict[int, str] = {}
    for person_id, status in (
        Assessment.objects.filter(person_id__in=members, case=case)
        .exclude(status=A.CANCELLED)
        .order_by("person_id", "-created_at", "-id")
        .values_list("person_id", "status")
    ):
        latest.setdefault(person_id, status)
    target = target_status([latest.get(p) for p in members])
    case.refresh_from_db(fields=["status"])
    if target is None or case.status == target:
        return None
    steps = path_to(case.status, target)
    for step in steps:
        transition_case(
            actor=actor,
            case=case,
            to=step,
            reason=_("Migration health: %(status)s") % {"status": S(step).label},
        )
    return case.status if steps else None
