"""Travel readiness: the intersection of every registered source's constraints.

:func:`readiness_for_cases` asks each source registered with
:mod:`passage.core.readiness` (documents here; health, orientation and others in
their apps) for the constraints of a whole batch, once per source, and intersects
them per case in Python. The result says, for a proposed departure date or for
"as soon as possible" (``departure=None``: the first date of the window on or
after today):

* ``ready`` — every constraint allows that date;
* ``blockers`` — each constraint that does not, with its reason and what resolves it;
* ``window`` — the dates on which every validity overlaps (``DateRange``, empty
  when none), and ``ranges()`` — the same with the days a ``date_check`` refuses
  (arrival weekdays, holidays) taken out;
* ``warnings`` — validities that end within ``warn_days`` of the departure;
* ``people`` — the same per person.

Arrival-day rules are applied to the departure date: until movements record an
itinerary, the arrival is assumed to be on the day of departure.

A COPR that ends with the medical clearance (``details["ends_with"] == "medical"``)
is capped at the end of the same person's medical constraint from any source
(``details["kind"] == "medical"`` or a code starting with ``medical``).
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import get_language

from passage.core import readiness
from passage.core.readiness import Constraint
from passage.documents.rows import CaseRows, case_rows
from passage.documents.sources import _, remembered_texts
from passage.documents.windows import (
    HORIZON_DAYS,
    DateRange,
    allowed_ranges,
    first_allowed,
    intersect,
    refused,
)
from passage.documents.windows import _first_day as _first_day

__all__ = [
    "HORIZON_DAYS",
    "DateRange",
    "Item",
    "PersonReadiness",
    "Result",
    "allowed_ranges",
    "collector_paused",
    "evaluate",
    "explain",
    "first_allowed",
    "gather",
    "intersect",
    "readiness_for_case",
    "readiness_for_cases",
    "refused",
]


def default_warn_days() -> int:
    return int(getattr(settings, "PASSAGE_READINESS_WARN_DAYS", 14))


@dataclass(frozen=True)
class Item:
    """A blocker or a warning, as people read it."""

    source: str
    code: str
    label: str
    reason: str
    resolve: str
    person_id: int | None = None
    person_name: str = ""


@dataclass
class PersonReadiness:
    person_id: int
    name: str
    ready: bool
    window: DateRange
    blockers: list[Item] = field(default_factory=list)


class Result:
    """Readiness of one case. ``ready``, ``departure`` and ``window`` are computed at once;
    ``blockers``, ``warnings`` and ``people`` (their texts) when first read: the board
    computes 20,000 cases and shows the blockers of one page. They are the same whenever
    they are read."""

    def __init__(
        self,
        case_id: int,
        ready: bool,
        departure: date | None,
        window: DateRange,
        *,
        constraints: list[Constraint],
        asked: date | None,
        today: date,
        warn_days: int,
        members: Sequence[Any] = (),
    ) -> None:
        self.case_id = case_id
        self.ready = ready
        self.departure = departure
        self.window = window
        self.constraints = constraints
        self.asked = asked
        self.today = today
        self.warn_days = warn_days
        self.members = members
        # The batch's remembered translations, for the texts built when first read (in
        # the language the batch was computed in; another language translates afresh).
        self.texts: dict[str, str] = {}
        self.language: str | None = None

    def _remembered(self) -> AbstractContextManager[Any]:
        if self.language is not None and self.language == get_language():
            return remembered_texts(self.texts)
        return nullcontext()

    def __repr__(self) -> str:
        return (
            f"Result(case_id={self.case_id}, ready={self.ready}, departure={self.departure}, "
            f"window={self.window})"
        )

    @cached_property
    def names(self) -> dict[int, str]:
        """Each member's name by person id (members are ``(id, name)`` pairs or rows)."""
        out = {}
        for m in self.members:
            if isinstance(m, tuple):
                out[m[0]] = m[1]
            else:
                out[m.person_id] = str(m.person)
        return out

    def named(self, c: Constraint) -> Constraint:
        """The constraint with its person's name, for sources that give only the id."""
        if c.person_name or c.person_id is None or c.person_id not in self.names:
            return c
        return replace(c, person_name=self.names[c.person_id])

    @cached_property
    def blockers(self) -> list[Item]:
        with self._remembered():
            return _blockers(self)

    @cached_property
    def warnings(self) -> list[Item]:
        if not self.ready:
            return []
        with self._remembered():
            return _warnings(self.constraints, self.departure, self.warn_days, self.named)

    @cached_property
    def people(self) -> list[PersonReadiness]:
        """Readiness per person, computed when asked (the board does not show it)."""
        people = [(m[0], m[1]) if isinstance(m, tuple) else (m.person_id, str(m.person))
                  for m in self.members]  # fmt: skip
        with self._remembered():
            return _per_person(self.constraints, people, self.departure, self.today, self.named)

    @property
    def earliest(self) -> date | None:
        """The first possible departure on or after today."""
        return first_allowed(self.constraints, self.window)

    def ranges(self, horizon_days: int = HORIZON_DAYS) -> list[DateRange]:
        """The window without the days a date check refuses (up to ``horizon_days``)."""
        return allowed_ranges(self.constraints, self.window, horizon_days)

    @property
    def has_date_checks(self) -> bool:
        return any(c.date_check is not None for c in self.constraints if not c.blocker)


