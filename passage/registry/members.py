"""Changes to the members of a case: their relationship to the principal applicant."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from passage.core import audit
from passage.core.errors import ActionError, ConflictError
from passage.core.models import User
from passage.registry.actions import _require_open
from passage.registry.choices import Relationship
from passage.registry.models import Case, Membership


@transaction.atomic
def change_relationship(
    *,
    actor: User,
    membership: Membership,
    relationship: str,
    former_principal_becomes: str = "",
    reason: str = "",
) -> Membership:
    """Record a member's relationship to the principal applicant anew.

    A case always keeps one principal: the principal's own relationship changes
    only by making another member principal, and that is explicit: the caller
    says what the former principal becomes (``former_principal_becomes``) and
    why (``reason``). Each changed membership gets an audit event on the case.
    """
    case = Case.objects.select_for_update().get(pk=membership.case_id)
    _require_open(case)
    member = Membership.objects.select_related("person").get(pk=membership.pk)
    if member.ended_at is not None:
        raise ActionError(_("This person has already left the case."), field="person")
    if relationship not in Relationship.values:
        raise ActionError(_("Unknown relationship."), field="relationship")
    if relationship == member.relationship:
        raise ActionError(_("The relationship is already recorded so."), field="relationship")
    if member.relationship == Relationship.PRINCIPAL:
        raise ConflictError(
            _(
                "%(person)s is the principal applicant: make another member principal "
                "instead, and say what %(person)s becomes."
            )
            % {"person": member.person.display_name},
            field="relationship",
            code="principal_required",
        )
    changed = [(member, member.relationship, relationship)]
    if relationship == Relationship.PRINCIPAL:
        step = _principal_steps_down(case, former_principal_becomes, reason)
        if step is not None:
            changed.insert(0, step)
    elif former_principal_becomes:
        raise ActionError(
            _("Say what the former principal becomes only when making a member principal."),
            field="former_principal_becomes",
        )
    for row, before, after in changed:
        row.relationship = after
        row.save(update_fields=["relationship"])
        audit.record(
            actor=actor,
            action="case.change_principal"
            if Relationship.PRINCIPAL in (before, after)
            else "case.change_relationship",
            obj=case,
            changes={"relationship": [before, after]},
            extra={
                "person": row.person_id,
                "person_name": row.person.display_name,
                "reason": reason.strip(),
            },
        )
    membership.relationship = relationship
    return member


def _principal_steps_down(
    case: Case, becomes: str, reason: str
) -> tuple[Membership, str, str] | None:
    """The current principal's membership and its new relationship, checked."""
    current = (
        case.memberships.filter(ended_at__isnull=True, relationship=Relationship.PRINCIPAL)
        .select_related("person")
        .first()
    )
    if current is None:
        return None
    if not becomes:
        raise ConflictError(
            _(
                "%(person)s is the principal applicant. To make another member principal, "
                "say what %(person)s becomes."
            )
            % {"person": current.person.display_name},
            field="former_principal_becomes",
            code="principal_change",
        )
    if becomes not in Relationship.values or becomes == Relationship.PRINCIPAL:
        raise ActionError(
            _("Choose what the former principal becomes."), field="former_principal_becomes"
        )
    if not reason.strip():
        raise ActionError(_("Give a reason for changing the principal applicant."), field="reason")
    return current, Relationship.PRINCIPAL, becomes
