"""What the departures page shows: tables with labels and links, and chart data."""

from __future__ import annotations

from typing import Any

import pycountry
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from passage.core.policy import AnyUser
from passage.profiles.choices import Programme, Stream
from passage.registry.choices import Sex
from passage.stats import links
from passage.stats.departures import (
    AGE_BAND_CODES,
    GROUP_KEYS,
    UNKNOWN_AGE,
    departure_figures,
    rollup,
)
from passage.stats.queries import Params

STREAM_COLOURS: dict[str, str] = {
    Stream.RESETTLEMENT: "#1e6fb8",
    Stream.FAMILY_REUNIFICATION: "#e0912f",
    Stream.ASSISTED_MIGRATION: "#3a9d5d",
}


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return str(country.name) if country is not None else code


def label(key: str, value: Any) -> str:
    """How a group value reads on the page."""
    if key == "destination":
        return f"{country_name(value)} ({value})"
    if key == "programme" and value in Programme.values:
        return str(Programme(value).label)
    if key == "stream" and value in Stream.values:
        return str(Stream(value).label)
    if key == "sex" and value in Sex.values:
        return str(Sex(value).label)
    if key == "age_band":
        return _("Unknown") if value == UNKNOWN_AGE else _("%(band)s years") % {"band": value}
    return str(value)


def link(base: QueryDict, **group: Any) -> str:
    query = base.copy()
    for key, value in group.items():
        query[key] = str(value)
    return f"{reverse('stats:records')}?{query.urlencode()}"


def table(fine: list[dict[str, Any]], key: str, base: QueryDict) -> dict[str, Any]:
    rows = rollup(fine, [key])
    total = sum(r["persons"] for r in rows)
    return {
        "key": key,
        "rows": [
            {"value": r[key], "label": label(key, r[key]), "persons": r["persons"],
             "share": round(100 * r["persons"] / total, 1) if total else 0,
             "url": link(base, **{key: r[key]})}
            for r in rows
        ],
        "total": total,
        "total_url": link(base),
    }  # fmt: skip


def by_year(fine: list[dict[str, Any]], base: QueryDict) -> dict[str, Any]:
    """Years × streams: the table and the stacked bar chart over time."""
    rows = rollup(fine, ["year", "stream"])
    years = sorted({r["year"] for r in rows})
    streams = [s for s in Stream.values if any(r["stream"] == s for r in rows)]
    cell = {(r["year"], r["stream"]): r["persons"] for r in rows}
    lines = [
        {"year": y,
         "cells": [{"persons": cell.get((y, s), 0), "url": link(base, year=y, stream=s)}
                   for s in streams],
         "total": sum(cell.get((y, s), 0) for s in streams), "url": link(base, year=y)}
        for y in years
    ]  # fmt: skip
    chart = {
        "type": "bar",
        "labels": [str(y) for y in years],
        "datasets": [
            {"label": label("stream", s), "data": [cell.get((y, s), 0) for y in years],
             "backgroundColor": STREAM_COLOURS.get(s, "#888")}
            for s in streams
        ],
        "stacked": True,
    }  # fmt: skip
    return {
        "streams": [{"code": s, "label": label("stream", s)} for s in streams],
        "lines": lines,
        "totals": [sum(cell.get((y, s), 0) for y in years) for s in streams],
        "total": sum(cell.values()),
        "chart": chart,
    }


def destination_chart(dest: dict[str, Any]) -> dict[str, Any]:
    rows = sorted(dest["rows"], key=lambda r: -r["persons"])
    return {
        "type": "bar",
        "horizontal": True,
        "labels": [r["label"] for r in rows],
        "datasets": [{"label": _("Persons"), "data": [r["persons"] for r in rows],
                      "backgroundColor": "#1e6fb8"}],
    }  # fmt: skip


def departures_context(user: AnyUser, params: Params, base: QueryDict) -> dict[str, Any]:
    fine = departure_figures(params.filters, GROUP_KEYS, user)  # one query for the page
    destinations = table(fine, "destination", base)
    breakdowns = [
        (_("By programme"), table(fine, "programme", base)),
        (_("By stream"), table(fine, "stream", base)),
        (_("By sex"), table(fine, "sex", base)),
        (_("By age band at departure"), table(fine, "age_band", base)),
    ]
    export_query = base.copy()
    return {
        "params": params,
        "years": by_year(fine, base),
        "destinations": destinations,
        "destination_chart": destination_chart(destinations),
        "breakdowns": breakdowns,
        "export_query": export_query.urlencode(),
        "fiscal": params.filters.year_kind == "fiscal",
        "age_bands": AGE_BAND_CODES,
    }


def record_rows(
    rows: list[dict[str, Any]], user: AnyUser, show_names: bool
) -> list[dict[str, Any]]:
    """Records with labels; names, and links to the registry's case and person pages, only
    where the registry's policy lets the user see them (one query each for the page)."""
    names = links.visible_people(user, [r["person_id"] for r in rows]) if show_names else {}
    cases = links.visible_case_ids(user, [r["case_id"] for r in rows])
    for r in rows:
        r["name"] = names.get(r["person_id"], "")
        r["person_url"] = links.person_url(r["person_id"]) if r["person_id"] in names else ""
        r["case_url"] = links.case_url(r["case_id"]) if r["case_id"] in cases else ""
        r["destination_label"] = label("destination", r["case__destination_country"])
        r["programme_label"] = label("programme", r["case__programme"])
        r["sex_label"] = label("sex", r["sex"])
        r["age_label"] = label("age_band", r["age_band"])
    return rows


def describe(params: Params) -> list[str]:
    f = params.filters
    parts = [_("%(start)s to %(end)s") % {"start": f.start.isoformat(), "end": f.end.isoformat()}]
    if f.year is not None:
        parts.append(
            (_("fiscal year %(year)s") if f.year_kind == "fiscal" else _("year %(year)s"))
            % {"year": f.year}
        )
    chosen = {"destination": f.destinations, "programme": f.programmes, "stream": f.streams,
              "sex": f.sexes, "age_band": f.age_bands}  # fmt: skip
    for key, values in chosen.items():
        parts += [label(key, v) for v in values]
    return parts


def back_query(request: HttpRequest) -> str:
    query = QueryDict(mutable=True)
    for key in ("start", "end", "year_kind", "destination", "programme", "stream"):
        if request.GET.get(key) and key not in ("destination", "programme", "stream"):
            query[key] = request.GET[key]
    return query.urlencode()
