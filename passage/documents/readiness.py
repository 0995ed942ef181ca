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

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import prefetch_related_objects
from django.utils import timezone

from passage.core import readiness
from passage.core.readiness import Constraint
from passage.documents.rows import CaseRows, case_rows
from passage.documents.sources import _, remembered_texts

HORIZON_DAYS = 400  # how far an unbounded window is searched for allowed days


def default_warn_days() -> int:
    return int(getattr(settings, "PASSAGE_READINESS_WARN_DAYS", 14))


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


@dataclass
class Result:
    case_id: int
    ready: bool
    departure: date | None
    window: DateRange
    blockers: list[Item] = field(default_factory=list)
    warnings: list[Item] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list, repr=False)
    asked: date | None = None
    today: date | None = None
    members: Sequence[tuple[int, str]] = field(default_factory=list, repr=False)

    @cached_property
    def people(self) -> list[PersonReadiness]:
        """Readiness per person, computed when asked (the board does not show it)."""
        return _per_person(self.constraints, self.members, self.departure, self.today or date.min)

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


def gather(cases: Sequence[Any]) -> dict[int, list[Constraint]]:
    """Every registered source's constraints for the batch, grouped by case."""
    by_case: dict[int, list[Constraint]] = defaultdict(list)
    capped: set[int] = set()
    for source in readiness.sources().values():
        for constraint in source(cases):
            by_case[constraint.case_id].append(constraint)
            if constraint.details.get("ends_with") == "medical":
                capped.add(constraint.case_id)
    for case_id in capped:
        by_case[case_id] = cap_with_medical(by_case[case_id])
    return by_case


def _is_medical(c: Constraint) -> bool:
    return c.details.get("kind") == "medical" or c.code.startswith("medical")


def cap_with_medical(constraints: list[Constraint]) -> list[Constraint]:
    """End a COPR no later than its holder's medical clearance."""
    if not any(c.details.get("ends_with") == "medical" for c in constraints):
        return constraints
    medical_end: dict[int | None, date] = {}
    for c in constraints:
        if _is_medical(c) and not c.blocker and c.valid_until is not None:
            current = medical_end.get(c.person_id)
            medical_end[c.person_id] = min(filter(None, [current, c.valid_until]))
    capped = []
    for c in constraints:
        end = medical_end.get(c.person_id)
        ends_with_medical = c.details.get("ends_with") == "medical" and end is not None
        if ends_with_medical and (c.valid_until is None or end < c.valid_until):  # type: ignore[operator]
            c = replace(c, valid_until=end, details={**c.details, "capped_by": "medical"})
        capped.append(c)
    return capped


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


def first_allowed(constraints: list[Constraint], window: DateRange) -> date | None:
    if window.empty or window.start is None:
        return None
    checks = []
    for c in constraints:
        if c.blocker:
            return None
        if c.date_check is not None:
            checks.append(c)
    if not checks:
        return window.start
    day = window.start
    last = window.end or day + timedelta(days=HORIZON_DAYS)
    while day <= last:
        if refused(checks, day) is None:
            return day
        day += timedelta(days=1)
    return None


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
    people: Sequence[tuple[int, str]] = (),
) -> Result:
    """Intersect one case's constraints for a departure (or as soon as possible)."""
    names = dict(people)

    def named(c: Constraint) -> Constraint:
        """The constraint with its person's name, for sources that give only the id."""
        if c.person_name or c.person_id is None or c.person_id not in names:
            return c
        return replace(c, person_name=names[c.person_id])

    window = intersect(constraints, today)
    result = Result(
        case_id, False, departure, window, constraints=constraints, asked=departure, today=today
    )
    day = departure if departure is not None else result.earliest
    result.departure = day
    if day is not None:
        refusing = [named(c) for c in constraints if c.allows(day)]
        result.blockers = [_item(c, explain(c, day)) for c in refusing]
        if day < today:
            result.blockers.insert(
                0,
                Item(
                    "readiness",
                    "past",
                    _("Departure"),
                    _("The departure date is in the past."),
                    _("Choose a later date."),
                ),
            )
    else:
        result.blockers = [_item(named(c), c.blocker) for c in constraints if c.blocker]
        result.blockers += _window_blockers([named(c) for c in constraints], window, today)
        if not result.blockers and (window.empty or window.start is not None):
            result.blockers.append(
                Item(
                    "readiness",
                    "no_day",
                    _("Window"),
                    _("No day in the window is allowed."),
                    _("Check the arrival-day rules."),
                )
            )
    result.ready = day is not None and not result.blockers
    result.warnings = _warnings(constraints, day, warn_days, named) if result.ready else []
    result.members = people
    return result


def _per_person(
    constraints: list[Constraint], people: Sequence[tuple[int, str]], day: date | None, today: date
) -> list[PersonReadiness]:
    own: dict[int, list[Constraint]] = defaultdict(list)
    for c in constraints:
        if c.person_id is not None:
            own[c.person_id].append(c)
    out = []
    for person_id, name in people:
        mine = own.get(person_id, [])
        window = intersect(mine, today)
        if day is not None:
            blockers = [_item(c, explain(c, day)) for c in mine if c.allows(day)]
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
    """Readiness of every case of the batch, in a fixed number of queries per source."""
    today = today or timezone.localdate()
    warn = default_warn_days() if warn_days is None else warn_days
    items = _prefetched(cases)
    with remembered_texts():
        return _evaluate_all(items, departure, today, warn)


def _evaluate_all(
    items: list[Any], departure: date | None, today: date, warn: int
) -> dict[int, Result]:
    by_case = gather(items)
    results = {}
    for case in items:
        people = [(m.person_id, str(m.person)) for m in case.active_members]
        results[case.pk] = evaluate(
            case.pk, by_case.get(case.pk, []), departure, today, warn, people
        )
    return results


def readiness_for_case(case: Any, departure: date | None = None, **kwargs: Any) -> Result:
    return readiness_for_cases([case], departure, **kwargs)[case.pk]
