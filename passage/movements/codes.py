"""Airport and airline codes: data from airportsdata and the shipped airline list, with aliases.

A code that changed (FRU → BSZ for Bishkek Manas, August 2025) resolves to the
current code; :func:`code_on` gives back the code in use on a given day, so old
flights and manifests keep showing the old code.
"""

from __future__ import annotations

import csv
import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

from passage.movements.choices import CodeKind
from passage.movements.models import CodeAlias

DATA = Path(__file__).parent / "data"


@lru_cache(maxsize=1)
def _airports() -> dict[str, Any]:
    import airportsdata

    return dict(airportsdata.load("IATA"))


def airport_data(code: str) -> dict[str, Any] | None:
    """airportsdata's record (name, city, country, tz, icao) for a current IATA code."""
    return _airports().get(code.upper())


@lru_cache(maxsize=1)
def airline_data() -> dict[str, dict[str, str]]:
    with (DATA / "airlines.csv").open(encoding="utf-8") as fh:
        return {row["iata"]: row for row in csv.DictReader(fh)}


def shipped_aliases() -> list[dict[str, Any]]:
    with (DATA / "aliases.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        for key in ("valid_from", "valid_until"):
            row[key] = dt.date.fromisoformat(row[key]) if row[key] else None
    return rows


def _in_use(alias: CodeAlias, on: dt.date | None) -> bool:
    if on is None:
        return True
    return (alias.valid_from is None or alias.valid_from <= on) and (
        alias.valid_until is None or on <= alias.valid_until
    )


def current_code(kind: str, code: str, on: dt.date | None = None) -> str:
    """The current code for ``code`` (an old code resolves to the new one)."""
    code = code.strip().upper()
    aliases = list(CodeAlias.objects.filter(kind=kind, code=code))
    in_use = [a for a in aliases if _in_use(a, on)]
    # An old code keeps resolving after the change: people write FRU for years.
    chosen = (in_use or aliases)[:1]
    return chosen[0].current if chosen else code


def code_on(kind: str, current: str, on: dt.date) -> str:
    """The code that stood for ``current`` on day ``on`` (FRU before August 2025)."""
    for alias in CodeAlias.objects.filter(kind=kind, current=current):
        if _in_use(alias, on):
            return alias.code
    return current


def airport_code_on(current: str, on: dt.date) -> str:
    return code_on(CodeKind.AIRPORT, current, on)
