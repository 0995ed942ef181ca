"""Read side of the statistics: reading a request's parameters, the pipeline.

The departures figures themselves live in :mod:`passage.stats.departures`. The
page, the API and ``passage stats departures`` all read their parameters through
:func:`read_params`, so a bad date or an unknown key gets the same message
everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count
from django.utils.translation import gettext as _

from passage.core.errors import ActionError
from passage.core.policy import AnyUser
from passage.profiles.choices import Programme, Stream
from passage.registry.choices import CaseStatus, Sex
from passage.registry.models import Case
from passage.stats.departures import (
    AGE_BAND_CODES,
    CALENDAR,
    FISCAL,
    GROUP_KEYS,
    Filters,
    check_keys,
    scoped,
)

HISTORY_START = dt.date(2005, 1, 1)


@dataclass(frozen=True)
class Params:
    filters: Filters
    by: list[str]


def parse_date(value: str | None, field: str) -> dt.date | None:
    if value is None or not str(value).strip():
        return None
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ActionError(
            _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": value},
            field=field,
            code="bad_date",
        ) from None


def _codes(values: Iterable[str] | str | None) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        values = values.split(",")
    return tuple(v.strip() for v in values if v and v.strip())


def _check_choice(values: tuple[str, ...], allowed: Iterable[str], field: str) -> None:
    allowed = set(allowed)
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ActionError(
            _("Unknown %(field)s: %(values)s. Use one of: %(allowed)s.")
            % {"field": field, "values": ", ".join(unknown), "allowed": ", ".join(sorted(allowed))},
            field=field,
            code="unknown_value",
        )


def read_params(
    *,
    start: str | None,
    end: str | None,
    by: str | Iterable[str] | None = None,
    year_kind: str | None = None,
    destination: str | Iterable[str] | None = None,
    programme: str | Iterable[str] | None = None,
    stream: str | Iterable[str] | None = None,
    year: str | int | None = None,
    sex: str | Iterable[str] | None = None,
    age_band: str | Iterable[str] | None = None,
    today: dt.date | None = None,
) -> Params:
    """Check and read the parameters of a departures request; ActionError names the field."""
    first = parse_date(start, "from") or HISTORY_START
    last = parse_date(end, "to") or today or dt.date.today()
    if last < first:
        raise ActionError(
            _("The period is empty: %(start)s is after %(end)s.")
            % {"start": first.isoformat(), "end": last.isoformat()},
            field="to",
            code="empty_period",
        )
    try:
        keys = check_keys(_codes(by))
    except ValueError as exc:
        raise ActionError(
            _("Unknown grouping key: %(keys)s. Use some of: %(allowed)s.")
            % {"keys": exc, "allowed": ", ".join(GROUP_KEYS)},
            field="by",
            code="unknown_key",
        ) from None
    kind = (year_kind or CALENDAR).strip()
    _check_choice((kind,), (CALENDAR, FISCAL), "year_kind")
    destinations = tuple(d.upper() for d in _codes(destination))
    for code in destinations:
        if len(code) != 2 or not code.isalpha():
            raise ActionError(
                _("“%(code)s” is not an ISO 3166 alpha-2 code.") % {"code": code},
                field="destination",
            )
    programmes, streams = _codes(programme), _codes(stream)
    _check_choice(programmes, Programme.values, "programme")
    _check_choice(streams, Stream.values, "stream")
    sexes, bands = _codes(sex), _codes(age_band)
    _check_choice(sexes, Sex.values, "sex")
    _check_choice(bands, AGE_BAND_CODES, "age_band")
    try:
        year_number = int(year) if year is not None and year != "" else None
    except (TypeError, ValueError):
        raise ActionError(_("The year must be a number."), field="year") from None
    filters = Filters(
        start=first, end=last, year_kind=kind, destinations=destinations,
        programmes=programmes, streams=streams, year=year_number, sexes=sexes, age_bands=bands,
    )  # fmt: skip
    return Params(filters=filters, by=keys)


# Cases the movements officer has yet to book; booked ones are on the movements panel.
NOT_YET_BOOKED = (CaseStatus.TRAVEL_READY, CaseStatus.BOOKING_REQUESTED)


def visible_cases(user: AnyUser | None) -> models.QuerySet[Case]:
    """Every case for mission staff and statistics readers; partners' own cases."""
    return scoped(Case.objects.all(), user, "") if user is not None else Case.objects.all()


def cases_by_status(user: AnyUser | None) -> dict[str, Any]:
    """Counts of cases by status × destination: ``{"destinations", "rows"}``."""
    counts = (
        visible_cases(user)
        .values("status", "destination_country")
        .annotate(n=Count("pk"))
        .order_by()
    )
    table: dict[str, dict[str, int]] = {}
    destinations: set[str] = set()
    for row in counts:
        table.setdefault(row["status"], {})[row["destination_country"]] = row["n"]
        destinations.add(row["destination_country"])
    cols = sorted(destinations)
    rows = [
        {
            "status": status,
            "label": str(CaseStatus(status).label),
            "counts": [table[status].get(d, 0) for d in cols],
            "cells": [{"n": table[status].get(d, 0), "destination": d} for d in cols],
            "total": sum(table[status].values()),
        }
        for status in CaseStatus.values
        if status in table
    ]
    return {"destinations": cols, "rows": rows}


def pipeline_cases(
    user: AnyUser | None, status: str = "", destination: str = ""
) -> models.QuerySet[Case]:
    """The cases behind a pipeline figure (no personal data: file numbers and counts)."""
    qs = visible_cases(user)
    if status:
        qs = qs.filter(status=status)
    if destination:
        qs = qs.filter(destination_country=destination.upper())
    return qs.annotate(
        members=Count("memberships", filter=models.Q(memberships__ended_at__isnull=True))
    ).order_by("-status_changed_at", "-pk")


def awaiting_departure(user: AnyUser | None, limit: int = 50) -> models.QuerySet[Case]:
    """Cases not yet booked (travel-ready, booking requested), oldest status first.

    Booked cases, with their flights, are on the movements app's "upcoming departures" panel.
    """
    return (
        visible_cases(user)
        .filter(status__in=NOT_YET_BOOKED)
        .annotate(members=Count("memberships", filter=models.Q(memberships__ended_at__isnull=True)))
        .order_by("status_changed_at", "pk")[:limit]
    )
