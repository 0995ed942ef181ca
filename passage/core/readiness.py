"""The contract between travel readiness and the capabilities that feed it.

Travel readiness (the documents app) asks every registered *source* for the
constraints that hold on a batch of cases: each medical clearance, orientation
completion, travel document, exit visa or signed loan note becomes a
``Constraint`` with the window of departure dates it allows, or a blocker when
no date can satisfy it yet. Readiness intersects the windows per case.

A source is registered in its app's ``AppConfig.ready``::

    from passage.core import readiness
    readiness.register_source("health", health_constraints)

and must answer a whole batch in a fixed number of queries (the readiness board
computes 20,000 cases at once).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Constraint:
    """One rule that a departure date must satisfy, for a case or one of its people.

    ``valid_from``/``valid_until`` bound the departure dates allowed (inclusive; ``None``
    is unbounded). ``blocker`` is set when nothing is in place yet (no exam, no passport):
    then no date satisfies it. ``date_check`` optionally refuses single dates inside the
    window (an arrival on a weekend or a holiday) and returns the reason. ``resolve``
    says what a person should do about it. ``warn_before`` asks for a warning when the
    window's end is this many days or fewer after the departure.
    """

    source: str
    code: str
    case_id: int
    label: str
    person_id: int | None = None
    person_name: str = ""
    valid_from: date | None = None
    valid_until: date | None = None
    blocker: str = ""
    resolve: str = ""
    date_check: Callable[[date], str | None] | None = field(default=None, compare=False)
    details: dict[str, Any] = field(default_factory=dict, compare=False)

    def allows(self, day: date) -> str | None:
        """None when ``day`` satisfies this constraint, else the reason it does not."""
        if self.blocker:
            return self.blocker
        if self.valid_from is not None and day < self.valid_from:
            return f"{self.label}: not before {self.valid_from.isoformat()}"
        if self.valid_until is not None and day > self.valid_until:
            return f"{self.label}: ends on {self.valid_until.isoformat()}"
        if self.date_check is not None:
            return self.date_check(day)
        return None


# A source takes the cases (model instances of passage.registry's Case, with their
# members prefetched by the caller) and returns their constraints.
Source = Callable[[Sequence[Any]], Iterable[Constraint]]

_sources: dict[str, Source] = {}


def register_source(name: str, source: Source) -> None:
    _sources[name] = source


def sources() -> dict[str, Source]:
    return dict(_sources)