def _prefetched(cases: Sequence[Any] | models.QuerySet[Any]) -> list[Any]:
    if isinstance(cases, models.QuerySet):
        return case_rows(cases)
    if isinstance(cases, CaseRows):
        return cases
    items = list(cases)
    missing = [c for c in items if not hasattr(c, "active_members")]
    if missing:
        from passage.registry.queries import active_members

        prefetch_related_objects(missing, active_members())
    return items


Parts = list[tuple[bool, dict[int, list[Constraint]]]]


def gather_parts(
    cases: Sequence[Any], on: date | None = None, *, dated_only: bool = False
) -> Parts:
    """Each registered source's constraints, grouped by case, in the order the sources were
    registered, with whether the source is dated (it applies the destination profile in
    force on ``on``, today when ``None``)."""
    parts: Parts = []
    for source in readiness.sources().values():
        dated = readiness.is_dated(source)
        if dated_only and not dated:
            continue
        by_case: dict[int, list[Constraint]] = defaultdict(list)
        for constraint in source(cases, on=on) if dated else source(cases):
            by_case[constraint.case_id].append(constraint)
        parts.append((dated, by_case))
    return parts


def _merged(parts: Parts, case_id: int) -> list[Constraint]:
    if len(parts) == 1:
        return list(parts[0][1].get(case_id, ()))
    out: list[Constraint] = []
    for _dated, by_case in parts:
        found = by_case.get(case_id)
        if found:
            out += found
    return out


def gather(cases: Sequence[Any], on: date | None = None) -> dict[int, list[Constraint]]:
    """Every registered source's constraints for the batch, grouped by case (a COPR that
    ends with the medical clearance capped by it)."""
    parts = gather_parts(cases, on)
    ids = {case_id for _dated, by_case in parts for case_id in by_case}
    return {case_id: _capped(_merged(parts, case_id)) for case_id in ids}


def _capped(constraints: list[Constraint]) -> list[Constraint]:
    for c in constraints:
        details = c.details
        if details and details.get("ends_with") == "medical":
            return cap_with_medical(constraints)
    return constraints


def _is_medical(c: Constraint) -> bool:
    return c.details.get("kind") == "medical" or c.code.startswith("medical")


def cap_with_medical(constraints: list[Constraint]) -> list[Constraint]:
    """End a COPR no later than its holder's medical clearance."""
    medical_end: dict[int | None, date] = {}
    capping = False
    for c in constraints:
        details = c.details
        if details and details.get("ends_with") == "medical":
            capping = True
        until = c.valid_until
        if until is None or c.blocker:
            continue
        if c.code.startswith("medical") or (details and details.get("kind") == "medical"):
            current = medical_end.get(c.person_id)
            if current is None or until < current:
                medical_end[c.person_id] = until
    if not capping:
        return constraints
    capped = []
    for c in constraints:
        details = c.details
        if details and details.get("ends_with") == "medical":
            end = medical_end.get(c.person_id)
            if end is not None and (c.valid_until is None or end < c.valid_until):
                c = Constraint(
                    c.source, c.code, c.case_id, c.label, c.person_id, c.person_name,
                    c.valid_from, end, c.blocker, c.resolve, c.date_check,
                    {**details, "capped_by": "medical"},
                )  # fmt: skip
        capped.append(c)
    return capped


