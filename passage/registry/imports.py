"""Import of cases and people: plan what would change, then write it all or nothing.

``plan_import`` reads and checks the whole file and compares it with the
registry (matching cases on the UNHCR case number and people on the UNHCR
individual number). ``apply_import`` writes a clean plan in one transaction with
bulk inserts. Importing the same file twice changes nothing. An empty cell keeps
the value already recorded. Files of more than ``INLINE_ROWS`` rows run as a
background job (``registry.import``) with a progress bar.
"""

from __future__ import annotations

import datetime as dt
import gc
import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol, TypeVar

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core import audit, jobs
from passage.core.errors import ActionError
from passage.core.models import AuditEvent, Job, User
from passage.registry import bulk, people
from passage.registry.actions import next_numbers
from passage.registry.choices import CaseStatus, ReferenceKind
from passage.registry.importing import ImportRow, RowError, parse_file, read_table
from passage.registry.models import (
    Case,
    CaseReference,
    CaseStatusChange,
    Membership,
    NameKey,
    Person,
    PersonName,
)

INLINE_ROWS = 2000
BATCH = 1000
PEOPLE_BATCH = 5000
JOB_KIND = "registry.import"
T = TypeVar("T")
ProgressFn = Callable[[int, int], None]
PERSON_COLUMNS = [*people.PERSON_FIELDS, "created_at", "updated_at"]
person_values = operator.attrgetter(*people.PERSON_FIELDS)
UPDATABLE = [f for f in people.PERSON_FIELDS if f not in {"consent_date", "consent_scope"}]


class CaseLike(Protocol):
    @property
    def pk(self) -> Any: ...
    @property
    def file_number(self) -> str: ...


class NewCase(NamedTuple):
    """A case the import has just inserted (no model instance needed)."""

    pk: int
    file_number: str


