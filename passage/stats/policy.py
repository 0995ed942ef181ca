"""Who may read statistics. Partners read the slice of their own cases.

The figures are narrowed in :func:`passage.stats.departures.scoped` with the
registry's :func:`~passage.registry.policy.case_partner_scope`; the people behind
a figure are shown by name only to users who may see people in the registry.
"""

from __future__ import annotations

from passage.core import policy
from passage.core.choices import Role

READERS = frozenset(Role.values)

PERMISSIONS = {
    # Aggregate figures, charts, the pipeline, aggregate exports; the case list behind a figure.
    "stats.view": READERS,
}


def register() -> None:
    policy.register_permissions(PERMISSIONS)
