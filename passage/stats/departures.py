"""What a departure is, and the departures statistics: the one query module.

Until the movements capability records flights, **a departure is a case's
transition to ``departed`` in the registry's status history** (its time is the
departure time), and **the people who departed are the members of the case at
that moment**: memberships that began at or before it and had not ended by then.
A departure that was later interrupted (``travel_interrupted``) before the case
departed again does not count: the case departs again, and that later departure
is the one counted. A movements record can refine :func:`departure_events` and
:func:`departed_people` here; the pages, exports, API and command only call
:func:`departure_figures` and :func:`departure_records`.

Everything is one aggregate query (``GROUP BY``) over the history table joined to
the case, its memberships and the people: no rows are loaded into Python.
Years are buckets between boundaries computed in the mission's time zone (a
``CASE`` on the departure time), so calendar and US fiscal years (from 1 October)
cost the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Value, When
from django.db.models.expressions import Case as CaseWhen
from django.db.models.expressions import Func
from django.utils import timezone

from passage.core import policy
from passage.core.policy import AnyUser
from passage.profiles.choices import STREAM_OF_PROGRAMME, Programme, Stream
from passage.registry.choices import CaseStatus
from passage.registry.models import CaseStatusChange
from passage.registry.policy import case_partner_scope

GROUP_KEYS = ("year", "destination", "programme", "stream", "sex", "age_band")

# Age on the day of departure (UTC date), in whole years.
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-4", 0, 4),
    ("5-11", 5, 11),
    ("12-17", 12, 17),
    ("18-59", 18, 59),
    ("60+", 60, None),
)
UNKNOWN_AGE = "unknown"
AGE_BAND_CODES = (*(code for code, _lo, _hi in AGE_BANDS), UNKNOWN_AGE)

CALENDAR = "calendar"
FISCAL = "fiscal"
FISCAL_START_MONTH = 10  # US fiscal year N runs from 1 October N-1 to 30 September N.


@dataclass(frozen=True)
class Filters:
    """A period (inclusive dates) and optional narrowing by the grouping keys."""

    start: dt.date
    end: dt.date
    year_kind: str = CALENDAR
    destinations: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    streams: tuple[str, ...] = ()
    # Drill-down: the group a figure stands for.
    year: int | None = None
    sexes: tuple[str, ...] = ()
    age_bands: tuple[str, ...] = ()

    def narrowed(self, group: dict[str, Any]) -> Filters:
        """These filters narrowed to one group of a result (the records behind a figure)."""
        f = self
        if group.get("year") is not None:
            f = replace(f, year=int(group["year"]))
        if group.get("destination"):
            f = replace(f, destinations=(str(group["destination"]),))
        if group.get("programme"):
            f = replace(f, programmes=(str(group["programme"]),))
        if group.get("stream"):
            f = replace(f, streams=(str(group["stream"]),))
        if group.get("sex"):
            f = replace(f, sexes=(str(group["sex"]),))
        if group.get("age_band"):
            f = replace(f, age_bands=(str(group["age_band"]),))
        return f


def year_of(moment: dt.datetime, year_kind: str = CALENDAR) -> int:
    local = timezone.localtime(moment)
    if year_kind == FISCAL and local.month >= FISCAL_START_MONTH:
        return local.year + 1
    return local.year


def year_start(year: int, year_kind: str = CALENDAR) -> dt.datetime:
    """The first moment of a (calendar or fiscal) year in the mission's time zone."""
    tz = timezone.get_current_timezone()
    if year_kind == FISCAL:
        return dt.datetime(year - 1, FISCAL_START_MONTH, 1, tzinfo=tz)
    return dt.datetime(year, 1, 1, tzinfo=tz)


def day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def period_bounds(filters: Filters) -> tuple[dt.datetime, dt.datetime]:
    """The half-open interval [start, end) of departure times the filters cover."""
    start, end = day_start(filters.start), day_start(filters.end + dt.timedelta(days=1))
    if filters.year is not None:
        start = max(start, year_start(filters.year, filters.year_kind))
        end = min(end, year_start(filters.year + 1, filters.year_kind))
    return start, end


def year_bucket(filters: Filters) -> CaseWhen:
    """``CASE WHEN at < <start of year+1> THEN year ...``: the year of a departure."""
    first = year_of(day_start(filters.start), filters.year_kind)
    last = year_of(day_start(filters.end), filters.year_kind)
    whens = [
        When(at__lt=year_start(y + 1, filters.year_kind), then=Value(y))
        for y in range(first, last + 1)
    ]
    return CaseWhen(*whens, default=Value(last), output_field=models.IntegerField())