@contextmanager
def paused_gc() -> Iterator[None]:
    """Cyclic garbage collection paused for a large import.

    Reading and writing a file allocates millions of small objects that all live
    until the end; the collector would walk them again and again (a quarter of the
    import's time). They hold no reference cycles worth collecting meanwhile, and the
    collector runs again afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _chunks(items: list[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    return bulk.chunks(items, size)


@dataclass
class Change:
    row: int
    person: Person
    changes: dict[str, list[Any]]
    relationship: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "row": self.row,
            "person_id": self.person.pk,
            "name": self.person.display_name,
            "changes": audit._plain(self.changes),
        }


@dataclass
class Plan:
    rows: list[ImportRow] = field(default_factory=list)
    new_cases: dict[str, ImportRow] = field(default_factory=dict)
    case_updates: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    new_people: list[ImportRow] = field(default_factory=list)
    updates: list[Change] = field(default_factory=list)
    joins: list[tuple[ImportRow, Person]] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[dict[str, object]] = field(default_factory=list)
    existing_cases: dict[str, Case] = field(default_factory=dict)
    existing_people: dict[str, Person] = field(default_factory=dict)

    @property
    def changes_anything(self) -> bool:
        return bool(
            self.new_cases or self.case_updates or self.new_people or self.updates or self.joins
        )

    def summary(self) -> dict[str, object]:
        return {
            "rows": len(self.rows),
            "new_cases": len(self.new_cases),
            "updated_cases": len(self.case_updates),
            "new_people": len(self.new_people),
            "updated_people": len(self.updates),
            "joined_people": len(self.joins),
            "unchanged_people": self.unchanged,
            "case_changes": self.case_updates,
            "changes": [c.as_dict() for c in self.updates[:500]],
            "warnings": self.warnings[:500],
            "errors": [e.as_dict() for e in self.errors[:1000]],
        }


def _existing(plan: Plan) -> None:
    numbers = sorted({r.case_number for r in plan.rows})
    for chunk in _chunks(numbers):
        refs = CaseReference.objects.filter(kind=ReferenceKind.UNHCR_CASE, value__in=chunk)
        for ref in refs.select_related("case"):
            plan.existing_cases[ref.value] = ref.case
    individuals = sorted({r.person.unhcr_individual_number or "" for r in plan.rows})
    for chunk in _chunks(individuals):
        for person in Person.objects.filter(unhcr_individual_number__in=chunk):
            plan.existing_people[person.unhcr_individual_number or ""] = person


def _person_changes(row: ImportRow, person: Person) -> dict[str, list[Any]]:
    values = row.person.values()
    changes = {}
    for name in UPDATABLE:
        column = "date_of_birth" if name == "date_of_birth_estimated" else name
        if column in row.blank:
            continue
        if getattr(person, name) != values[name]:
            changes[name] = [getattr(person, name), values[name]]
    return changes


def _plan_cases(plan: Plan, principals: dict[str, int]) -> None:
    for row in plan.rows:
        case = plan.existing_cases.get(row.case_number)
        if case is None:
            plan.new_cases.setdefault(row.case_number, row)
            continue
        diffs = {
            c: [getattr(case, c), row.case[c]]
            for c in row.case
            if row.case[c] and getattr(case, c) != row.case[c]
        }
        if diffs:
            plan.case_updates[row.case_number] = diffs
    for number, first in plan.new_cases.items():
        if number not in principals:
            plan.errors.append(
                RowError(
                    first.row,
                    "relationship",
                    _("case %(case)s has no principal applicant") % {"case": number},
                )
            )


def _find_duplicates(plan: Plan, progress: ProgressFn) -> None:
    from passage.registry.duplicates import find_duplicates

    total = len(plan.new_people)
    for done, row in enumerate(plan.new_people, start=1):
        # Nobody has the row's individual number (it would have been matched).
        for dup in find_duplicates(row.person, by_number=False):
            plan.warnings.append(
                {
                    "row": row.row,
                    "column": "given_names",
                    "message": _("possible duplicate of %(person)s")
                    % {"person": dup.person.display_name},
                    "person_id": dup.person.pk,
                }
            )
        progress(done, total)


def _plan_people(plan: Plan, memberships: dict[int, Membership]) -> None:
    for row in plan.rows:
        person = plan.existing_people.get(row.person.unhcr_individual_number or "")
        case = plan.existing_cases.get(row.case_number)
        if person is None:
            plan.new_people.append(row)
            continue
        member = memberships.get(person.pk)
        if member is not None and (case is None or member.case_id != case.pk):
            plan.errors.append(
                RowError(
                    row.row,
                    "unhcr_case_number",
                    _("%(person)s is a member of case %(case)s")
                    % {"person": person.display_name, "case": member.case.file_number},
                )
            )
            continue
        changes = _person_changes(row, person)
        relationship = None
        if member is not None and member.relationship != row.relationship:
            relationship = row.relationship
            changes["relationship"] = [member.relationship, row.relationship]
        if member is None:
            plan.joins.append((row, person))
        if changes:
            plan.updates.append(Change(row.row, person, changes, relationship))
        elif member is not None:
            plan.unchanged += 1


def plan_import(
    name: str,
    content: bytes,
    *,
    today: dt.date | None = None,
    check_duplicates: bool = True,
    progress: ProgressFn | None = None,
) -> Plan:
    """Read, check and compare the whole file; nothing is written.

    ``progress`` hears how many new people have been searched for duplicates (the
    slow part of a preview: one fuzzy search per person).
    """
    with paused_gc():
        report = progress or (lambda done, total: None)
        return _plan(name, content, today or timezone.localdate(), check_duplicates, report)


def _plan(
    name: str, content: bytes, today: dt.date, check_duplicates: bool, progress: ProgressFn
) -> Plan:
    parsed = parse_file(read_table(name, content), today)
    plan = Plan(rows=parsed.rows, errors=parsed.errors, warnings=list(parsed.warnings))
    if plan.errors:
        return plan
    _existing(plan)
    person_ids = [p.pk for p in plan.existing_people.values()]
    memberships: dict[int, Membership] = {}
    for chunk in _chunks(person_ids):
        for m in Membership.objects.filter(
            person_id__in=chunk, ended_at__isnull=True
        ).select_related("case"):
            memberships[m.person_id] = m
    _plan_cases(plan, parsed.principals)
    _plan_people(plan, memberships)
    if check_duplicates:
        _find_duplicates(plan, progress)
    return plan


def refuse(plan: Plan) -> None:
    if plan.errors:
        raise ActionError(
            _("The file has %(n)s problems; nothing was imported.") % {"n": len(plan.errors)},
            code="import_invalid",
            field="file",
            errors=[e.as_dict() for e in plan.errors[:1000]],
        )


AUDIT_FIELDS = [
    "at",
    "actor",
    "actor_repr",
    "organisation",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "extra",
    "ip",
    "user_agent",
]
Described = dict[str, list[dict[str, object]]]  # case number -> people (id, name, row)


def _audit_cases(
    actor: User | None,
    plan: Plan,
    cases: Mapping[str, CaseLike],
    created: Described,
    joined: Described,
) -> None:
    """One audit event per case the import created or added people to, written in bulk.

    The event names the people written with the case (``extra.people``: id, name and
    file row; ``extra.joined`` for people already in the registry), so a person's
    import is found through its case, without one more event per person.
    """
    info = audit.current_request_info()
    actor_user = actor if actor is not None and actor.pk else None
    actor_repr = actor_user.get_username() if actor_user else "system"
    org = getattr(actor_user, "organisation_id", None)
    now = timezone.now()
    events: list[tuple[Any, ...]] = []
    for number in dict.fromkeys([*plan.new_cases, *created, *joined]):
        case = cases[number]
        extra: dict[str, object] = {"unhcr_case_number": number, "people": created.get(number, [])}
        if number in joined:
            extra["joined"] = joined[number]
        action = "case.import" if number in plan.new_cases else "case.import_people"
        events.append(
            (
                now,
                actor_user.pk if actor_user else None,
                actor_repr,
                org,
                action,
                "registry.case",
                str(case.pk),
                case.file_number[:200],
                {},
                extra,
                info.ip,
                info.user_agent[:300],
            )
        )
    bulk.insert(AuditEvent, AUDIT_FIELDS, events)


def _create_cases(actor: User | None, plan: Plan) -> dict[str, NewCase]:
    numbers = next_numbers(len(plan.new_cases))
    now = timezone.now()
    fields = [
        "file_number",
        "status",
        "status_changed_at",
        "programme",
        "destination_country",
        "priority",
        "created_at",
        "updated_at",
        "notes",
    ]
    values = [
        (
            number,
            CaseStatus.OPENED,
            now,
            row.case["programme"],
            row.case["destination_country"],
            row.case["priority"],
            now,
            now,
            "",
        )
        for number, row in zip(numbers, plan.new_cases.values(), strict=True)
    ]
    ids = bulk.insert(Case, fields, values, returning=True)
    cases = [NewCase(pk, number) for pk, number in zip(ids, numbers, strict=True)]
    actor_id = actor.pk if actor and actor.pk else None
    reason = _("Imported")
    bulk.insert(
        CaseStatusChange,
        ["case", "from_status", "to_status", "actor", "at", "reason"],
        [(c.pk, "", CaseStatus.OPENED, actor_id, now, reason) for c in cases],
    )
    bulk.insert(
        CaseReference,
        ["case", "kind", "value", "note"],
        [
            (c.pk, ReferenceKind.UNHCR_CASE, number, "")
            for c, number in zip(cases, plan.new_cases, strict=True)
        ],
    )
    return dict(zip(plan.new_cases, cases, strict=True))


def _create_people(
    plan: Plan, cases: Mapping[str, CaseLike], progress: ProgressFn, total: int
) -> Described:
    """People with their spellings and memberships, then all their search keys."""
    done = 0
    now = timezone.now()
    described: Described = {}
    keys: list[tuple[str, int, bool]] = []
    for chunk in bulk.chunks(plan.new_people, PEOPLE_BATCH):
        values = [(*person_values(row.person), now, now) for row in chunk]
        ids = bulk.insert(Person, PERSON_COLUMNS, values, returning=True)
        names: list[tuple[Any, ...]] = []
        members: list[tuple[Any, ...]] = []
        for row, pk in zip(chunk, ids, strict=True):
            texts = people.spellings(row.person)
            rows, person_keys = people.index_values(texts)
            names.extend((pk, *r) for r in rows)
            keys.extend((key, pk, joined) for key, joined in person_keys)
            members.append((cases[row.case_number].pk, pk, row.relationship, now, ""))
            described.setdefault(row.case_number, []).append(
                {"id": pk, "name": " / ".join(t[1] for t in texts), "row": row.row}
            )
        bulk.insert(PersonName, ["person", "kind", "text", "folded"], names)
        bulk.insert(
            Membership, ["case", "person", "relationship", "joined_at", "ended_reason"], members
        )
        done += len(chunk)
        progress(done, total)
    # In key order, each search key lands next to the previous one in the key index
    # (random order touches a different index page for almost every key).
    keys.sort()
    bulk.insert(NameKey, ["key", "person", "joined"], keys)
    return described


def _apply_updates(actor: User | None, plan: Plan, cases: Mapping[str, CaseLike]) -> Described:
    """Changes to people and cases already in the registry (row by row: they are few)."""
    for change in plan.updates:
        person = change.person
        before = audit.snapshot(person, people.PERSON_FIELDS)
        for name, (_old, new) in change.changes.items():
            if name != "relationship":
                setattr(person, name, new)
        person.updated_at = timezone.now()
        person.save()
        people.reindex(person)
        if change.relationship:
            Membership.objects.filter(person=person, ended_at__isnull=True).update(
                relationship=change.relationship
            )
        audit.record(
            actor=actor,
            action="person.import_update",
            obj=person,
            before=before,
            after=audit.snapshot(person, people.PERSON_FIELDS),
        )
    joined: Described = {}
    for row, person in plan.joins:
        Membership.objects.create(
            case_id=cases[row.case_number].pk, person=person, relationship=row.relationship
        )
        joined.setdefault(row.case_number, []).append(
            {"id": person.pk, "name": person.display_name, "row": row.row}
        )
    for number, diffs in plan.case_updates.items():
        case = plan.existing_cases[number]
        for column, (_old, new) in diffs.items():
            setattr(case, column, new)
        case.save()
        audit.record(actor=actor, action="case.import_update", obj=case, changes=diffs)
    return joined


@transaction.atomic
def apply_import(
    *, actor: User | None, plan: Plan, progress: ProgressFn | None = None
) -> dict[str, object]:
    """Write a checked plan, all or nothing. Returns the plan's summary."""
    with paused_gc():
        return _apply(actor, plan, progress)


