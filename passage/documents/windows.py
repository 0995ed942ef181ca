"""Windows of departure dates: intersecting constraints' bounds and finding allowed days.

Pure date arithmetic on :class:`passage.core.readiness.Constraint` lists, used by
:mod:`passage.documents.readiness` for every case of a batch.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from passage.core.readiness import Constraint

HORIZON_DAYS = 400  # how far an unbounded window is searched for allowed days


@dataclass(frozen=True)
class DateRange:
    start: date | None
    end: date | None

    @property
    def empty(self) -> bool:
        return self.start is not None and self.end is not None and self.start > self.end

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date) or self.empty:
            return False
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


def intersect(constraints: Iterable[Constraint], today: date) -> DateRange:
    """The dates from today that every constraint's bounds allow (ignoring date checks)."""
    start: date = today
    end: date | None = None
    for c in constraints:
        if c.blocker:
            continue
        if c.valid_from is not None and c.valid_from > start:
            start = c.valid_from
        if c.valid_until is not None and (end is None or c.valid_until < end):
            end = c.valid_until
    return DateRange(start, end)


def refused(constraints: Iterable[Constraint], day: date) -> str | None:
    for c in constraints:
        if c.date_check is not None and not c.blocker:
            reason = c.date_check(day)
            if reason:
                return reason
    return None


def _first_day(checks: list[Constraint], start: date, end: date | None) -> date | None:
    """The first day from ``start`` that no date check refuses (to ``end`` or the horizon)."""
    if not checks:
        return start
    day = start
    last = end or day + timedelta(days=HORIZON_DAYS)
    one = timedelta(days=1)
    while day <= last:
        if refused(checks, day) is None:
            return day
        day += one
    return None


def first_allowed(constraints: list[Constraint], window: DateRange) -> date | None:
    if window.empty or window.start is None:
        return None
    if any(c.blocker for c in constraints):
        return None
    return _first_day(
        [c for c in constraints if c.date_check is not None], window.start, window.end
    )


def allowed_ranges(
    constraints: list[Constraint], window: DateRange, horizon_days: int = HORIZON_DAYS
) -> list[DateRange]:
    if window.empty or window.start is None or any(c.blocker for c in constraints):
        return []
    checks = [c for c in constraints if c.date_check is not None]
    limit = window.start + timedelta(days=horizon_days)
    last = min(window.end, limit) if window.end is not None else limit
    if not checks:
        return [window]
    ranges: list[DateRange] = []
    run_start: date | None = None
    day = window.start
    while day <= last:
        ok = refused(checks, day) is None
        if ok and run_start is None:
            run_start = day
        if not ok and run_start is not None:
            ranges.append(DateRange(run_start, day - timedelta(days=1)))
            run_start = None
        day += timedelta(days=1)
    if run_start is not None:
        ranges.append(DateRange(run_start, window.end if last == window.end else last))
    return ranges