def _whom(c: Constraint) -> str:
    return (
        _("%(label)s of %(person)s") % {"label": c.label, "person": c.person_name}
        if (c.person_name)
        else c.label
    )


def explain(c: Constraint, day: date) -> str:
    """Why ``c`` refuses a departure on ``day``, in words."""
    if c.blocker:
        return c.blocker
    if c.valid_until is not None and day > c.valid_until:
        days = (day - c.valid_until).days
        return _("%(what)s ends on %(end)s, %(days)s day(s) before the departure.") % {
            "what": _whom(c),
            "end": c.valid_until.isoformat(),
            "days": days,
        }
    if c.valid_from is not None and day < c.valid_from:
        return _("%(what)s starts on %(start)s, %(days)s day(s) after the departure.") % {
            "what": _whom(c),
            "start": c.valid_from.isoformat(),
            "days": (c.valid_from - day).days,
        }
    return c.allows(day) or ""


def _item(c: Constraint, reason: str) -> Item:
    return Item(c.source, c.code, c.label, reason, c.resolve, c.person_id, c.person_name)


def _window_blockers(constraints: list[Constraint], window: DateRange, today: date) -> list[Item]:
    """Why the window is empty: what has ended, or what ends before the others begin."""
    items = []
    for c in constraints:
        if c.blocker or c.valid_until is None or window.start is None:
            continue
        if c.valid_until < today:
            reason = _("%(what)s ended on %(end)s.") % {
                "what": _whom(c),
                "end": c.valid_until.isoformat(),
            }
            items.append(_item(c, reason))
        elif c.valid_until < window.start:
            reason = _(
                "%(what)s ends on %(end)s, before the other requirements allow a "
                "departure (from %(start)s)."
            ) % {
                "what": _whom(c),
                "end": c.valid_until.isoformat(),
                "start": window.start.isoformat(),
            }
            items.append(_item(c, reason))
    return items


def _warnings(
    constraints: list[Constraint],
    day: date | None,
    warn_days: int,
    named: Callable[[Constraint], Constraint] = lambda c: c,
) -> list[Item]:
    if day is None:
        return []
    items = []
    for c in constraints:
        if c.blocker or c.valid_until is None or c.valid_until < day:
            continue
        limit = int(c.details.get("warn_before", warn_days))
        end = c.valid_until
        left = (end - day).days
        if left <= limit:
            c = named(c)
            reason = _("%(what)s ends on %(end)s, %(days)s day(s) after the departure.") % {
                "what": _whom(c),
                "end": end.isoformat(),
                "days": left,
            }
            items.append(_item(c, reason))
    return items


def evaluate(
    case_id: int,
    constraints: list[Constraint],
    departure: date | None,
    today: date,
    warn_days: int,
    people: Sequence[Any] = (),
) -> Result:
    """Intersect one case's constraints for a departure (or as soon as possible).

    ``people`` are the case's members: ``(person_id, name)`` pairs or membership rows
    (named only when a blocker or warning is read)."""
    start: date = today
    end: date | None = None
    blocked = False
    checks = []
    for c in constraints:
        if c.blocker:
            blocked = True
            continue
        valid_from = c.valid_from
        if valid_from is not None and valid_from > start:
            start = valid_from
        valid_until = c.valid_until
        if valid_until is not None and (end is None or valid_until < end):
            end = valid_until
        if c.date_check is not None:
            checks.append(c)
    window = DateRange(start, end)
    empty = end is not None and start > end
    if departure is None:
        day = None if blocked or empty else _first_day(checks, start, end)
        ready = day is not None
    else:
        day = departure
        ready = (
            not blocked
            and today <= day
            and start <= day
            and (end is None or day <= end)
            and refused(checks, day) is None
        )
    return Result(
        case_id,
        ready,
        day,
        window,
        constraints=constraints,
        asked=departure,
        today=today,
        warn_days=warn_days,
        members=people,
    )


