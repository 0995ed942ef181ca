"""The documents' readiness source: travel documents, visas, exit visas and arrival days.

Registered as ``documents`` with :mod:`passage.core.readiness`. For a batch of
cases it loads, in a fixed number of queries whatever the batch size, the
destination profiles, the people's documents, the open applications and the
destination holidays, then turns each rule of the profile in force today into
constraints:

* each traveller holds one document of ``travel_document_any_of`` (a passport,
  Convention, ICRC or single-journey document);
* each traveller holds every code of ``required_document_codes`` (visa, COPR, exit
  visa…); a per-family type (the US boarding letter) is one document for the case;
* an ICRC document ends ``icrc_document_max_months`` after issue, a boarding
  letter ``boarding_letter_validity_months`` after issue, and a COPR, where
  ``copr_ends_with_medical_and_passport``, at the passport's expiry (and at the
  medical clearance's end, applied by readiness across sources);
* the arrival date (assumed to be the departure date until an itinerary says
  otherwise) avoids the profile's refused weekdays and holidays.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core.readiness import Constraint
from passage.documents.choices import OPEN_APPLICATION_STATUSES
from passage.documents.models import DocumentApplication, DocumentType, TravelDocument
from passage.profiles import queries as profile_queries
from passage.profiles.choices import DocumentCode, Weekday
from passage.profiles.models import DestinationProfile, Holiday

SOURCE = "documents"
IN_LIMIT = 30_000  # above this many ids, load a range of ids and filter in Python

# Profile rules that cap a document's validity, by the document code they govern.
VALIDITY_CAPS: dict[str, Callable[[DestinationProfile, date], date | None]] = {
    DocumentCode.ICRC_TRAVEL_DOCUMENT: profile_queries.icrc_document_valid_until,
    DocumentCode.US_BOARDING_LETTER: profile_queries.boarding_letter_valid_until,
}


def members(case: Any) -> list[Any]:
    """The case's current members (prefetched as ``active_members`` by the caller)."""
    found = getattr(case, "active_members", None)
    if found is None:
        found = [m for m in case.memberships.all() if m.ended_at is None]
    return list(found)


def id_filter(lookup: str, ids: Sequence[int]) -> models.Q:
    """``lookup__in=ids``, or a range of ids for very large batches (filter the rows after)."""
    if len(ids) <= IN_LIMIT:
        return models.Q(**{f"{lookup}__in": list(ids)})
    return models.Q(**{f"{lookup}__gte": min(ids), f"{lookup}__lte": max(ids)})


@dataclass
class Batch:
    """Everything the source needs about a batch of cases, loaded once."""

    today: date
    profiles: dict[int, DestinationProfile | None] = field(default_factory=dict)
    types: dict[str, DocumentType] = field(default_factory=dict)
    by_person: dict[int, list[TravelDocument]] = field(default_factory=lambda: defaultdict(list))
    by_case: dict[int, list[TravelDocument]] = field(default_factory=lambda: defaultdict(list))
    applications: dict[tuple[int, int | None, str], DocumentApplication] = field(
        default_factory=dict
    )
    holidays: dict[str, dict[date, str]] = field(default_factory=lambda: defaultdict(dict))


def _pick_profiles(cases: Sequence[Any], today: date) -> dict[int, DestinationProfile | None]:
    countries = {c.destination_country for c in cases}
    rows = DestinationProfile.objects.filter(
        country__in=countries, effective_from__lte=today
    ).order_by("-effective_from")
    latest: dict[tuple[str, str], DestinationProfile] = {}
    for profile in rows:
        latest.setdefault((profile.country, profile.programme), profile)
    return {
        c.pk: latest.get((c.destination_country, c.programme))
        or latest.get((c.destination_country, ""))
        for c in cases
    }


