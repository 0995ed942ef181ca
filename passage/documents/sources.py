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

The source is *dated*: it applies the profile in force on the day it is given
(``on``: the departure date asked), today by default.

Speed: the board asks for 20,000 cases at once, so documents are read as tuples
(dates as text on SQLite, parsed with ``date.fromisoformat``), grouped by person and
code, each profile's rules are planned once, and a held document's constraint leaves
the person's name for readiness to fill in when it reports it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from passage.core.readiness import Constraint, case_filter, date_text, member_filter, raw_rows
from passage.documents.choices import OPEN_APPLICATION_STATUSES
from passage.documents.models import DocumentApplication, DocumentType, TravelDocument
from passage.profiles import queries as profile_queries
from passage.profiles.choices import DocumentCode, Weekday
from passage.profiles.models import DestinationProfile, Holiday

SOURCE = "documents"

# Profile rules that cap a document's validity, by the document code they govern.
VALIDITY_CAPS: dict[str, Callable[[DestinationProfile, date], date | None]] = {
    DocumentCode.ICRC_TRAVEL_DOCUMENT: profile_queries.icrc_document_valid_until,
    DocumentCode.US_BOARDING_LETTER: profile_queries.boarding_letter_valid_until,
}
COPR = str(DocumentCode.COPR)
CAPPED = frozenset([*VALIDITY_CAPS, COPR])  # codes whose end is not simply their expiry
PASSPORT = str(DocumentCode.PASSPORT)


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
def remembered_texts(texts: dict[str, str] | None = None) -> Iterator[dict[str, str]]:
    """Translations remembered within the block (in ``texts`` when given: a batch's
    results read their texts later with the batch's memory)."""
    found = {} if texts is None else texts
    token = _texts.set(found)
    try:
        yield found
    finally:
        _texts.reset(token)


# A held document, as read: (pk, person_id, case_id, type code, number, issued, expires,
# valid_for_country).
Doc = tuple[int, int, int | None, str, str, date | None, date | None, str]


def _doc_rows(queryset: Any, codes: dict[int, str]) -> Iterator[Doc]:
    rows = (
        queryset.filter(cancelled_on__isnull=True)
        .order_by()
        .values_list(
            "pk",
            "person_id",
            "case_id",
            "doc_type_id",
            "number",
            date_text("issued_on"),
            date_text("expires_on"),
            "valid_for_country",
        )
    )
    parse = date.fromisoformat
    for pk, person, case, type_id, number, issued, expires, country in raw_rows(rows):
        if issued.__class__ is str:
            issued = parse(issued)
        if expires.__class__ is str:
            expires = parse(expires)
        yield (pk, person, case, codes[type_id], number, issued, expires, country)


def members(case: Any) -> list[Any]:
    """The case's current members (prefetched as ``active_members`` by the caller)."""
    found = getattr(case, "active_members", None)
    if found is None:
        found = [m for m in case.memberships.all() if m.ended_at is None]
    return list(found)


@dataclass
class Rules:
    """One profile's document rules, planned once per batch."""

    profile: DestinationProfile
    # per person: (codes, label when missing, constraint code)
    personal: list[tuple[frozenset[str], str, str]]
    family: list[DocumentType]
    copr_capped: bool
    arrival: Callable[[date], str | None] | None
    arrival_details: dict[str, Any] = field(default_factory=dict)


@dataclass
class Batch:
    """Everything the source needs about a batch of cases, loaded once."""

    today: date
    on: date
    profiles: dict[int, DestinationProfile | None] = field(default_factory=dict)
    types: dict[str, DocumentType] = field(default_factory=dict)
    by_person: dict[int, list[Doc]] = field(default_factory=lambda: defaultdict(list))
    by_case: dict[int, list[Doc]] = field(default_factory=lambda: defaultdict(list))
    applications: dict[tuple[int, int | None, str], DocumentApplication] = field(
        default_factory=dict
    )
    holidays: dict[str, dict[date, str]] = field(default_factory=lambda: defaultdict(dict))
    plans: dict[int, Rules] = field(default_factory=dict)
    caps: dict[tuple[int, str, date], date | None] = field(default_factory=dict)
    texts: dict[str, tuple[str, str]] = field(default_factory=dict)

    def held_texts(self, code: str) -> tuple[str, str]:
        """A held document's label (its type's name) and what resolves its end."""
        found = self.texts.get(code)
        if found is None:
            doc_type = self.types.get(code)
            name = doc_type.name if doc_type is not None else code
            renew = _("Renew or replace the %(document)s.") % {"document": name}
            found = self.texts[code] = (name, renew)
        return found

    def plan(self, profile: DestinationProfile) -> Rules:
        """The profile's rules: (codes, label, code) per person, family types, arrival."""
        found = self.plans.get(profile.id)
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
            check, details = _arrival_check(profile, self)
            found = self.plans[profile.id] = Rules(
                profile,
                personal,
                family,
                bool(profile.copr_ends_with_medical_and_passport),
                check,
                details,
            )
        return found


