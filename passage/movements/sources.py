"""Adapters to what other capabilities tell movements: readiness, health needs, loan notes.

Each reads its source through one function here, so the booking and departure
rules do not depend on how (or whether yet) another app provides it.

* Readiness: ``passage.documents`` provides ``readiness_for_cases(cases, departure_date)``
  intersecting every registered readiness source. Until it is installed, the
  registered sources of :mod:`passage.core.readiness` are asked directly.
* Health: ``passage.health.queries.clearance_summaries`` gives SSR codes, escort
  needs and the last pre-embarkation check per person.
* Loans: the loans capability registers a provider of ``loan_notes_signed(case)``, and a
  booking listener told of every booking made and every booking status change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from passage.core import readiness
from passage.registry.models import Case

READINESS_MODULES = ("passage.documents.readiness", "passage.documents.queries")


@dataclass(frozen=True)
class Readiness:
    ready: bool
    blockers: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _documents_readiness() -> Callable[..., Any] | None:
    for name in READINESS_MODULES:
        try:
            module = import_module(name)
        except ImportError:
            continue
        function = getattr(module, "readiness_for_cases", None)
        if function is not None:
            return function  # type: ignore[no-any-return]
    return None


ARRIVAL_DAY = "arrival_day"
# The health app's default pregnancy limit (its rules table, no airline known).
AIRLINE_MEDICAL = "airline_medical"


def _from_sources(
    cases: Sequence[Case], day: dt.date, skip: frozenset[str] = frozenset()
) -> dict[int, Readiness]:
    blockers: dict[int, list[str]] = {case.pk: [] for case in cases}
    for source in readiness.sources().values():
        for constraint in source(cases):
            if constraint.code in skip:
                continue
            reason = constraint.allows(day)
            if reason and constraint.case_id in blockers:
                who = f"{constraint.person_name}: " if constraint.person_name else ""
                blockers[constraint.case_id].append(f"{who}{reason}")
    return {pk: Readiness(ready=not found, blockers=found) for pk, found in blockers.items()}


def _text(item: Any) -> str:
    """One blocker or warning as a sentence: who, why, and what resolves it."""
    if isinstance(item, str):
        return item
    reason = str(getattr(item, "reason", "") or getattr(item, "label", "") or item)
    who = str(getattr(item, "person_name", "") or "")
    resolve = str(getattr(item, "resolve", "") or "")
    text = f"{who}: {reason}" if who and who not in reason else reason
    return f"{text} ({resolve})" if resolve else text


def readiness_for(
    cases: Sequence[Case],
    day: dt.date,
    *,
    arrival_checked: bool = False,
    airline_checked: bool = False,
) -> dict[int, Readiness]:
    """``{case_id: Readiness}`` for a departure on ``day``.

    Readiness applies the destination's arrival-day rule to the departure date (it knows
    no itinerary). With ``arrival_checked`` the caller applies that rule to the real
    arrival date itself, so the arrival-day blockers of readiness are left out. Likewise
    readiness knows no airline: its pregnancy limit is the health app's default; with
    ``airline_checked`` the caller applies the agreement's own rule instead
    (``passage.movements.pregnancy``), so that default is left out.
    """
    skip = frozenset(
        code
        for code, flag in ((ARRIVAL_DAY, arrival_checked), (AIRLINE_MEDICAL, airline_checked))
        if flag
    )
    function = _documents_readiness()
    if function is None:
        return _from_sources(cases, day, skip)
    results = function(cases, day)
    found = {}
    for pk, r in results.items():
        blockers = [b for b in getattr(r, "blockers", []) if not _is(b, skip)]
        left_out = len(getattr(r, "blockers", [])) - len(blockers)
        found[pk] = Readiness(
            ready=bool(r.ready) or (left_out > 0 and not blockers),
            blockers=[_text(b) for b in blockers],
            warnings=[_text(w) for w in getattr(r, "warnings", [])],
        )
    return found


def _is(item: Any, codes: frozenset[str]) -> bool:
    return getattr(item, "code", None) in codes


# ---- health -------------------------------------------------------------------------------


@dataclass(frozen=True)
class HealthNeeds:
    ssr_codes: tuple[str, ...] = ()
    escort_required: bool = False
    last_check: str = ""


def health_needs(case: Case, on: dt.date) -> dict[int, HealthNeeds]:
    """``{person_id: HealthNeeds}`` from the health record (empty without the health app)."""
    try:
        queries = import_module("passage.health.queries")
    except ImportError:
        return {}
    summaries = queries.clearance_summaries([case], on)
    return {
        pid: HealthNeeds(
            ssr_codes=tuple(s.ssr_codes),
            escort_required=bool(s.escort_required),
            last_check=str(s.last_check or ""),
        )
        for pid, s in summaries.items()
    }


# ---- travel loans -------------------------------------------------------------------------

LoanProvider = Callable[[Case], "bool | None"]
_loan_provider: list[LoanProvider] = []


def register_loan_provider(provider: LoanProvider | None) -> None:
    """The loans capability registers ``loan_notes_signed(case) -> bool | None`` here."""
    _loan_provider.clear()
    if provider is not None:
        _loan_provider.append(provider)


def loan_notes_signed(case: Case) -> bool | None:
    """True when every required promissory note is signed; None when no provider knows."""
    if not _loan_provider:
        return None
    return _loan_provider[0](case)


# ---- booking listeners ----------------------------------------------------------------

BookingListener = Callable[[Any, Any], None]
_booking_listeners: dict[str, BookingListener] = {}


def register_booking_listener(name: str, listener: BookingListener | None) -> None:
    """Another capability (loans) asks to hear of every booking made and every status change:
    ``listener(booking, actor)`` runs inside the booking's transaction, after the write."""
    if listener is None:
        _booking_listeners.pop(name, None)
    else:
        _booking_listeners[name] = listener


