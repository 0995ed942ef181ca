"""The pipeline page: registry panels, plus panels other apps register.

The registry gives cases by status × destination and the cases awaiting
departure. Expiring clearances and documents, CO attendance and VAC activity
belong to the health, documents, orientation and VAC apps: each registers a
panel here from its ``apps.ready()``::

    from passage.stats.panels import Panel, register
    register(Panel(key="health.expiring", title=_("Expiring medical clearances"),
                   permission="health.view", rows=expiring_clearances_for_stats, order=30))

``rows(user)`` returns ``{"columns": [...], "rows": [[...], ...]}`` already
narrowed to what ``user`` may see (through ``passage.core.policy``). A panel
whose app is not installed simply is not there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from passage.core import policy
from passage.core.policy import AnyUser
from passage.registry.choices import CaseStatus
from passage.stats import links, queries
from passage.stats.presentation import label


@dataclass(frozen=True)
class Panel:
    key: str
    title: str | Promise
    permission: str
    rows: Callable[[AnyUser], dict[str, Any]]
    order: int = 100


_panels: dict[str, Panel] = {}

# What the pipeline page will show once the app that owns it registers a panel.
EXPECTED = {
    "movements": _("Upcoming departures"),
    "health": _("Expiring medical clearances"),
    "documents": _("Expiring travel documents and visas"),
    "orientation": _("CO attendance"),
    "vac": _("VAC activity"),
}


def register(panel: Panel) -> None:
    _panels[panel.key] = panel


def registered() -> list[Panel]:
    return sorted(_panels.values(), key=lambda p: (p.order, p.key))


def context(user: AnyUser) -> dict[str, Any]:
    status = queries.cases_by_status(user)
    cases = list(queries.awaiting_departure(user))
    linked = links.visible_case_ids(user, [c.pk for c in cases])
    awaiting = [
        {"case": c, "status": str(CaseStatus(c.status).label),
         "destination": label("destination", c.destination_country),
         "url": links.case_url(c.pk) if c.pk in linked else ""}
        for c in cases
    ]  # fmt: skip
    shown = []
    for panel in registered():
        if policy.has_permission(user, panel.permission):
            shown.append({"key": panel.key, "title": str(panel.title), **panel.rows(user)})
    apps_with_panels = {p.key.split(".", 1)[0] for p in registered()}
    waiting = [str(what) for app, what in EXPECTED.items() if app not in apps_with_panels]
    return {
        "status": status,
        "status_total": sum(r["total"] for r in status["rows"]),
        "awaiting": awaiting,
        "panels": shown,
        "waiting": waiting,
    }
