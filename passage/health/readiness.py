"""The health source of travel readiness: clearance windows and blockers per person.

Everything comes from :func:`passage.health.queries.clearance_summaries` (a fixed
number of queries for the whole batch), so readiness never sees a diagnosis.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from passage.core.readiness import Constraint
from passage.health.choices import Clearance
from passage.health.queries import Summary, clearance_summaries

SOURCE = "health"


def _clearance(case_id: int, s: Summary) -> Constraint:
    label = _("Medical clearance")
    if s.cleared:
        return Constraint(
            SOURCE,
            "medical",
            case_id,
            str(label),
            person_id=s.person_id,
            valid_from=s.valid_from,
            valid_until=s.valid_until,
            details={"status": s.status},
        )
    resolve = {
        Clearance.NONE: _("Schedule the medical exam."),
        Clearance.SCHEDULED: _("Wait for the exam."),
        Clearance.PENDING: _("Wait for the results."),
        Clearance.EXPIRED: _("The exam has expired: schedule a new one."),
        Clearance.ON_HOLD: _("On hold: treatment, then a new exam."),
        Clearance.UNFIT: _("Unfit to travel: postpone."),
    }.get(Clearance(s.status), "")
    return Constraint(
        SOURCE,
        "medical",
        case_id,
        str(label),
        person_id=s.person_id,
        blocker=f"{label}: {Clearance(s.status).label}",
        resolve=str(resolve),
        details={"status": s.status},
    )


def health_constraints(cases: Sequence[Any]) -> Iterable[Constraint]:
    """Clearance, live-vaccine and airline pregnancy windows for each case's members."""
    summaries = clearance_summaries(cases)
    for s in summaries.values():
        if s.case_id is None:
            continue
        yield _clearance(s.case_id, s)
        if s.departure_not_before is not None:
            yield Constraint(
                SOURCE,
                "live_vaccine",
                s.case_id,
                str(_("No live vaccine shortly before departure")),
                person_id=s.person_id,
                valid_from=s.departure_not_before,
            )
        if s.travel_until is not None and s.certificate_from is not None:
            yield Constraint(
                SOURCE,
                "airline_medical",
                s.case_id,
                str(_("Airline medical limit")),
                person_id=s.person_id,
                valid_until=s.travel_until,
                # A fit-to-fly certificate is needed for departures from this day on.
                details={"certificate_from": s.certificate_from.isoformat()},
            )