def booking_changed(booking: Any, actor: Any) -> None:
    """Tell the registered listeners that ``booking`` was made or changed status."""
    for listener in list(_booking_listeners.values()):
        listener(booking, actor)


# ---- travel documents ---------------------------------------------------------------------


def travel_documents(person_ids: Sequence[int], on: dt.date) -> dict[int, str]:
    """``{person_id: "PASSPORT P1234567 AF 2031-05-01"}``: the travel document each person
    travels on (not cancelled, valid on ``on``), from ``passage.documents``; one query.

    Empty while the documents app has no ``TravelDocument`` model.
    """
    from django.apps import apps
    from django.db.models import Q

    try:
        model = apps.get_model("documents", "TravelDocument")
    except LookupError:
        return {}
    rows = (
        model.objects.filter(
            person_id__in=list(person_ids),
            doc_type__category="travel",
            cancelled_on__isnull=True,
        )
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))
        .select_related("doc_type")
        .order_by("person_id", "-expires_on", "-id")
    )
    found: dict[int, str] = {}
    for doc in rows:
        if doc.person_id in found:
            continue
        parts = [doc.doc_type.code.upper(), doc.number, doc.issuing_state]
        if doc.expires_on:
            parts.append(doc.expires_on.isoformat())
        found[doc.person_id] = " ".join(p for p in parts if p)
    return found


def medif(person_ids: Sequence[int]) -> dict[int, tuple[str, dt.date | None]]:
    """``{person_id: (medif_status, medif_date)}`` for people with a MEDIF in their health
    record (``passage.health``'s travel needs); one query, empty without the health app."""
    from django.apps import apps

    try:
        model = apps.get_model("health", "TravelNeeds")
    except LookupError:
        return {}
    rows = model.objects.filter(person_id__in=list(person_ids)).exclude(medif_status="")
    return {pid: (status, day) for pid, status, day in rows.values_list(
        "person_id", "medif_status", "medif_date")}  # fmt: skip


@dataclass(frozen=True)
class PregnancyFacts:
    """What an airline's pregnancy rule needs, and no more (see ``passage.health.fitness``)."""

    week: int
    certificate_issued_on: dt.date | None = None
    certificate_valid_until: dt.date | None = None


def pregnancy(person_ids: Sequence[int], on: dt.date) -> dict[int, PregnancyFacts]:
    """``{person_id: PregnancyFacts}`` for the pregnant people among ``person_ids`` on the
    travel date: the week then and the latest fit-to-fly certificate; empty without the
    health app. Two queries."""
    try:
        fitness = import_module("passage.health.fitness")
    except ImportError:
        return {}
    return {
        pid: PregnancyFacts(f.week, f.certificate_issued_on, f.certificate_valid_until)
        for pid, f in fitness.pregnancy_fitness(person_ids, on).items()
    }
