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
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import MISSING, dataclass, field, fields
from datetime import date, timedelta
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext

from passage.core.readiness import Constraint
from passage.documents.choices import OPEN_APPLICATION_STATUSES
from passage.documents.models import DocumentApplication, DocumentType, TravelDocument
from passage.documents.rows import as_date, raw_rows
from passage.profiles import queries as profile_queries
from passage.profiles.choices import DocumentCode, Weekday
from passage.profiles.models import DestinationProfile, Holiday
from passage.registry.models import Membership

SOURCE = "documents"
IN_LIMIT = 30_000  # above this many ids, load a range of ids and filter in Python

# Profile rules that cap a document's validity, by the document code they govern.
VALIDITY_CAPS: dict[str, Callable[[DestinationProfile, date], date | None]] = {
    DocumentCode.ICRC_TRAVEL_DOCUMENT: profile_queries.icrc_document_valid_until,
    DocumentCode.US_BOARDING_LETTER: profile_queries.boarding_letter_valid_until,
}


_texts: ContextVar[dict[str, str] | None] = ContextVar("documents_texts", default=None)


def _(message: str) -> str:
    """gettext, remembered for the batch being computed: the board translates the same
    sentences tens of thousands of times, in one language."""
    texts = _texts.get()
    if texts is None:
        return gettext(message)
    found = texts.get(message)
    if found is None:
        found = texts[message] = gettext(message)
    return found


@contextmanager
def remembered_texts() -> Iterator[None]:
    token = _texts.set({})
    try:
        yield
    finally:
        _texts.reset(token)


class Doc:
    """The few fields of a travel document that readiness reads (loaded as tuples: fast)."""

    __slots__ = (
        "case_id",
        "expires_on",
        "issued_on",
        "number",
        "person_id",
        "pk",
        "type",
        "valid_for_country",
    )

    def __init__(self, row: tuple[Any, ...], types: dict[int, DocumentType]) -> None:
        (
            self.pk,
            self.person_id,
            self.case_id,
            type_id,
            self.number,
            issued,
            expires,
            self.valid_for_country,
        ) = row
        self.issued_on, self.expires_on = as_date(issued), as_date(expires)
        self.type = types[type_id]


DOC_FIELDS = (
    "pk",
    "person_id",
    "case_id",
    "doc_type_id",
    "number",
    "issued_on",
    "expires_on",
    "valid_for_country",
)


_DEFAULTS = {f.name: None if f.default is MISSING else f.default for f in fields(Constraint)}


def make_constraint(**values: Any) -> Constraint:
    """The same object as ``Constraint(**values)``, built without the frozen dataclass's
    ``object.__setattr__`` for each of its 13 fields: about 1 µs instead of 7, and the
    board builds some 200,000 of them. Only for the constraints held documents give."""
    constraint = object.__new__(Constraint)
    state = {**_DEFAULTS, "details": {}, **values}
    constraint.__dict__.update(state)
    return constraint


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


Plan = tuple[list[tuple[frozenset[str], str, str]], list[DocumentType]]


