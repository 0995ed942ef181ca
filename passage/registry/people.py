"""Every write on people: create (after consent), edit, name spellings, distinct pairs.

Each write keeps the search index (``PersonName`` and ``NameKey``) in step.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
import pycountry
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core import audit
from passage.core.errors import ActionError, ConflictError
from passage.core.models import User
from passage.registry import names
from passage.registry.choices import ICAO_NATIONALITY_CODES, Sex, Vulnerability
from passage.registry.models import DistinctPerson, NameKey, Person, PersonName

PERSON_FIELDS = (
    "given_names",
    "surname",
    "patronymic",
    "latin_given_names",
    "latin_surname",
    "sex",
    "date_of_birth",
    "date_of_birth_estimated",
    "nationality",
    "languages",
    "phones",
    "unhcr_individual_number",
    "vulnerabilities",
    "special_needs",
    "consent_date",
    "consent_scope",
)
DEFAULT_REGION = "KG"
SEXES = frozenset(Sex.values)
VULNERABILITIES = frozenset(Vulnerability.values)


@dataclass
class PersonData:
    """What a form, the API or an import row gives for one person."""

    given_names: str
    sex: str
    consent_date: dt.date | None
    consent_scope: str = ""
    surname: str = ""
    patronymic: str = ""
    latin_given_names: str = ""
    latin_surname: str = ""
    date_of_birth: dt.date | None = None
    date_of_birth_estimated: bool = False
    nationality: str = ""
    languages: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    unhcr_individual_number: str | None = None
    vulnerabilities: list[str] = field(default_factory=list)
    special_needs: str = ""
    variants: list[str] = field(default_factory=list)

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in PERSON_FIELDS}


def normalise_phone(raw: str) -> str:
    """A phone number in E.164, or an ActionError naming the number."""
    try:
        number = phonenumbers.parse(raw, DEFAULT_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ActionError(
            _("“%(phone)s” is not a phone number.") % {"phone": raw}, field="phones"
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise ActionError(
            _("“%(phone)s” is not a valid phone number.") % {"phone": raw}, field="phones"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@functools.lru_cache(maxsize=1024)
def check_nationality(code: str) -> str:
    code = (code or "").strip().upper()
    if not code:
        return ""
    if code in ICAO_NATIONALITY_CODES:
        return code
    country = (
        pycountry.countries.get(alpha_2=code)
        if len(code) == 2
        else pycountry.countries.get(alpha_3=code)
    )
    if country is None:
        raise ActionError(
            _("“%(code)s” is not an ISO 3166 country or an ICAO XXA/XXB/XXC code.")
            % {"code": code},
            field="nationality",
        )
    return str(country.alpha_2)


@functools.lru_cache(maxsize=1024)
def check_language(code: str) -> str:
    code = code.strip().lower()
    lang = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    lang = lang or (pycountry.languages.get(alpha_3=code) if len(code) == 3 else None)
    if lang is None:
        raise ActionError(
            _("“%(code)s” is not an ISO 639 language code.") % {"code": code}, field="languages"
        )
    return code


def clean(data: PersonData, today: dt.date | None = None) -> PersonData:
    """Validate and normalise, or raise ActionError naming the field."""
    today = today or timezone.localdate()
    if data.consent_date is None:
        raise ActionError(
            _("Record the person's consent to data processing before anything else."),
            field="consent_date",
            code="consent_required",
        )
    if data.consent_date > today:
        raise ActionError(_("The consent date is in the future."), field="consent_date")
    if not data.consent_scope.strip():
        raise ActionError(_("Say what the consent covers."), field="consent_scope")
    if not data.given_names.strip() and not data.latin_given_names.strip():
        raise ActionError(_("Enter the given names."), field="given_names")
    if data.sex not in SEXES:
        raise ActionError(_("Sex must be F, M or X."), field="sex")
    if data.date_of_birth is not None and data.date_of_birth > today:
        raise ActionError(_("The date of birth is in the future."), field="date_of_birth")
    data.nationality = check_nationality(data.nationality)
    data.languages = [check_language(c) for c in data.languages if c.strip()]
    data.phones = [normalise_phone(p) for p in data.phones if p.strip()]
    bad = [v for v in data.vulnerabilities if v not in VULNERABILITIES]
    if bad:
        raise ActionError(
            _("Unknown vulnerability code: %(code)s") % {"code": bad[0]}, field="vulnerabilities"
        )
    for name in ("given_names", "surname", "patronymic", "latin_given_names", "latin_surname"):
        setattr(data, name, " ".join(str(getattr(data, name)).split()))
    if not data.latin_given_names and data.given_names:
        data.latin_given_names = names.suggest_latin(data.given_names)
    if not data.latin_surname and data.surname:
        data.latin_surname = names.suggest_latin(data.surname)
    data.unhcr_individual_number = (data.unhcr_individual_number or "").strip() or None
    return data


Spelling = tuple[str, str, str, str]  # kind, full text, given names, surname


def spellings(person: Person | PersonData, variants: Iterable[str] = ()) -> list[Spelling]:
    """Every spelling of a person's name without repeats, with its given names and surname."""
    native = " ".join(p for p in (person.given_names, person.patronymic, person.surname) if p)
    latin = " ".join(p for p in (person.latin_given_names, person.latin_surname) if p)
    found: dict[str, Spelling] = {}
    candidates: list[Spelling] = [
        (PersonName.Kind.NATIVE, native, person.given_names, person.surname),
        (PersonName.Kind.LATIN, latin, person.latin_given_names, person.latin_surname),
    ]
    for variant in variants:
        words = variant.split()
        candidates.append(
            (PersonName.Kind.VARIANT, variant, " ".join(words[:-1]), words[-1] if words else "")
        )
    for kind, text, given, surname in candidates:
        text = " ".join(text.split())
        if text and text not in found:
            found[text] = (kind, text, given, surname)
    return list(found.values())