def load_batch(cases: Sequence[Any], today: date | None = None) -> Batch:
    today = today or timezone.localdate()
    batch = Batch(today=today, profiles=_pick_profiles(cases, today))
    batch.types = {t.code: t for t in DocumentType.objects.all()}
    case_ids = [c.pk for c in cases]
    wanted_cases = set(case_ids)
    people = {m.person_id for c in cases for m in members(c)}
    documents = TravelDocument.objects.filter(
        (
            id_filter("person__memberships__case_id", case_ids)
            & models.Q(person__memberships__ended_at__isnull=True)
        )
        | id_filter("case_id", case_ids),
        cancelled_on__isnull=True,
    ).select_related("doc_type")
    seen: set[int] = set()
    for doc in documents:
        if doc.pk in seen:
            continue
        seen.add(doc.pk)
        if doc.case_id is not None and doc.case_id in wanted_cases:
            batch.by_case[doc.case_id].append(doc)
        if doc.person_id in people:
            batch.by_person[doc.person_id].append(doc)
    applications = DocumentApplication.objects.filter(
        id_filter("case_id", case_ids), status__in=sorted(OPEN_APPLICATION_STATUSES)
    ).select_related("doc_type")
    for app in applications.order_by("expected_on", "id"):
        if app.case_id in wanted_cases:
            batch.applications.setdefault((app.case_id, app.person_id, app.doc_type.code), app)
    holiday_countries = {
        p.country
        for p in batch.profiles.values()
        if p is not None and p.arrival_refused_on_holidays
    }
    if holiday_countries:
        for holiday in Holiday.objects.filter(
            country__in=holiday_countries, date__gte=today, date__lte=today + timedelta(days=800)
        ):
            batch.holidays[holiday.country][holiday.date] = holiday.name
    return batch


def document_constraints(cases: Sequence[Any]) -> list[Constraint]:
    """The source registered with readiness: every document rule of every case."""
    batch = load_batch(cases)
    found: list[Constraint] = []
    for case in cases:
        found.extend(case_constraints(case, batch))
    return found


def case_constraints(case: Any, batch: Batch) -> Iterable[Constraint]:
    profile = batch.profiles.get(case.pk)
    people = members(case)
    if not people:
        yield Constraint(
            SOURCE,
            "no_members",
            case.pk,
            _("Members"),
            blocker=_("The case has no current members."),
            resolve=_("Add the family members to the case."),
        )
        return
    if profile is None:
        yield Constraint(
            SOURCE,
            "no_profile",
            case.pk,
            _("Destination profile"),
            blocker=_("No destination profile for %(country)s is in force.")
            % {"country": case.destination_country},
            resolve=_("An administrator adds the destination's profile."),
        )
        return
    for membership in people:
        person = membership.person
        if profile.travel_document_any_of:
            yield _document_rule(case, person, list(profile.travel_document_any_of), profile, batch)
        for code in profile_queries.required_document_codes(profile):
            doc_type = batch.types.get(code)
            if doc_type is not None and doc_type.per_family:
                continue
            yield _document_rule(case, person, [code], profile, batch)
    for code in profile_queries.required_document_codes(profile):
        doc_type = batch.types.get(code)
        if doc_type is not None and doc_type.per_family:
            yield _family_rule(case, doc_type, profile, batch)
    arrival = _arrival_rule(case, profile, batch)
    if arrival is not None:
        yield arrival


def _label(codes: list[str], batch: Batch) -> str:
    names = [batch.types[c].name if c in batch.types else c for c in codes]
    if len(names) == 1:
        return names[0]
    return _("Travel document (%(kinds)s)") % {"kinds": ", ".join(names)}


def _usable(doc: TravelDocument, case: Any) -> bool:
    if doc.doc_type.valid_for_destination and doc.valid_for_country:
        return bool(doc.valid_for_country == case.destination_country)
    return True


def _valid_until(doc: TravelDocument, profile: DestinationProfile, batch: Batch) -> date | None:
    """The last day the document carries a departure, with the profile's caps applied."""
    ends = [d for d in [doc.expires_on] if d is not None]
    cap = VALIDITY_CAPS.get(doc.doc_type.code)
    if cap is not None and doc.issued_on is not None:
        capped = cap(profile, doc.issued_on)
        if capped is not None:
            ends.append(capped)
    if doc.doc_type.code == DocumentCode.COPR and profile.copr_ends_with_medical_and_passport:
        passports = [
            d.expires_on
            for d in batch.by_person.get(doc.person_id, [])
            if d.doc_type.code == DocumentCode.PASSPORT and d.expires_on is not None
        ]
        if passports:
            ends.append(max(passports))
    return min(ends) if ends else None


def _best(
    docs: Iterable[TravelDocument], case: Any, profile: DestinationProfile, batch: Batch
) -> tuple[TravelDocument, date | None] | None:
    """The usable document that lasts longest (no end counts as the longest)."""
    best: tuple[TravelDocument, date | None] | None = None
    for doc in docs:
        if not _usable(doc, case):
            continue
        until = _valid_until(doc, profile, batch)
        if best is None or (best[1] is not None and (until is None or until > best[1])):
            best = (doc, until)
    return best