@dataclass
class Batch:
    """Everything the source needs about a batch of cases, loaded once."""

    today: date
    profiles: dict[int, DestinationProfile | None] = field(default_factory=dict)
    types: dict[str, DocumentType] = field(default_factory=dict)
    by_person: dict[int, list[Doc]] = field(default_factory=lambda: defaultdict(list))
    by_case: dict[int, list[Doc]] = field(default_factory=lambda: defaultdict(list))
    applications: dict[tuple[int, int | None, str], DocumentApplication] = field(
        default_factory=dict
    )
    holidays: dict[str, dict[date, str]] = field(default_factory=lambda: defaultdict(dict))
    plans: dict[int, Plan] = field(default_factory=dict)
    renew_texts: dict[str, str] = field(default_factory=dict)

    def renew(self, doc_type: DocumentType) -> str:
        text = self.renew_texts.get(doc_type.code)
        if text is None:
            text = _("Renew or replace the %(document)s.") % {"document": doc_type.name}
            self.renew_texts[doc_type.code] = text
        return text

    def plan(self, profile: DestinationProfile) -> Plan:
        """The profile's document rules: (codes, label, code) per person, and family types."""
        found = self.plans.get(profile.pk)
        if found is None:
            personal: list[tuple[frozenset[str], str, str]] = []
            if profile.travel_document_any_of:
                codes = list(profile.travel_document_any_of)
                personal.append((frozenset(codes), _label(codes, self), "travel_document"))
            family = []
            for code in profile_queries.required_document_codes(profile):
                doc_type = self.types.get(code)
                if doc_type is not None and doc_type.per_family:
                    family.append(doc_type)
                else:
                    personal.append((frozenset([code]), _label([code], self), f"document:{code}"))
            found = self.plans[profile.pk] = (personal, family)
        return found


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
    by_id = {t.pk: t for t in DocumentType.objects.all()}
    batch.types = {t.code: t for t in by_id.values()}
    case_ids = [c.pk for c in cases]
    wanted_cases = set(case_ids)
    people = {m.person_id for c in cases for m in members(c)}
    source = getattr(cases, "queryset", None)  # case rows remember the cases' query
    case_filter = (
        models.Q(case_id__in=source.values("pk"))
        if source is not None
        else id_filter("case_id", case_ids)
    )
    holders = Membership.objects.filter(case_filter, ended_at__isnull=True).values("person_id")
    held = TravelDocument.objects.filter(
        person_id__in=holders, cancelled_on__isnull=True
    ).values_list(*DOC_FIELDS)
    for row in raw_rows(held):
        if row[1] in people:
            batch.by_person[row[1]].append(Doc(row, by_id))
    family = TravelDocument.objects.filter(case_filter, cancelled_on__isnull=True).values_list(
        *DOC_FIELDS
    )
    for row in raw_rows(family):
        if row[2] in wanted_cases:
            batch.by_case[row[2]].append(Doc(row, by_id))
    applications = DocumentApplication.objects.filter(
        case_filter, status__in=sorted(OPEN_APPLICATION_STATUSES)
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
    with remembered_texts():
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
    personal, family = batch.plan(profile)
    for membership in people:
        person = membership.person
        name = str(person)
        for codes, label, code in personal:
            yield _document_rule(case, person, codes, label, code, profile, batch, name)
    for doc_type in family:
        yield _family_rule(case, doc_type, profile, batch)
    arrival = _arrival_rule(case, profile, batch)
    if arrival is not None:
        yield arrival


def _label(codes: Sequence[str], batch: Batch) -> str:
    names = [batch.types[c].name if c in batch.types else c for c in codes]
    if len(names) == 1:
        return names[0]
    return _("Travel document (%(kinds)s)") % {"kinds": ", ".join(names)}


def _usable(doc: Doc, case: Any) -> bool:
    if doc.type.valid_for_destination and doc.valid_for_country:
        return bool(doc.valid_for_country == case.destination_country)
    return True


def _valid_until(doc: Doc, profile: DestinationProfile, batch: Batch) -> date | None:
    """The last day the document carries a departure, with the profile's caps applied."""
    if doc.type.code not in VALIDITY_CAPS and doc.type.code != DocumentCode.COPR:
        return doc.expires_on
    ends = [d for d in [doc.expires_on] if d is not None]
    cap = VALIDITY_CAPS.get(doc.type.code)
    if cap is not None and doc.issued_on is not None:
        capped = cap(profile, doc.issued_on)
        if capped is not None:
            ends.append(capped)
    if doc.type.code == DocumentCode.COPR and profile.copr_ends_with_medical_and_passport:
        passports = [
            d.expires_on
            for d in batch.by_person.get(doc.person_id, [])
            if d.type.code == DocumentCode.PASSPORT and d.expires_on is not None
        ]
        if passports:
            ends.append(max(passports))
    return min(ends) if ends else None


def _best(
    docs: Iterable[Doc], case: Any, profile: DestinationProfile, batch: Batch
) -> tuple[Doc, date | None] | None:
    """The usable document that lasts longest (no end counts as the longest)."""
    best: tuple[Doc, date | None] | None = None
    for doc in docs:
        if not _usable(doc, case):
            continue
        until = _valid_until(doc, profile, batch)
        if best is None or (best[1] is not None and (until is None or until > best[1])):
            best = (doc, until)
    return best


def _held(
    doc: Doc,
    until: date | None,
    case: Any,
    person: Any,
    label: str,
    code: str,
    profile: DestinationProfile,
    batch: Batch,
    name: str = "",
) -> Constraint:
    details: dict[str, Any] = {"document_id": doc.pk, "number": doc.number}
    if doc.type.code == DocumentCode.COPR and profile.copr_ends_with_medical_and_passport:
        details["ends_with"] = "medical"
    return make_constraint(
        source=SOURCE,
        code=code,
        case_id=case.pk,
        label=label,
        person_id=getattr(person, "pk", None),
        person_name=name,
        valid_from=doc.issued_on,
        valid_until=until,
        resolve=batch.renew(doc.type),
        details=details,
    )


def _missing(
    case: Any,
    person: Any,
    codes: Iterable[str],
    label: str,
    code: str,
    batch: Batch,
    name: str = "",
) -> Constraint:
    person_id = getattr(person, "pk", None)
    app = next(
        (a for c in codes if (a := batch.applications.get((case.pk, person_id, c))) is not None),
        None,
    )
    if app is None and person_id is not None:
        app = next((a for c in codes if (a := batch.applications.get((case.pk, None, c)))), None)
    whom = name or case.file_number
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
        person_name=name,
        blocker=blocker,
        resolve=resolve,
        details={"application_id": app.pk if app else None},
    )


def _document_rule(
    case: Any,
    person: Any,
    codes: frozenset[str],
    label: str,
    code: str,
    profile: DestinationProfile,
    batch: Batch,
    name: str,
) -> Constraint:
    docs = [d for d in batch.by_person.get(person.pk, []) if d.type.code in codes]
    best = _best(docs, case, profile, batch)
    if best is None:
        return _missing(case, person, codes, label, code, batch, name)
    return _held(best[0], best[1], case, person, best[0].type.name, code, profile, batch, name)


def _family_rule(
    case: Any, doc_type: DocumentType, profile: DestinationProfile, batch: Batch
) -> Constraint:
    code = f"document:{doc_type.code}"
    docs = [d for d in batch.by_case.get(case.pk, []) if d.type.pk == doc_type.pk]
    best = _best(docs, case, profile, batch)
    if best is None:
        return _missing(case, None, [doc_type.code], doc_type.name, code, batch)
    return _held(best[0], best[1], case, None, doc_type.name, code, profile, batch)


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