def _apply(actor: User | None, plan: Plan, progress: ProgressFn | None) -> dict[str, object]:
    refuse(plan)
    report = progress or (lambda done, total: None)
    total = len(plan.new_people) + len(plan.updates)
    cases: dict[str, CaseLike] = {**plan.existing_cases, **_create_cases(actor, plan)}
    created = _create_people(plan, cases, report, total)
    joined = _apply_updates(actor, plan, cases)
    _audit_cases(actor, plan, cases, created, joined)
    report(total, total)
    summary = plan.summary()
    audit.record(
        actor=actor,
        action="registry.import",
        object_type="registry.import",
        extra={k: v for k, v in summary.items() if isinstance(v, int)},
    )
    return summary


def run_import(job: Job, progress: jobs.Progress) -> dict[str, Any]:
    """The job handler: ``params`` has the stored file ``path``, its ``name``, and ``apply``."""
    params = job.params
    with default_storage.open(params["path"], "rb") as handle:
        content = handle.read()
    progress.message(_("Checking the file"))
    progress.every = 200
    plan = plan_import(
        params["name"],
        content,
        check_duplicates=not params.get("apply"),
        progress=lambda d, t: progress(d, t),
    )
    refuse(plan)
    if not params.get("apply"):
        return {"preview": True, **plan.summary()}
    if plan.updates and not params.get("confirm_updates"):
        raise ActionError(
            _("The file changes existing records; review the preview first."),
            code="confirm_updates",
        )
    progress.every = 500
    summary = apply_import(actor=job.created_by, plan=plan, progress=lambda d, t: progress(d, t))
    return {"preview": False, **summary}


def register_jobs() -> None:
    jobs.register(JOB_KIND, run_import)