def _held(
    doc: TravelDocument,
    until: date | None,
    case: Any,
    person: Any,
    label: str,
    code: str,
    profile: DestinationProfile,
) -> Constraint:
    details: dict[str, Any] = {"document_id": doc.pk, "number": doc.number}
    if doc.doc_type.code == DocumentCode.COPR and profile.copr_ends_with_medical_and_passport:
        details["ends_with"] = "medical"
    return Constraint(
        SOURCE,
        code,
        case.pk,
        label,
        person_id=getattr(person, "pk", None),
        person_name=str(person) if person else "",
        valid_from=doc.issued_on,
        valid_until=until,
        resolve=_("Renew or replace the %(document)s.") % {"document": doc.doc_type.name},
        details=details,
    )


def _missing(
    case: Any, person: Any, codes: list[str], label: str, code: str, batch: Batch
) -> Constraint:
    person_id = getattr(person, "pk", None)
    app = next(
        (a for c in codes if (a := batch.applications.get((case.pk, person_id, c))) is not None),
        None,
    )
    if app is None and person_id is not None:
        app = next((a for c in codes if (a := batch.applications.get((case.pk, None, c)))), None)
    whom = str(person) if person is not None else case.file_number
    blocker = _("No %(document)s for %(person)s.") % {"document": label, "person": whom}
    if app is None:
        resolve = _("Apply for it and record the application.")
    elif app.submitted_on is None:
        resolve = _("The application to %(authority)s is being prepared: submit it.") % {
            "authority": app.authority
        }
    elif app.expected_on and app.expected_on < batch.today:
        resolve = _(
            "The application to %(authority)s was due on %(date)s and is overdue: follow up."
        ) % {"authority": app.authority, "date": app.expected_on.isoformat()}
    else:
        resolve = _(
            "Applied to %(authority)s on %(submitted)s; decision expected %(expected)s."
        ) % {
            "authority": app.authority,
            "submitted": app.submitted_on.isoformat(),
            "expected": app.expected_on.isoformat() if app.expected_on else "—",
        }
    return Constraint(
        SOURCE,
        code,
        case.pk,
        label,
        person_id=person_id,
        person_name=str(person) if person is not None else "",
        blocker=blocker,
        resolve=resolve,
        details={"application_id": app.pk if app else None},
    )


def _document_rule(
    case: Any, person: Any, codes: list[str], profile: DestinationProfile, batch: Batch
) -> Constraint:
    label = _label(codes, batch)
    code = "travel_document" if len(codes) > 1 else f"document:{codes[0]}"
    docs = [d for d in batch.by_person.get(person.pk, []) if d.doc_type.code in codes]
    best = _best(docs, case, profile, batch)
    if best is None:
        return _missing(case, person, codes, label, code, batch)
    return _held(best[0], best[1], case, person, best[0].doc_type.name, code, profile)


def _family_rule(
    case: Any, doc_type: DocumentType, profile: DestinationProfile, batch: Batch
) -> Constraint:
    code = f"document:{doc_type.code}"
    docs = [d for d in batch.by_case.get(case.pk, []) if d.doc_type_id == doc_type.pk]
    best = _best(docs, case, profile, batch)
    if best is None:
        return _missing(case, None, [doc_type.code], doc_type.name, code, batch)
    return _held(best[0], best[1], case, None, doc_type.name, code, profile)


def _arrival_rule(case: Any, profile: DestinationProfile, batch: Batch) -> Constraint | None:
    refused = frozenset(int(d) for d in profile.arrival_refused_weekdays or [])
    holidays = (
        batch.holidays.get(profile.country, {}) if profile.arrival_refused_on_holidays else {}
    )
    if not refused and not profile.arrival_refused_on_holidays:
        return None
    country = profile.country

    def check(day: date) -> str | None:
        if day.isoweekday() in refused:
            return _("%(country)s does not accept arrivals on %(weekday)s.") % {
                "country": country,
                "weekday": Weekday(day.isoweekday()).label,
            }
        if day in holidays:
            return _("%(date)s is a statutory holiday in %(country)s (%(name)s).") % {
                "date": day.isoformat(),
                "country": country,
                "name": holidays[day],
            }
        return None

    days = ", ".join(str(Weekday(d).label) for d in sorted(refused))
    return Constraint(
        SOURCE,
        "arrival_day",
        case.pk,
        _("Arrival day"),
        resolve=_("Choose a departure that arrives on an allowed day."),
        date_check=check,
        details={
            "refused_weekdays": sorted(refused),
            "holidays": bool(holidays) or profile.arrival_refused_on_holidays,
            "refused_text": days,
        },
    )