def pick_profiles(cases: Sequence[Any], on: date) -> dict[int, DestinationProfile | None]:
    """The profile in force on ``on`` for each case: its programme's, else the country's."""
    countries = {c.destination_country for c in cases}
    rows = DestinationProfile.objects.filter(
        country__in=countries, effective_from__lte=on
    ).order_by("-effective_from")
    latest: dict[tuple[str, str], DestinationProfile] = {}
    for profile in rows:
        latest.setdefault((profile.country, profile.programme), profile)
    return {
        c.id: latest.get((c.destination_country, c.programme))
        or latest.get((c.destination_country, ""))
        for c in cases
    }


def load_batch(cases: Sequence[Any], today: date | None = None, on: date | None = None) -> Batch:
    today = today or timezone.localdate()
    on = on or today
    batch = Batch(today=today, on=on, profiles=pick_profiles(cases, on))
    by_id = {t.pk: t for t in DocumentType.objects.all()}
    codes = {pk: t.code for pk, t in by_id.items()}
    batch.types = {t.code: t for t in by_id.values()}
    wanted_cases = {c.id for c in cases}
    people = {m.person_id for c in cases for m in members(c)}
    of_cases = case_filter(cases)
    by_person = batch.by_person
    for doc in _doc_rows(TravelDocument.objects.filter(member_filter(cases)), codes):
        if doc[1] in people:
            by_person[doc[1]].append(doc)
    for doc in _doc_rows(TravelDocument.objects.filter(of_cases), codes):
        if doc[2] in wanted_cases:
            batch.by_case[doc[2]].append(doc)  # type: ignore[index]
    applications = DocumentApplication.objects.filter(
        of_cases, status__in=sorted(OPEN_APPLICATION_STATUSES)
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
        start = min(today, on)
        for holiday in Holiday.objects.filter(
            country__in=holiday_countries, date__gte=start, date__lte=start + timedelta(days=800)
        ):
            batch.holidays[holiday.country][holiday.date] = holiday.name
    return batch


def document_constraints(cases: Sequence[Any], on: date | None = None) -> list[Constraint]:
    """The source registered with readiness: every document rule of every case, with the
    profile in force on ``on`` (today by default)."""
    batch = load_batch(cases, on=on)
    found: list[Constraint] = []
    append = found.append
    with remembered_texts():
        for case in cases:
            add_case_constraints(case, batch, append)
    return found


def add_case_constraints(case: Any, batch: Batch, append: Callable[[Constraint], object]) -> None:
    """Append the document constraints of one case of the batch (appended, not yielded:
    the board builds 165,000 of them)."""
    profile = batch.profiles.get(case.id)
    people = members(case)
    if not people:
        append(
            Constraint(
                SOURCE,
                "no_members",
                case.pk,
                _("Members"),
                blocker=_("The case has no current members."),
                resolve=_("Add the family members to the case."),
            )
        )
        return
    if profile is None:
        append(
            Constraint(
                SOURCE,
                "no_profile",
                case.pk,
                _("Destination profile"),
                blocker=_("No destination profile for %(country)s is in force.")
                % {"country": case.destination_country},
                resolve=_("An administrator adds the destination's profile."),
            )
        )
        return
    rules = batch.plan(profile)
    case_id = case.id
    country = case.destination_country
    by_person = batch.by_person
    types = batch.types
    copr_capped = rules.copr_capped
    for membership in people:
        person_id = membership.person_id
        held = by_person.get(person_id, ())
        for codes, label, code in rules.personal:
            docs = [d for d in held if d[3] in codes]
            if not docs:
                best = None
            elif len(docs) == 1:  # the common case: _best of one document, inline
                doc = docs[0]
                doc_code = doc[3]
                if doc[7] and doc[7] != country and types[doc_code].valid_for_destination:
                    best = None  # valid for another country
                else:
                    until = _valid_until(doc, rules, batch) if doc_code in CAPPED else doc[6]
                    best = (doc, until)
            else:
                best = _best(docs, country, rules, batch)
            if best is None:
                append(_missing(case, membership.person, codes, label, code, batch))
                continue
            doc, until = best
            # _held, inline (one per traveller and document: the board builds 150,000)
            details: dict[str, Any] = {"document_id": doc[0], "number": doc[4]}
            if copr_capped and doc[3] == COPR:
                details["ends_with"] = "medical"
            held_label, renew = batch.held_texts(doc[3])
            append(Constraint(
                SOURCE, code, case_id, held_label, person_id, "", doc[5], until, "", renew, None,
                details,
            ))  # fmt: skip
    family_docs = batch.by_case.get(case_id, ())
    for doc_type in rules.family:
        code = f"document:{doc_type.code}"
        best = _best([d for d in family_docs if d[3] == doc_type.code], country, rules, batch)
        if best is None:
            append(_missing(case, None, [doc_type.code], doc_type.name, code, batch))
        else:
            append(_held(best[0], best[1], case_id, None, code, rules, batch))
    if rules.arrival is not None:
        append(
            Constraint(
                SOURCE,
                "arrival_day",
                case_id,
                _("Arrival day"),
                resolve=_("Choose a departure that arrives on an allowed day."),
                date_check=rules.arrival,
                details=dict(rules.arrival_details),
            )
        )


def _label(codes: Sequence[str], batch: Batch) -> str:
    names = [batch.types[c].name if c in batch.types else c for c in codes]
    if len(names) == 1:
        return names[0]
    return _("Travel document (%(kinds)s)") % {"kinds": ", ".join(names)}


def _valid_until(doc: Doc, rules: Rules, batch: Batch) -> date | None:
    """The last day the document carries a departure, with the profile's caps applied."""
    code = doc[3]
    ends = [d for d in [doc[6]] if d is not None]
    cap = VALIDITY_CAPS.get(code)
    if cap is not None and doc[5] is not None:
        key = (rules.profile.id, code, doc[5])  # the same issue dates recur: once each
        try:
            capped = batch.caps[key]
        except KeyError:
            capped = batch.caps[key] = cap(rules.profile, doc[5])
        if capped is not None:
            ends.append(capped)
    if code == COPR and rules.copr_capped:
        passports = [
            d[6] for d in batch.by_person.get(doc[1], []) if d[3] == PASSPORT and d[6] is not None
        ]
        if passports:
            ends.append(max(passports))
    return min(ends) if ends else None


def _best(
    docs: list[Doc], country: str, rules: Rules, batch: Batch
) -> tuple[Doc, date | None] | None:
    """The usable document that lasts longest (no end counts as the longest); between two
    that end on the same day, the one that expires last, then the first recorded."""
    best: tuple[Doc, date | None] | None = None
    types = batch.types
    for doc in docs:
        if doc[7] and doc[7] != country and types[doc[3]].valid_for_destination:
            continue  # valid for another country
        until = _valid_until(doc, rules, batch) if doc[3] in CAPPED else doc[6]
        if (
            best is None
            or (best[1] is not None and (until is None or until > best[1]))
            or (until == best[1] and _before(doc, best[0]))
        ):
            best = (doc, until)
    return best


def _before(doc: Doc, other: Doc) -> bool:
    """``doc`` expires later than ``other`` (no expiry is the latest), or on the same day
    and was recorded first."""
    mine, theirs = doc[6] or date.max, other[6] or date.max
    return mine > theirs or (mine == theirs and doc[0] < other[0])


def _held(
    doc: Doc,
    until: date | None,
    case_id: int,
    person_id: int | None,
    code: str,
    rules: Rules,
    batch: Batch,
) -> Constraint:
    details: dict[str, Any] = {"document_id": doc[0], "number": doc[4]}
    if doc[3] == COPR and rules.copr_capped:
        details["ends_with"] = "medical"
    label, renew = batch.held_texts(doc[3])
    # positional: source, code, case_id, label, person_id, person_name (named by
    # readiness when reported), valid_from, valid_until, blocker, resolve, date_check
    return Constraint(
        SOURCE, code, case_id, label, person_id, "", doc[5], until, "", renew, None, details
    )


def _missing(
    case: Any,
    person: Any,
    codes: Iterable[str],
    label: str,
    code: str,
    batch: Batch,
) -> Constraint:
    person_id = getattr(person, "pk", None)
    name = str(person) if person is not None else ""
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


def _arrival_check(
    profile: DestinationProfile, batch: Batch
) -> tuple[Callable[[date], str | None] | None, dict[str, Any]]:
    """The profile's arrival-day rule: one check for every case of the profile, which
    remembers its answer for each day (the board asks about the same days again and
    again). Its texts are translated in the language active when the batch is read."""
    refused = frozenset(int(d) for d in profile.arrival_refused_weekdays or [])
    holidays = (
        batch.holidays.get(profile.country, {}) if profile.arrival_refused_on_holidays else {}
    )
    if not refused and not profile.arrival_refused_on_holidays:
        return None, {}
    country = profile.country
    weekday_text = _("%(country)s does not accept arrivals on %(weekday)s.")
    holiday_text = _("%(date)s is a statutory holiday in %(country)s (%(name)s).")
    answers: dict[date, str | None] = {}

    def check(day: date) -> str | None:
        try:
            return answers[day]
        except KeyError:
            pass
        answer = None
        if day.isoweekday() in refused:
            answer = weekday_text % {
                "country": country,
                "weekday": Weekday(day.isoweekday()).label,
            }
        elif day in holidays:
            answer = holiday_text % {
                "date": day.isoformat(),
                "country": country,
                "name": holidays[day],
            }
        answers[day] = answer
        return answer

    days = ", ".join(str(Weekday(d).label) for d in sorted(refused))
    return check, {
        "refused_weekdays": sorted(refused),
        "holidays": bool(holidays) or profile.arrival_refused_on_holidays,
        "refused_text": days,
    }