def index_values(
    texts: Sequence[Spelling],
) -> tuple[list[tuple[str, str, str]], list[tuple[str, bool]]]:
    """(kind, text, folded) of each spelling and (key, joined) of each search key."""
    rows = [(kind, text[:450], names.fold(text)[:450]) for kind, text, _g, _s in texts]
    keys: dict[str, bool] = {}
    for _kind, text, given, surname in texts:
        for key, joined in names.name_keys(text):
            keys[key] = keys.get(key, True) and joined
        if given and surname:
            for key in names.pair_keys(given, surname):
                keys[key] = True
    return rows, list(keys.items())


def index_rows(person: Person, texts: Sequence[Spelling]) -> tuple[list[PersonName], list[NameKey]]:
    """The name rows and search-key rows of a person, not yet saved."""
    rows, keys = index_values(texts)
    return (
        [PersonName(person=person, kind=k, text=t, folded=f) for k, t, f in rows],
        [NameKey(person=person, key=k, joined=j) for k, j in keys],
    )


def reindex(person: Person, extra: Iterable[str] = ()) -> None:
    """Rebuild a person's spellings and keys, keeping stored variants."""
    kept = list(person.names.filter(kind=PersonName.Kind.VARIANT).values_list("text", flat=True))
    PersonName.objects.filter(person=person).delete()
    NameKey.objects.filter(person=person).delete()
    rows, keys = index_rows(person, spellings(person, [*kept, *extra]))
    PersonName.objects.bulk_create(rows)
    NameKey.objects.bulk_create(keys)


def _check_unhcr_unique(number: str | None, exclude: int | None = None) -> None:
    if not number:
        return
    others = Person.objects.filter(unhcr_individual_number=number)
    other = (others.exclude(pk=exclude) if exclude is not None else others).first()
    if other is not None:
        raise ConflictError(
            _("UNHCR individual number %(number)s already belongs to %(person)s.")
            % {"number": number, "person": other.display_name},
            field="unhcr_individual_number",
            code="duplicate_unhcr_number",
        )


@transaction.atomic
def create_person(
    *, actor: User | None, data: PersonData, confirmed_distinct: Iterable[int] = ()
) -> Person:
    """A new person. Possible duplicates refuse unless the user confirmed each is different."""
    from passage.registry.duplicates import find_duplicates

    data = clean(data)
    _check_unhcr_unique(data.unhcr_individual_number)
    confirmed = set(confirmed_distinct)
    found = [d for d in find_duplicates(data) if d.person.pk not in confirmed]
    if found:
        raise ConflictError(
            _(
                "Possible duplicates are already in the registry. Check them, then confirm "
                "this is a different person."
            ),
            code="possible_duplicates",
            field="given_names",
            errors=[d.as_dict() for d in found],
        )
    person = Person.objects.create(**data.values())
    reindex(person, data.variants)
    for other in Person.objects.filter(pk__in=confirmed):
        _record_distinct(actor, person, other)
    audit.record(
        actor=actor,
        action="person.create",
        obj=person,
        after=audit.snapshot(person, PERSON_FIELDS),
    )
    return person


@transaction.atomic
def update_person(*, actor: User, person: Person, data: PersonData) -> Person:
    data = clean(data)
    _check_unhcr_unique(data.unhcr_individual_number, exclude=person.pk)
    before = audit.snapshot(person, PERSON_FIELDS)
    for name, value in data.values().items():
        setattr(person, name, value)
    person.updated_at = timezone.now()
    person.save()
    reindex(person, data.variants)
    audit.record(
        actor=actor,
        action="person.update",
        obj=person,
        before=before,
        after=audit.snapshot(person, PERSON_FIELDS),
    )
    return person


@transaction.atomic
def add_spelling(*, actor: User, person: Person, text: str) -> Person:
    text = " ".join(text.split())
    if not text:
        raise ActionError(_("Enter the spelling."), field="text")
    if person.names.filter(text=text).exists():
        raise ActionError(_("This spelling is already recorded."), field="text")
    reindex(person, [text])
    audit.record(actor=actor, action="person.add_spelling", obj=person, extra={"text": text})
    return person


def _record_distinct(actor: User | None, a: Person, b: Person) -> DistinctPerson:
    first, second = (a, b) if a.pk < b.pk else (b, a)
    pair, _created = DistinctPerson.objects.get_or_create(
        first=first, second=second, defaults={"confirmed_by": actor if actor and actor.pk else None}
    )
    return pair


@transaction.atomic
def confirm_distinct(*, actor: User, person: Person, other: Person) -> DistinctPerson:
    if person.pk == other.pk:
        raise ActionError(_("Choose two different people."), field="other")
    pair = _record_distinct(actor, person, other)
    audit.record(
        actor=actor, action="person.confirm_distinct", obj=person, extra={"other": other.pk}
    )
    return pair
