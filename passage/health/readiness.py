"""The health source of travel readiness: clearance windows and blockers per person.

Everything comes from :func:`passage.health.queries.clearance_windows` (a fixed
number of queries for the whole batch, tuples rather than model instances: the board
asks about 70,000 people at once), so readiness never sees a diagnosis. The
constraints leave the person's name for readiness to fill in when it reports them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from passage.core.readiness import Constraint
from passage.health.choices import Clearance
from passage.health.queries import clearance_windows

SOURCE = "health"
CLEARED = frozenset({Clearance.CLEARED, Clearance.FOLLOW_UP})


def _resolves() -> dict[str, str]:
    return {
        Clearance.NONE: _("Schedule the medical exam."),
        Clearance.SCHEDULED: _("Wait for the exam."),
        Clearance.PENDING: _("Wait for the results."),
        Clearance.EXPIRED: _("The exam has expired: schedule a new one."),
        Clearance.ON_HOLD: _("On hold: treatment, then a new exam."),
        Clearance.UNFIT: _("Unfit to travel: postpone."),
    }


def health_constraints(cases: Sequence[Any]) -> list[Constraint]:
    """Clearance, live-vaccine and airline pregnancy windows for each case's members."""
    missing = [c for c in cases if not hasattr(c, "active_members")]
    if missing:
        from passage.registry.queries import active_members

        prefetch_related_objects(missing, active_members())
    label = str(_("Medical clearance"))
    live_label = str(_("No live vaccine shortly before departure"))
    airline_label = str(_("Airline medical limit"))
    resolves = _resolves()
    blockers: dict[str, str] = {}
    out: list[Constraint] = []
    append = out.append
    for (
        case_id,
        person_id,
        status,
        valid_from,
        valid_until,
        not_before,
        cert_from,
        until,
    ) in clearance_windows(cases):
        if status in CLEARED:
            append(
                Constraint(
                    SOURCE,
                    "medical",
                    case_id,
                    label,
                    person_id,
                    "",
                    valid_from,
                    valid_until,
                    "",
                    "",
                    None,
                    {"status": status},
                )
            )
        else:
            blocker = blockers.get(status)
            if blocker is None:
                blocker = blockers[status] = f"{label}: {Clearance(status).label}"
            append(
                Constraint(
                    SOURCE,
                    "medical",
                    case_id,
                    label,
                    person_id=person_id,
                    blocker=blocker,
                    resolve=str(resolves.get(status, "")),
                    details={"status": status},
                )
            )
        if not_before is not None:
            append(
                Constraint(
                    SOURCE, "live_vaccine", case_id, live_label, person_id, valid_from=not_before
                )
            )
        if until is not None and cert_from is not None:
            append(
                Constraint(
                    SOURCE,
                    "airline_medical",
                    case_id,
                    airline_label,
                    person_id=person_id,
                    valid_until=until,
                    # A fit-to-fly certificate is needed for departures from this day on.
                    details={"certificate_from": cert_from.isoformat()},
                )
            )
    return out