def stream_expression() -> CaseWhen:
    whens = [
        When(case__programme__in=sorted(p for p, s in STREAM_OF_PROGRAMME.items() if s == stream),
             then=Value(str(stream)))
        for stream in Stream
    ]  # fmt: skip
    return CaseWhen(*whens, default=Value(""), output_field=models.CharField())


class AgeAt(Func):
    """Whole years from a date of birth to a moment (its UTC date).

    ``(yyyymmdd(at) - yyyymmdd(dob)) / 10000``, in integer arithmetic.
    """

    output_field = models.IntegerField()
    arity = 2

    def _sql(self, compiler: Any, at_fmt: str, dob_fmt: str) -> tuple[str, tuple[Any, ...]]:
        dob, moment = self.source_expressions
        dob_sql, dob_params = compiler.compile(dob)
        at_sql, at_params = compiler.compile(moment)
        sql = (
            f"((CAST({at_fmt % at_sql} AS INTEGER) - CAST({dob_fmt % dob_sql} AS INTEGER)) / 10000)"
        )
        return sql, (*at_params, *dob_params)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self._sql(
            compiler, "strftime('%%%%Y%%%%m%%%%d', %s)", "strftime('%%%%Y%%%%m%%%%d', %s)"
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self._sql(
            compiler, "to_char(%s AT TIME ZONE 'UTC', 'YYYYMMDD')", "to_char(%s, 'YYYYMMDD')"
        )


class GreaterThan(Func):
    """``a > b`` as a boolean expression, usable as a ``When`` condition."""

    arg_joiner = " > "
    template = "(%(expressions)s)"
    output_field = models.BooleanField()
    conditional = True


PERSON = "case__memberships__person__"


def age_band_expression() -> CaseWhen:
    """The age band at departure; ``unknown`` without a date of birth."""
    age = AgeAt(F(f"{PERSON}date_of_birth"), F("at"))
    branches = [When(**{f"{PERSON}date_of_birth__isnull": True}, then=Value(UNKNOWN_AGE))]
    for code, _lo, hi in AGE_BANDS:
        if hi is not None:
            branches.append(When(GreaterThan(Value(hi + 1), age), then=Value(code)))
    return CaseWhen(*branches, default=Value(AGE_BANDS[-1][0]), output_field=models.CharField())


def departure_events() -> models.QuerySet[CaseStatusChange]:
    """Status changes that are departures: to ``departed``, not undone by an interruption."""
    departed_again = CaseStatusChange.objects.filter(
        case=OuterRef("case"),
        to_status=CaseStatus.DEPARTED,
        at__gt=OuterRef(OuterRef("at")),
        at__lte=OuterRef("at"),
    )
    interrupted = CaseStatusChange.objects.filter(
        case=OuterRef("case"), to_status=CaseStatus.TRAVEL_INTERRUPTED, at__gte=OuterRef("at")
    ).exclude(Exists(departed_again))
    return CaseStatusChange.objects.filter(to_status=CaseStatus.DEPARTED).exclude(
        Exists(interrupted)
    )


def departed_people(filters: Filters) -> models.QuerySet[CaseStatusChange]:
    """One row per person who departed: departures joined to the members at that moment.

    All membership and person conditions sit in one ``filter()`` so they share one join
    (a second ``filter()`` on a many-valued relation would join the members again).
    """
    start, end = period_bounds(filters)
    qs = departure_events().filter(at__gte=start, at__lt=end)
    members = Q(case__memberships__joined_at__lte=F("at")) & (
        Q(case__memberships__ended_at__isnull=True) | Q(case__memberships__ended_at__gt=F("at"))
    )
    if filters.sexes:
        members &= Q(**{f"{PERSON}sex__in": list(filters.sexes)})
    qs = qs.filter(members)
    if filters.destinations:
        qs = qs.filter(case__destination_country__in=[d.upper() for d in filters.destinations])
    programmes = set(filters.programmes)
    if filters.streams:
        in_streams = {p for p, s in STREAM_OF_PROGRAMME.items() if s in filters.streams}
        programmes = programmes & in_streams if programmes else in_streams
        if not programmes:
            return qs.none()
    if programmes or filters.programmes:
        qs = qs.filter(case__programme__in=sorted(programmes))
    if filters.age_bands:
        qs = qs.annotate(f_age_band=age_band_expression()).filter(
            f_age_band__in=list(filters.age_bands)
        )
    return qs


def scoped(
    qs: models.QuerySet[Any], user: AnyUser | None, prefix: str = "case__"
) -> models.QuerySet[Any]:
    """Partners see the departures of the cases they may see; ``None`` is the system."""
    if user is None:
        return qs
    if not policy.has_permission(user, "stats.view"):
        return qs.none()
    if getattr(user, "is_partner", False):
        return case_partner_scope(qs, user, prefix)  # type: ignore[arg-type]
    return qs


def group_expression(key: str, filters: Filters) -> Any:
    if key == "year":
        return year_bucket(filters)
    if key == "stream":
        return stream_expression()
    if key == "age_band":
        return age_band_expression()
    return {
        "destination": F("case__destination_country"),
        "programme": F("case__programme"),
        "sex": F(f"{PERSON}sex"),
    }[key]


def check_keys(keys: Iterable[str]) -> list[str]:
    """The grouping keys, in order and once each; ``ValueError`` names unknown ones."""
    keys = [k.strip() for k in keys if k.strip()]
    unknown = [k for k in keys if k not in GROUP_KEYS]
    if unknown:
        raise ValueError(", ".join(unknown))
    return list(dict.fromkeys(keys))


def figures_query(
    filters: Filters, keys: Sequence[str], user: AnyUser | None = None
) -> models.QuerySet[Any]:
    """The aggregate query: persons who departed, grouped by ``keys`` (at least one)."""
    names = [f"g_{key}" for key in keys]
    qs = scoped(departed_people(filters), user)
    qs = qs.annotate(**{f"g_{key}": group_expression(key, filters) for key in keys})
    grouped: models.QuerySet[Any] = qs.values(*names).annotate(persons=Count("pk"))
    return grouped.order_by(*names)


def departure_figures(
    filters: Filters, by: Sequence[str], user: AnyUser | None = None
) -> list[dict[str, Any]]:
    """Rows ``{key: value, ..., "persons": n}``, one per group, ordered by the keys.

    Without keys: one row with the total (none when nobody departed).
    """
    keys = check_keys(by)
    if not keys:
        total = scoped(departed_people(filters), user).count()
        return [{"persons": total}] if total else []
    rows = [
        {key: row[f"g_{key}"] for key in keys} | {"persons": row["persons"]}
        for row in figures_query(filters, keys, user)
    ]
    if "age_band" in keys:  # bands in age order, not in text order
        rank = {code: i for i, code in enumerate(AGE_BAND_CODES)}
        rows.sort(key=lambda r: tuple(rank[r[k]] if k == "age_band" else r[k] for k in keys))
    return rows


def rollup(rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> list[dict[str, Any]]:
    """Figures by ``keys`` summed from finer figures (rows already grouped in the database).

    The page asks the database once, grouped by every key, and rolls the groups up
    here: a few thousand groups at most, never the people themselves.
    """
    sums: dict[tuple[Any, ...], int] = {}
    for row in rows:
        group = tuple(row[k] for k in keys)
        sums[group] = sums.get(group, 0) + row["persons"]
    rank = {code: i for i, code in enumerate(AGE_BAND_CODES)}

    def order(group: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(rank[v] if k == "age_band" else v for k, v in zip(keys, group, strict=True))

    return [dict(zip(keys, g, strict=True)) | {"persons": sums[g]} for g in sorted(sums, key=order)]


def departure_records(filters: Filters, user: AnyUser | None) -> models.QuerySet[Any]:
    """The people behind a figure: one row per departed person, newest departure first."""
    qs = scoped(departed_people(filters), user)
    rows: models.QuerySet[Any] = (
        qs.annotate(
            person_id=F(f"{PERSON}id"),
            sex=F(f"{PERSON}sex"),
            age_band=age_band_expression(),
            stream=stream_expression(),
        )
        .values(
            "at",
            "case_id",
            "case__file_number",
            "case__programme",
            "case__destination_country",
            "person_id",
            "sex",
            "age_band",
            "stream",
        )
        .order_by("-at", "case_id", "person_id")
    )
    return rows


__all__ = [
    "AGE_BANDS",
    "AGE_BAND_CODES",
    "GROUP_KEYS",
    "Filters",
    "Programme",
    "departure_figures",
    "departure_records",
]
