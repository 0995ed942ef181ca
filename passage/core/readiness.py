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

import inspect
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast


@dataclass(slots=True)
class Constraint:
    """One rule that a departure date must satisfy, for a case or one of its people.

    ``valid_from``/``valid_until`` bound the departure dates allowed (inclusive; ``None``
    is unbounded). ``blocker`` is set when nothing is in place yet (no exam, no passport):
    then no date satisfies it. ``date_check`` optionally refuses single dates inside the
    window (an arrival on a weekend or a holiday) and returns the reason. ``resolve``
    says what a person should do about it. ``person_name`` may be left empty: readiness
    names the person from the case's members when it reports the constraint.

    A plain (slotted) dataclass, not a frozen one: the board builds hundreds of
    thousands of them, and a frozen dataclass's ``__init__`` costs several times more.
    Treat it as immutable all the same (``dataclasses.replace`` for a changed copy).
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

    def refuses(self, day: date) -> bool:
        """``allows(day) is not None``, without building the reason."""
        if self.blocker:
            return True
        if self.valid_from is not None and day < self.valid_from:
            return True
        if self.valid_until is not None and day > self.valid_until:
            return True
        return self.date_check is not None and self.date_check(day) is not None


# A source takes the cases (model instances of passage.registry's Case, with their
# members prefetched by the caller) and returns their constraints. A *dated* source
# also takes ``on``: the day whose destination profile applies (the departure date).
Source = Callable[..., Iterable[Constraint]]


_sources: dict[str, Source] = {}


def register_source(name: str, source: Source) -> None:
    """Register a source. One that accepts an ``on`` keyword is *dated*: readiness passes
    the day whose destination profile applies (the departure date asked, or each day a
    new profile version comes into force for "as soon as possible")."""
    _sources[name] = source


def sources() -> dict[str, Source]:
    return dict(_sources)


def is_dated(source: Source) -> bool:
    try:
        return "on" in inspect.signature(source).parameters
    except (TypeError, ValueError):
        return False


# ---- bulk loading helpers for sources -------------------------------------------------


def as_date(value: Any) -> date | None:
    """A date column read without Django's converters (SQLite gives text)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def date_text(name: str) -> Any:
    """A date (or datetime) column for :func:`raw_rows`: on SQLite cast to text, so the
    driver's per-value converter does not run (``as_date`` parses a date several times
    faster, and a value only tested for ``None`` is not parsed at all); elsewhere the
    column itself."""
    if connections["default"].vendor == "sqlite":
        return Cast(name, models.TextField())
    return name


def moment_text(name: str) -> Any:
    """A datetime column for :func:`raw_rows`, cast to text on every database: on SQLite
    as :func:`date_text`; on PostgreSQL too, where Django's loader of ``timestamptz``
    values is Python code (about 5 µs a value: 0.3 s for the board's 66,000
    assessments), whereas most of these values are only tested for ``None`` or never
    read. Parse the text with ``datetime.fromisoformat`` when a value is compared:
    both databases give one format within a column (naive on SQLite, with its offset on
    PostgreSQL)."""
    return Cast(name, models.TextField())


def raw_rows(queryset: models.QuerySet[Any], chunk: int = 5000) -> Iterator[tuple[Any, ...]]:
    """The rows of a ``values_list`` queryset straight from the cursor, skipping the ORM's
    per-value converters (the board reads hundreds of thousands of values)."""
    compiler = queryset.query.get_compiler(queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return  # an empty ``__in`` list: no rows

    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk):
            yield from rows


def id_set(ids: Sequence[int]) -> Any:
    """The right-hand side of an ``__in`` lookup for a long list of ids, sent as one
    parameter whatever their number: on SQLite a ``json_each`` of a JSON array, on
    PostgreSQL the ``unnest`` of an array (20,000 cases, 70,000 people); elsewhere the
    list itself."""
    vendor = connections["default"].vendor
    if vendor == "sqlite":
        return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(list(ids))])
    if vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [list(ids)])
    return list(ids)


def _resolved_ids_first() -> bool:
    """Whether sources filter by the ids a batch resolved once rather than by a subquery
    of its query: on SQLite (each source evaluated the board's subquery again: 12 ms for
    a query on an empty table, 70,000 people); not on PostgreSQL, whose planner runs the
    subquery as a hash join and where 70,000 ids sent as an array literal cost more (the
    board measured 0.15 s more CPU and SQL time at 10,000 cases)."""
    return connections["default"].vendor == "sqlite"


def case_filter(cases: Sequence[Any], lookup: str = "case_id") -> models.Q:
    """Rows of these cases: by the case ids the batch resolved once (SQLite) or by a
    subquery of the board's query (PostgreSQL) when the cases remember them
    (``passage.documents.rows.CaseRows``), else by their ids."""
    ids = getattr(cases, "case_ids", None)
    source = getattr(cases, "queryset", None)
    if source is not None and (ids is None or not _resolved_ids_first()):
        return models.Q(**{f"{lookup}__in": source.values("pk")})
    if ids is None:
        ids = [c.pk for c in cases]
    return models.Q(**{f"{lookup}__in": id_set(ids)})


def member_filter(cases: Sequence[Any], lookup: str = "person_id") -> models.Q:
    """Rows of the current members of these cases: by the person ids the batch resolved
    once (``CaseRows``, on SQLite), else by a subquery of the memberships."""
    ids = getattr(cases, "person_ids", None)
    if ids is not None and _resolved_ids_first():
        return models.Q(**{f"{lookup}__in": id_set(ids)})
    from django.apps import apps

    membership = apps.get_model("registry", "Membership")
    people = membership.objects.filter(case_filter(cases), ended_at__isnull=True)
    return models.Q(**{f"{lookup}__in": people.values("person_id")})


def some_members_filter(
    cases: Sequence[Any], people: Iterable[int], members_where: models.Q, lookup: str = "person_id"
) -> models.Q:
    """Rows of ``people``: the current members of those of ``cases`` that meet
    ``members_where`` (a condition on the membership, on its case through ``case__``). As
    their ids, sent as one parameter, on SQLite or for a batch without a query; on
    PostgreSQL as a subquery of the batch's query narrowed by the condition (sending
    28,000 ids there cost about 0.1 s of dumping and parsing, the subquery's hash join
    about 0.04 s)."""
    source = getattr(cases, "queryset", None)
    if source is None or _resolved_ids_first():
        return models.Q(**{f"{lookup}__in": id_set(list(people))})
    from django.apps import apps

    membership = apps.get_model("registry", "Membership")
    chosen = membership.objects.filter(
        members_where, ended_at__isnull=True, case_id__in=source.values("pk")
    )
    return models.Q(**{f"{lookup}__in": chosen.values("person_id")})