def _blockers(result: Result) -> list[Item]:
    """Every constraint that refuses the departure, or why there is no day to depart."""
    day, today, window, named = result.departure, result.today, result.window, result.named
    constraints = result.constraints
    if day is not None:
        refusing = [named(c) for c in constraints if c.refuses(day)]
        items = [_item(c, explain(c, day)) for c in refusing]
        if day < today:
            items.insert(
                0,
                Item(
                    "readiness",
                    "past",
                    _("Departure"),
                    _("The departure date is in the past."),
                    _("Choose a later date."),
                ),
            )
        return items
    items = [_item(named(c), c.blocker) for c in constraints if c.blocker]
    items += _window_blockers([named(c) for c in constraints], window, today)
    if not items and (window.empty or window.start is not None):
        items.append(
            Item(
                "readiness",
                "no_day",
                _("Window"),
                _("No day in the window is allowed."),
                _("Check the arrival-day rules."),
            )
        )
    return items


def _per_person(
    constraints: list[Constraint],
    people: Sequence[tuple[int, str]],
    day: date | None,
    today: date,
    named: Callable[[Constraint], Constraint] = lambda c: c,
) -> list[PersonReadiness]:
    own: dict[int, list[Constraint]] = defaultdict(list)
    for c in constraints:
        if c.person_id is not None:
            own[c.person_id].append(named(c))
    out = []
    for person_id, name in people:
        mine = own.get(person_id, [])
        window = intersect(mine, today)
        if day is not None:
            blockers = [_item(c, explain(c, day)) for c in mine if c.refuses(day)]
        else:
            blockers = [_item(c, c.blocker) for c in mine if c.blocker]
            blockers += _window_blockers(mine, window, today)
        out.append(PersonReadiness(person_id, name, not blockers, window, blockers))
    return out


def readiness_for_cases(
    cases: Sequence[Any] | models.QuerySet[Any],
    departure: date | None = None,
    *,
    today: date | None = None,
    warn_days: int | None = None,
) -> dict[int, Result]:
    """Readiness of every case of the batch, in a fixed number of queries per source.

    For a departure date, the destination profiles in force on that date apply. For "as
    soon as possible", the profiles in force today, and where a new version comes into
    force later (:func:`profile_changes`), each version from its own first day: the
    case departs on the first day on which every rule of the version in force that day
    holds (its window ends where the version ends); without such a day, the result is
    the one under today's versions."""
    today = today or timezone.localdate()
    warn = default_warn_days() if warn_days is None else warn_days
    with remembered_texts() as texts, collector_paused():
        items = _prefetched(cases)
        results = _evaluate_all(items, departure, today, warn)
    language = get_language()
    for result in results.values():
        result.texts, result.language = texts, language
    return results


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while a batch's results are built and used.

    The board allocates over half a million small objects (constraints, results, rows);
    each collection that runs meanwhile walks them all again, and so does the first one
    after the collector resumes if they are still alive: about 0.8 s of a 2.5 s board.
    Callers that compute a board and then render or export it hold the pause around
    both and drop the results before it ends: they are freed by reference counting
    (nothing here makes reference cycles), and the collector resumes on an almost empty
    young generation. ``readiness_for_cases`` pauses it for its own work in any case.
    Nested pauses are fine: only the outermost resumes the collector."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _evaluate_all(
    items: list[Any], departure: date | None, today: date, warn: int
) -> dict[int, Result]:
    parts = gather_parts(items, departure)
    results = {}
    for case in items:
        pk = case.id
        constraints = _capped(_merged(parts, pk))
        results[pk] = evaluate(pk, constraints, departure, today, warn, case.active_members)
    if departure is None:
        from passage.documents import versions

        changes = versions.profile_changes(items, today)
        if changes:
            versions.later_versions(items, changes, parts, results, today, warn)
    return results


def readiness_for_case(case: Any, departure: date | None = None, **kwargs: Any) -> Result:
    return readiness_for_cases([case], departure, **kwargs)[case.pk]
