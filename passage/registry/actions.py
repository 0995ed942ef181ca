"""Every write on cases: open, edit, members, references, status, split and merge.

People are written in :mod:`passage.registry.people`; embassy requests and
referrals in :mod:`passage.registry.requests`. Other apps move a case through the
workflow with :func:`transition_case`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any

import pycountry
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core import audit
from passage.core.errors import ActionError, ConflictError
from passage.core.models import Organisation, User
from passage.core.workflow import check_transition
from passage.registry.choices import (
    CASE_TRANSITIONS,
    FINAL_STATUSES,
    UNIQUE_REFERENCE_KINDS,
    CaseStatus,
    LinkKind,
    Priority,
    Programme,
    ReferenceKind,
    Relationship,
)
from passage.registry.models import (
    Case,
    CaseLink,
    CaseReference,
    CaseStatusChange,
    Membership,
    NumberSequence,
    Person,
)

CASE_FIELDS = (
    "file_number",
    "programme",
    "destination_country",
    "receiving_party_id",
    "referred_by_id",
    "priority",
    "status",
    "case_worker_id",
    "notes",
)
EDITABLE_CASE_FIELDS = frozenset(
    {
        "programme",
        "destination_country",
        "receiving_party",
        "referred_by",
        "priority",
        "case_worker",
        "notes",
    }
)
FILE_NUMBER = "case_file"
DEFAULT_PATTERN = "KGZ-{year}-{seq:05d}"


def next_numbers(count: int, name: str = FILE_NUMBER, on_date: dt.date | None = None) -> list[str]:
    """Take the next ``count`` numbers of a sequence, race-free (the row stays locked until
    the surrounding transaction commits)."""
    year = (on_date or timezone.localdate()).year
    if count <= 0:
        return []
    with transaction.atomic():
        NumberSequence.objects.get_or_create(name=name, defaults={"pattern": DEFAULT_PATTERN})
        seq = NumberSequence.objects.select_for_update().get(name=name)
        if "{year" in seq.pattern and seq.period != year:
            seq.period, seq.last = year, 0
        first = seq.last + 1
        seq.last += count
        seq.save(update_fields=["period", "last"])
        try:
            return [seq.pattern.format(year=year, seq=n) for n in range(first, seq.last + 1)]
        except (KeyError, IndexError, ValueError) as exc:
            raise ActionError(
                _("The numbering pattern “%(pattern)s” is not valid.") % {"pattern": seq.pattern},
                field="pattern",
            ) from exc


def next_number(name: str = FILE_NUMBER, on_date: dt.date | None = None) -> str:
    """Take the next number of a sequence (see :func:`next_numbers`)."""
    return next_numbers(1, name, on_date)[0]


@functools.lru_cache(maxsize=1024)
def check_country(code: str, field: str = "destination_country") -> str:
    code = (code or "").strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise ActionError(
            _("“%(code)s” is not an ISO 3166 country code.") % {"code": code}, field=field
        )
    return code


def _check_case_values(values: dict[str, Any]) -> None:
    if "programme" in values and values["programme"] not in Programme.values:
        raise ActionError(_("Unknown programme."), field="programme")
    if "priority" in values and values["priority"] not in Priority.values:
        raise ActionError(_("Unknown priority."), field="priority")
    if "destination_country" in values:
        values["destination_country"] = check_country(values["destination_country"])
    worker = values.get("case_worker")
    if worker is not None and not (isinstance(worker, User) and worker.is_mission_staff):
        raise ActionError(_("The case worker must be mission staff."), field="case_worker")
    for field in ("receiving_party", "referred_by"):
        org = values.get(field)
        if org is not None and not isinstance(org, Organisation):
            raise ActionError(_("Choose an organisation."), field=field)


def _history(case: Case, actor: User | None, before: str, after: str, reason: str) -> None:
    CaseStatusChange.objects.create(
        case=case,
        from_status=before,
        to_status=after,
        actor=actor if actor and actor.pk else None,
        at=case.status_changed_at,
        reason=reason[:500],
    )


@transaction.atomic
def open_case(
    *,
    actor: User | None,
    programme: str,
    destination_country: str,
    priority: str = Priority.NORMAL,
    receiving_party: Organisation | None = None,
    referred_by: Organisation | None = None,
    case_worker: User | None = None,
    notes: str = "",
    status: str = CaseStatus.OPENED,
    file_number: str | None = None,
) -> Case:
    """A new case, opened (or referred, when UNHCR's referral comes first)."""
    values: dict[str, Any] = {
        "programme": programme,
        "destination_country": destination_country,
        "priority": priority,
        "receiving_party": receiving_party,
        "referred_by": referred_by,
        "case_worker": case_worker,
        "notes": notes,
    }
    _check_case_values(values)
    if status not in {CaseStatus.OPENED, CaseStatus.REFERRED}:
        raise ActionError(_("A new case starts as referred or opened."), field="status")
    number = file_number or next_number()
    if Case.objects.filter(file_number=number).exists():
        raise ConflictError(
            _("The file number %(number)s is taken.") % {"number": number}, field="file_number"
        )
    case = Case.objects.create(file_number=number, status=status, **values)
    _history(case, actor, "", status, _("Case opened"))
    audit.record(actor=actor, action="case.open", obj=case, after=audit.snapshot(case, CASE_FIELDS))
    return case


@transaction.atomic
def update_case(*, actor: User, case: Case, **changes: Any) -> Case:
    unknown = set(changes) - EDITABLE_CASE_FIELDS
    if unknown:
        raise ActionError(
            _("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))},
            field=sorted(unknown)[0],
        )
    _check_case_values(changes)
    before = audit.snapshot(case, CASE_FIELDS)
    for field, value in changes.items():
        setattr(case, field, value)
    case.updated_at = timezone.now()
    case.save()
    audit.record(
        actor=actor,
        action="case.update",
        obj=case,
        before=before,
        after=audit.snapshot(case, CASE_FIELDS),
    )
    return case


@transaction.atomic
def transition_case(*, actor: User | None, case: Case, to: str, reason: str = "") -> Case:
    """Move a case to another status: checks the table, writes history and audit."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    check_transition(CASE_TRANSITIONS, CaseStatus, locked.status, to)
    before = locked.status
    locked.status = to
    locked.status_changed_at = timezone.now()
    locked.updated_at = locked.status_changed_at
    locked.save(update_fields=["status", "status_changed_at", "updated_at"])
    _history(locked, actor, before, to, reason)
    audit.record(
        actor=actor,
        action="case.transition",
        obj=locked,
        changes={"status": [before, to]},
        extra={"reason": reason},
    )
    case.status, case.status_changed_at = locked.status, locked.status_changed_at
    return case


def _require_open(case: Case) -> None:
    if case.status in FINAL_STATUSES:
        raise ConflictError(
            _("Case %(case)s is %(status)s; it cannot be changed.")
            % {"case": case.file_number, "status": case.get_status_display()},
            code="case_final",
        )


@transaction.atomic
def add_member(*, actor: User | None, case: Case, person: Person, relationship: str) -> Membership:
    _require_open(case)
    if relationship not in Relationship.values:
        raise ActionError(_("Unknown relationship."), field="relationship")
    current = (
        Membership.objects.filter(person=person, ended_at__isnull=True)
        .select_related("case")
        .first()
    )
    if current is not None:
        raise ConflictError(
            _("%(person)s is already a member of case %(case)s.")
            % {"person": person.display_name, "case": current.case.file_number},
            field="person",
        )
    if (
        relationship == Relationship.PRINCIPAL
        and case.memberships.filter(
            ended_at__isnull=True, relationship=Relationship.PRINCIPAL
        ).exists()
    ):
        raise ConflictError(_("The case already has a principal applicant."), field="relationship")
    member = Membership.objects.create(case=case, person=person, relationship=relationship)
    audit.record(
        actor=actor,
        action="case.add_member",
        obj=case,
        extra={"person": person.pk, "relationship": relationship},
    )
    return member


@transaction.atomic
def end_membership(*, actor: User, membership: Membership, reason: str) -> Membership:
    _require_open(membership.case)
    if membership.ended_at is not None:
        raise ActionError(_("This person has already left the case."), field="person")
    if not reason.strip():
        raise ActionError(_("Give a reason."), field="reason")
    membership.ended_at, membership.ended_reason = timezone.now(), reason.strip()[:200]
    membership.save(update_fields=["ended_at", "ended_reason"])
    audit.record(
        actor=actor,
        action="case.remove_member",
        obj=membership.case,
        extra={"person": membership.person_id, "reason": reason},
    )
    return membership


def _reference_taken(kind: str, value: str, exclude_case: Case | None = None) -> Case | None:
    if kind not in UNIQUE_REFERENCE_KINDS:
        return None
    ref = CaseReference.objects.filter(kind=kind, value=value).select_related("case").first()
    if ref is None or (exclude_case is not None and ref.case_id == exclude_case.pk):
        return None
    return ref.case


@transaction.atomic
def add_reference(
    *, actor: User | None, case: Case, kind: str, value: str, note: str = ""
) -> CaseReference:
    value = value.strip()
    if kind not in ReferenceKind.values:
        raise ActionError(_("Unknown reference kind."), field="kind")
    if not value:
        raise ActionError(_("Enter the number."), field="value")
    other = _reference_taken(kind, value)
    if other is not None:
        raise ConflictError(
            _("%(kind)s %(value)s already belongs to case %(case)s.")
            % {"kind": ReferenceKind(kind).label, "value": value, "case": other.file_number},
            field="value",
            code="duplicate_reference",
        )
    ref, _created = CaseReference.objects.get_or_create(
        case=case, kind=kind, value=value, defaults={"note": note}
    )
    audit.record(
        actor=actor, action="case.add_reference", obj=case, extra={"kind": kind, "value": value}
    )
    return ref


@transaction.atomic
def remove_reference(*, actor: User, reference: CaseReference) -> None:
    case = reference.case
    audit.record(
        actor=actor,
        action="case.remove_reference",
        obj=case,
        extra={"kind": reference.kind, "value": reference.value},
    )
    reference.delete()


@transaction.atomic
def split_case(
    *,
    actor: User,
    case: Case,
    people: Iterable[Person],
    principal: Person,
    reason: str,
) -> Case:
    """Some members leave ``case`` and form a new case with ``principal`` at its head."""
    _require_open(case)
    if not reason.strip():
        raise ActionError(_("Give a reason for the split."), field="reason")
    active = {m.person_id: m for m in case.memberships.filter(ended_at__isnull=True)}
    moving = [p.pk for p in people]
    if not moving:
        raise ActionError(_("Choose the members who form the new case."), field="people")
    if any(pk not in active for pk in moving):
        raise ActionError(_("Only current members can be split off."), field="people")
    if len(moving) == len(active):
        raise ActionError(_("At least one member must stay in the case."), field="people")
    if principal.pk not in moving:
        raise ActionError(
            _("The new principal applicant must be one of those leaving."), field="principal"
        )
    if any(active[pk].relationship == Relationship.PRINCIPAL for pk in moving):
        raise ActionError(_("The principal applicant stays; split off the others."), field="people")
    new = open_case(
        actor=actor,
        programme=case.programme,
        destination_country=case.destination_country,
        priority=case.priority,
        receiving_party=case.receiving_party,
        referred_by=case.referred_by,
        case_worker=case.case_worker,
        notes=_("Split from %(case)s: %(reason)s") % {"case": case.file_number, "reason": reason},
    )
    now = timezone.now()
    for pk in moving:
        old = active[pk]
        old.ended_at, old.ended_reason = (
            now,
            (_("Split to %(case)s") % {"case": new.file_number})[:200],
        )
        old.save(update_fields=["ended_at", "ended_reason"])
        Membership.objects.create(
            case=new,
            person_id=pk,
            joined_at=now,
            relationship=Relationship.PRINCIPAL
            if pk == principal.pk
            else Relationship.OTHER_RELATIVE,
        )
    CaseReference.objects.create(
        case=new, kind=ReferenceKind.FORMER_FILE, value=case.file_number, note=_("split from")
    )
    CaseLink.objects.create(
        kind=LinkKind.SPLIT, source=case, target=new, people=moving, actor=actor, reason=reason
    )
    audit.record(
        actor=actor,
        action="case.split",
        obj=case,
        extra={"new_case": new.file_number, "people": moving, "reason": reason},
    )
    return new


@transaction.atomic
def merge_cases(*, actor: User, source: Case, target: Case, reason: str) -> Case:
    """``source``'s members and references join ``target``; ``source`` is closed."""
    if source.pk == target.pk:
        raise ActionError(_("Choose two different cases."), field="target")
    _require_open(source)
    _require_open(target)
    if not reason.strip():
        raise ActionError(_("Give a reason for the merge."), field="reason")
    now = timezone.now()
    moved = []
    for member in source.memberships.filter(ended_at__isnull=True):
        member.ended_at = now
        member.ended_reason = (_("Merged into %(case)s") % {"case": target.file_number})[:200]
        member.save(update_fields=["ended_at", "ended_reason"])
        rel = (
            Relationship.OTHER_RELATIVE
            if member.relationship == Relationship.PRINCIPAL
            else member.relationship
        )
        Membership.objects.create(
            case=target, person_id=member.person_id, relationship=rel, joined_at=now
        )
        moved.append(member.person_id)
    for ref in source.references.all():
        ref.case = target
        ref.note = (_("from %(case)s") % {"case": source.file_number})[:200]
        ref.save(update_fields=["case", "note"])
    CaseReference.objects.create(
        case=target, kind=ReferenceKind.FORMER_FILE, value=source.file_number, note=_("merged")
    )
    for request in source.embassy_requests.all():
        request.cases.add(target)
    CaseLink.objects.create(
        kind=LinkKind.MERGE, source=source, target=target, people=moved, actor=actor, reason=reason
    )
    transition_case(
        actor=actor,
        case=source,
        to=CaseStatus.CLOSED,
        reason=_("Merged into %(case)s") % {"case": target.file_number},
    )
    audit.record(
        actor=actor,
        action="case.merge",
        obj=target,
        extra={"merged": source.file_number, "people": moved, "reason": reason},
    )
    return target


@transaction.atomic
def set_number_pattern(
    *, actor: User | None, name: str = FILE_NUMBER, pattern: str
) -> NumberSequence:
    """Change a numbering pattern (e.g. ``KGZ-{year}-{seq:05d}``); checked before it is kept."""
    try:
        sample = pattern.format(year=2026, seq=1)
    except (KeyError, IndexError, ValueError) as exc:
        raise ActionError(
            _("The numbering pattern “%(pattern)s” is not valid.") % {"pattern": pattern},
            field="pattern",
        ) from exc
    if "{seq" not in pattern or not sample.strip():
        raise ActionError(_("The pattern must contain {seq}."), field="pattern")
    seq, _created = NumberSequence.objects.select_for_update().get_or_create(name=name)
    before = seq.pattern
    seq.pattern = pattern
    seq.save(update_fields=["pattern"])
    audit.record(
        actor=actor,
        action="registry.number_pattern",
        obj=seq,
        changes={"pattern": [before, pattern]},
    )
    return seq
