"""Case status and readiness: travel-ready and back, through the registry's transition.

A case in "documents in process" becomes travel-ready when readiness finds a
window; a travel-ready case goes back to "documents in process" when readiness
no longer does. The reason written to the case history names the window or the
blockers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from passage.core.errors import ConflictError
from passage.core.models import User
from passage.documents.readiness import Result, readiness_for_case
from passage.registry.actions import transition_case
from passage.registry.choices import CaseStatus
from passage.registry.models import Case

REASON_LIMIT = 500


def window_text(result: Result) -> str:
    window = result.window
    if window.empty or window.start is None:
        return _("no window")
    end = window.end.isoformat() if window.end else _("open")
    return f"{window.start.isoformat()} – {end}"


def blockers_text(result: Result) -> str:
    return "; ".join(b.reason for b in result.blockers)


@transaction.atomic
def mark_travel_ready(*, actor: User | None, case: Case, departure: dt.date | None = None) -> Case:
    """Move a case to travel-ready, or refuse naming every blocker."""
    result = readiness_for_case(case, departure)
    if not result.ready:
        raise ConflictError(
            _("Case %(case)s is not travel-ready: %(blockers)s")
            % {"case": case.file_number, "blockers": blockers_text(result)},
            code="not_ready",
            errors=[{"field": b.code, "message": b.reason} for b in result.blockers],
        )
    reason = _("Travel-ready: every requirement holds from %(window)s.") % {
        "window": window_text(result)
    }
    return transition_case(
        actor=actor, case=case, to=CaseStatus.TRAVEL_READY, reason=reason[:REASON_LIMIT]
    )


@transaction.atomic
def revert_travel_ready(*, actor: User | None, case: Case, reason: str = "") -> Case:
    """Move a travel-ready case back to documents in process, with the reason."""
    if not reason:
        result = readiness_for_case(case)
        reason = _("No longer travel-ready: %(blockers)s") % {"blockers": blockers_text(result)}
    return transition_case(
        actor=actor, case=case, to=CaseStatus.DOCUMENTS_IN_PROCESS, reason=reason[:REASON_LIMIT]
    )


def sync_case_status(*, actor: User | None, case: Case, result: Result) -> str | None:
    """Follow readiness: the new status when the case moved, else None."""
    if case.status == CaseStatus.DOCUMENTS_IN_PROCESS and result.ready:
        reason = _("Travel-ready: every requirement holds from %(window)s.") % {
            "window": window_text(result)
        }
        transition_case(
            actor=actor, case=case, to=CaseStatus.TRAVEL_READY, reason=reason[:REASON_LIMIT]
        )
        return CaseStatus.TRAVEL_READY
    if case.status == CaseStatus.TRAVEL_READY and not result.ready:
        reason = _("No longer travel-ready: %(blockers)s") % {"blockers": blockers_text(result)}
        transition_case(
            actor=actor, case=case, to=CaseStatus.DOCUMENTS_IN_PROCESS, reason=reason[:REASON_LIMIT]
        )
        return CaseStatus.DOCUMENTS_IN_PROCESS
    return None


SYNC_KIND = "documents.sync_statuses"


def sync_statuses(job: Any, progress: Any) -> dict[str, Any]:
    """Job: move every case whose readiness changed to travel-ready or back.

    Readiness is computed in bulk for the cases in "documents in process" and
    "travel-ready" that the job's creator may change; each move is its own
    transition with its reason in the case history.
    """
    from passage.core import policy
    from passage.documents.readiness import readiness_for_cases

    actor = job.created_by
    cases = policy.visible_to(
        Case.objects.filter(status__in=[CaseStatus.DOCUMENTS_IN_PROCESS, CaseStatus.TRAVEL_READY]),
        actor,
        "documents.set_travel_ready",
    )
    items = list(cases)
    progress(0, len(items), _("Computing readiness"))
    results = readiness_for_cases(items)
    moved: dict[str, int] = {CaseStatus.TRAVEL_READY: 0, CaseStatus.DOCUMENTS_IN_PROCESS: 0}
    progress.every = 100
    for done, case in enumerate(items, start=1):
        to = sync_case_status(actor=actor, case=case, result=results[case.pk])
        if to is not None:
            moved[to] += 1
        progress(done, len(items))
    return {
        "checked": len(items),
        "travel_ready": moved[CaseStatus.TRAVEL_READY],
        "back_to_documents": moved[CaseStatus.DOCUMENTS_IN_PROCESS],
    }
