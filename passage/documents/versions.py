"""Readiness "as soon as possible" when a new destination profile version comes into force.

:func:`profile_changes` finds, in one query, the cases whose profile changes within the
horizon; :func:`later_versions` tries each version from its own first day (the dated
sources asked once per distinct effective date, not per case) and keeps the first
version period with a day to depart. See docs/readiness.md, "Profile version".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from passage.core.readiness import Constraint
from passage.documents.readiness import (
    Parts,
    Result,
    _capped,
    _merged,
    evaluate,
    gather_parts,
)
from passage.documents.sources import _
from passage.documents.windows import HORIZON_DAYS
from passage.profiles.models import DestinationProfile


def profile_changes(cases: Sequence[Any], today: date) -> dict[int, list[date]]:
    """For each case whose destination profile changes within the horizon, the days a
    new version comes into force (one query)."""
    countries = {c.destination_country for c in cases}
    horizon = today + timedelta(days=HORIZON_DAYS)
    versions: dict[tuple[str, str], list[tuple[date, int]]] = defaultdict(list)
    rows = DestinationProfile.objects.filter(country__in=countries, effective_from__lte=horizon)
    for pk, country, programme, effective in rows.values_list(
        "pk", "country", "programme", "effective_from"
    ):
        versions[(country, programme)].append((effective, pk))
    if not any(e > today for dates in versions.values() for e, _pk in dates):
        return {}

    def in_force(key: tuple[str, str], day: date) -> int | None:
        found = [v for v in versions.get(key, []) if v[0] <= day]
        if found:
            return max(found)[1]
        general = [v for v in versions.get((key[0], ""), []) if v[0] <= day]
        return max(general)[1] if general else None

    by_key: dict[tuple[str, str], list[date]] = {}
    out = {}
    for case in cases:
        key = (case.destination_country, case.programme)
        if key not in by_key:
            future = sorted(
                {e for e, _pk in versions.get(key, []) + versions.get((key[0], ""), [])}
            )
            days, current = [], in_force(key, today)
            for day in (d for d in future if d > today):
                chosen = in_force(key, day)
                if chosen != current:
                    days.append(day)
                    current = chosen
            by_key[key] = days
        if by_key[key]:
            out[case.pk] = by_key[key]
    return out


def _segment(case_id: int, start: date | None, end: date | None) -> Constraint:
    """The days on which one version of the destination profile is in force."""
    return Constraint(
        "readiness",
        "profile_version",
        case_id,
        _("Destination profile"),
        valid_from=start,
        valid_until=end,
        details={"warn_before": -1},
    )


def later_versions(
    items: list[Any],
    changes: dict[int, list[date]],
    parts: Parts,
    results: dict[int, Result],
    today: date,
    warn: int,
) -> None:
    """ "As soon as possible" where a new profile version comes into force: the first
    version period (today's, then each later one) that has a day to depart."""
    changing = [c for c in items if c.pk in changes]
    later: dict[date, Parts] = {}
    for day in sorted({d for days in changes.values() for d in days}):
        on_day = [c for c in changing if day in changes[c.pk]]
        dated = iter(gather_parts(on_day, day, dated_only=True))
        later[day] = [next(dated) if is_dated else (False, by_case) for is_dated, by_case in parts]
    for case in changing:
        pk = case.pk
        bounds = [today, *changes[pk]]
        for i, start in enumerate(bounds):
            end = bounds[i + 1] - timedelta(days=1) if i + 1 < len(bounds) else None
            own = _merged(parts if i == 0 else later[start], pk)
            constraints = _capped([*own, _segment(pk, start if i else None, end)])
            result = evaluate(pk, constraints, None, today, warn, case.active_members)
            if result.departure is not None:
                results[pk] = result
                break
