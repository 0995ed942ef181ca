"""Registering a walk-in traveller and their family at the ticket counter.

One action, :func:`register_travellers`: consent once for the family, one row per
traveller, a new self-paying case with them as members. Every row is checked before
anything is written, and every error names its row and field ("Row 2, date of birth:
…"). Possible duplicates already in the registry refuse (409) with the people found,
so the officer either takes the existing case or person, or confirms each is a
different person. The people are written by the registry's own actions
(``create_person``, ``open_case``, ``add_member``), which keep the name index and
their audit events; this action adds one event for the registration.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from passage.core import audit, policy
from passage.core.errors import ActionError, ConflictError
from passage.core.models import User
from passage.registry import actions as registry
from passage.registry import people as registry_people
from passage.registry.choices import Programme, Relationship
from passage.registry.duplicates import find_duplicates
from passage.registry.models import Case, Membership, Person

PERMISSION = "tickets.register"
MAX_TRAVELLERS = 20
NAME_LENGTH = 150
SCOPE_LENGTH = 300
LATIN = re.compile(r"[A-Za-z][A-Za-z '\-]*")
LABELS: dict[str, Promise] = {
    "relationship": gettext_lazy("relationship"),
    "person": gettext_lazy("existing person"),
    "given_names": gettext_lazy("given names"),
    "surname": gettext_lazy("surname"),
    "patronymic": gettext_lazy("patronymic"),
    "latin_given_names": gettext_lazy("given names (Latin)"),
    "latin_surname": gettext_lazy("surname (Latin)"),
    "sex": gettext_lazy("sex"),
    "date_of_birth": gettext_lazy("date of birth"),
    "nationality": gettext_lazy("nationality"),
    "languages": gettext_lazy("languages"),
    "phones": gettext_lazy("phone numbers"),
}


class RegistrationError(ActionError):
    """The rows do not pass: nothing was written. ``errors`` has one entry per problem,
    each with ``row`` (1-based, absent for the consent and destination), ``field`` and
    ``message``."""

    status = 422


@dataclass
class Traveller:
    """One row at the counter: a new person, or (``person_id``) one already registered."""

    relationship: str
    given_names: str = ""
    sex: str = ""
    surname: str = ""
    patronymic: str = ""
    latin_given_names: str = ""
    latin_surname: str = ""
    date_of_birth: dt.date | None = None
    date_of_birth_estimated: bool = False
    nationality: str = ""
    languages: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    person_id: int | None = None
    row: int | None = None  # the number the officer sees, when blank rows were left out

    def person_data(self, consent_date: dt.date, consent_scope: str) -> registry_people.PersonData:
        return registry_people.PersonData(
            given_names=self.given_names,
            surname=self.surname,
            patronymic=self.patronymic,
            latin_given_names=self.latin_given_names,
            latin_surname=self.latin_surname,
            sex=self.sex,
            date_of_birth=self.date_of_birth,
            date_of_birth_estimated=self.date_of_birth_estimated,
            nationality=self.nationality,
            languages=list(self.languages),
            phones=list(self.phones),
            consent_date=consent_date,
            consent_scope=consent_scope,
        )


@dataclass
class _Row:
    number: int
    traveller: Traveller
    data: registry_people.PersonData | None = None
    person: Person | None = None
    flagged: set[int] = field(default_factory=set)


def _row_error(row: int, name: str, message: str) -> dict[str, object]:
    label = str(LABELS.get(name, name))
    text = _("Row %(row)d, %(field)s: %(message)s") % {
        "row": row,
        "field": label,
        "message": message,
    }
    return {"row": row, "field": name, "message": text}


def _check_consent(
    consent_date: dt.date | None, consent_scope: str, destination: str, today: dt.date
) -> list[dict[str, object]]:
    errors: list[dict[str, object]] = []
    if consent_date is None:
        errors.append(
            {
                "field": "consent_date",
                "message": _("Record the traveller's consent to data processing first."),
            }
        )
    elif consent_date > today:
        errors.append({"field": "consent_date", "message": _("The consent date is in the future.")})
    if not consent_scope.strip():
        errors.append({"field": "consent_scope", "message": _("Say what the consent covers.")})
    elif len(consent_scope.strip()) > SCOPE_LENGTH:
        errors.append(
            {
                "field": "consent_scope",
                "message": _("At most %(n)d characters.") % {"n": SCOPE_LENGTH},
            }
        )
    try:
        registry.check_country(destination)
    except ActionError as exc:
        errors.append({"field": "destination_country", "message": exc.message})
    return errors


def _check_existing(row: _Row) -> dict[str, object] | None:
    pk = row.traveller.person_id
    person = Person.objects.filter(pk=pk).first() if pk and 0 < pk < 2**31 else None
    if person is None:
        return _row_error(row.number, "person", _("No such person."))
    current = (
        Membership.objects.filter(person=person, ended_at__isnull=True)
        .select_related("case")
        .first()
    )
    if current is not None:
        return _row_error(
            row.number,
            "person",
            _("%(person)s is already in case %(case)s; use that case.")
            % {"person": person.display_name, "case": current.case.file_number},
        )
    row.person = person
    return None


def _check_new(row: _Row, consent_date: dt.date, consent_scope: str) -> dict[str, object] | None:
    t = row.traveller
    for name in ("given_names", "surname", "patronymic", "latin_given_names", "latin_surname"):
        if len(" ".join(str(getattr(t, name)).split())) > NAME_LENGTH:
            return _row_error(row.number, name, _("At most %(n)d characters.") % {"n": NAME_LENGTH})
    if t.date_of_birth is None:
        return _row_error(
            row.number,
            "date_of_birth",
            _("Enter the date of birth (estimate it if unknown): the fare depends on the age."),
        )
    try:
        data = registry_people.clean(t.person_data(consent_date, consent_scope))
    except ActionError as exc:
        return _row_error(row.number, exc.field or "given_names", exc.message)
    for name in ("latin_given_names", "latin_surname"):
        value = getattr(data, name)
        if value and not LATIN.fullmatch(value):
            return _row_error(
                row.number,
                name,
                _("Use Latin letters only, as in the travel document: “%(value)s”.")
                % {"value": value},
            )
    if not data.latin_given_names:
        return _row_error(row.number, "latin_given_names", _("Enter the given names."))
    row.data = data
    return None


def _check_rows(
    rows: list[_Row], consent_date: dt.date, consent_scope: str
) -> list[dict[str, object]]:
    errors: list[dict[str, object]] = []
    for row in rows:
        if row.traveller.relationship not in Relationship.values:
            errors.append(_row_error(row.number, "relationship", _("Unknown relationship.")))
            continue
        problem = (
            _check_existing(row)
            if row.traveller.person_id is not None
            else _check_new(row, consent_date, consent_scope)
        )
        if problem is not None:
            errors.append(problem)
    principals = [r for r in rows if r.traveller.relationship == Relationship.PRINCIPAL]
    if len(principals) != 1:
        errors.append(
            {
                "field": "relationship",
                "message": _("Mark exactly one traveller as the principal applicant."),
            }
        )
    errors.extend(_repeats(rows))
    return errors


def _repeats(rows: list[_Row]) -> list[dict[str, object]]:
    """A row that repeats another (same person id, or same Latin name, sex and birth date)."""
    seen: dict[tuple[Any, ...], int] = {}
    errors: list[dict[str, object]] = []
    for row in rows:
        if row.person is not None:
            key: tuple[Any, ...] = ("id", row.person.pk)
        elif row.data is not None:
            d = row.data
            name = f"{d.latin_given_names} {d.latin_surname}".lower()
            key = ("name", name, d.sex, d.date_of_birth)
        else:
            continue
        if key in seen:
            errors.append(
                _row_error(
                    row.number,
                    "given_names",
                    _("This repeats row %(row)d.") % {"row": seen[key]},
                )
            )
        else:
            seen[key] = row.number
    return errors


def duplicates_of(rows: list[_Row], confirmed: set[int]) -> list[dict[str, object]]:
    """Possible duplicates of the new rows' people not yet confirmed as different, each
    with its row and the case the person is in now (if any)."""
    found: list[dict[str, object]] = []
    for row in rows:
        if row.data is None:
            continue
        for dup in find_duplicates(row.data):
            row.flagged.add(dup.person.pk)
            if dup.person.pk in confirmed:
                continue
            current = (
                Membership.objects.filter(person=dup.person, ended_at__isnull=True)
                .select_related("case")
                .first()
            )
            found.append(
                {
                    **dup.as_dict(),
                    "row": row.number,
                    "case_id": current.case_id if current else None,
                    "file_number": current.case.file_number if current else "",
                    "programme": current.case.programme if current else "",
                }
            )
    return found


def check(
    *,
    consent_date: dt.date | None,
    consent_scope: str,
    destination_country: str,
    people: Sequence[Traveller],
    confirmed_distinct: Iterable[int] = (),
    today: dt.date | None = None,
) -> list[_Row]:
    """Every check of :func:`register_travellers`, writing nothing: the checked rows, or
    RegistrationError (422) with every problem, or ConflictError (409) listing possible
    duplicates."""
    today = today or timezone.localdate()
    errors = _check_consent(consent_date, consent_scope, destination_country, today)
    if not people:
        errors.append({"field": "people", "message": _("Add at least one traveller.")})
    elif len(people) > MAX_TRAVELLERS:
        errors.append(
            {
                "field": "people",
                "message": _("At most %(n)d travellers at once.") % {"n": MAX_TRAVELLERS},
            }
        )
    rows = [_Row(t.row or n, dataclasses.replace(t)) for n, t in enumerate(people, start=1)]
    if rows and len(rows) <= MAX_TRAVELLERS:
        # the rows are checked even when the consent is not, so every error shows at once
        valid = consent_date is not None and consent_date <= today
        row_consent = consent_date if valid and consent_date is not None else today
        errors.extend(_check_rows(rows, row_consent, consent_scope.strip() or "-"))
    if errors:
        raise RegistrationError(
            str(errors[0]["message"]), code="invalid_travellers", field="people", errors=errors
        )
    dups = duplicates_of(rows, set(confirmed_distinct))
    if dups:
        raise ConflictError(
            _(
                "Possible duplicates are already in the registry. Take the existing case or "
                "person, or confirm each is a different person."
            ),
            code="possible_duplicates",
            field="people",
            errors=dups,
        )
    return rows


@transaction.atomic
def register_travellers(
    *,
    actor: User,
    consent_date: dt.date | None,
    consent_scope: str,
    destination_country: str,
    people: Sequence[Traveller],
    confirmed_distinct: Iterable[int] = (),
) -> Case:
    """Register a traveller and their family and open their self-paying case.

    All or nothing: a bad row, a possible duplicate not confirmed as different, or a
    clash found while writing leaves nothing behind.
    """
    policy.require(actor, PERMISSION)
    confirmed = {int(pk) for pk in confirmed_distinct}
    rows = check(
        consent_date=consent_date,
        consent_scope=consent_scope,
        destination_country=destination_country,
        people=people,
        confirmed_distinct=confirmed,
    )
    created: set[int] = set()
    for row in rows:
        if row.person is None and row.data is not None:
            # family members told apart by _repeats are not each other's duplicates
            family = {d.person.pk for d in find_duplicates(row.data) if d.person.pk in created}
            try:
                row.person = registry_people.create_person(
                    actor=actor,
                    data=row.data,
                    confirmed_distinct=(row.flagged & confirmed) | family,
                )
            except ActionError as exc:
                raise type(exc)(
                    _("Row %(row)d: %(message)s") % {"row": row.number, "message": exc.message},
                    code=exc.code,
                    field=exc.field,
                    errors=exc.errors,
                ) from exc
            created.add(row.person.pk)
    case = registry.open_case(
        actor=actor, programme=Programme.SELF_PAYING, destination_country=destination_country
    )
    ordered = sorted(rows, key=lambda r: (r.traveller.relationship != Relationship.PRINCIPAL,))
    for row in ordered:
        assert row.person is not None
        registry.add_member(
            actor=actor, case=case, person=row.person, relationship=row.traveller.relationship
        )
    audit.record(
        actor=actor,
        action="tickets.register_travellers",
        obj=case,
        extra={
            "people": [r.person.pk for r in rows if r.person is not None],
            "existing": [r.person.pk for r in rows if r.traveller.person_id and r.person],
            "consent_date": consent_date.isoformat() if consent_date else None,
            "consent_scope": consent_scope.strip(),
            "confirmed_distinct": sorted(confirmed),
        },
    )
    return case
