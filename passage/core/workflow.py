"""Status transitions: one table per status field, one function that applies it.

A table maps each status to the statuses it may move to. :func:`check_transition`
refuses a move the table does not allow, naming the moves that are allowed.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core import audit
from passage.core.errors import TransitionError
from passage.core.models import User

TransitionTable = Mapping[str, frozenset[str]]


def allowed_moves(table: TransitionTable, current: str) -> frozenset[str]:
    return table.get(current, frozenset())


def check_transition(
    table: TransitionTable,
    choices: type[models.TextChoices],
    current: str,
    target: str,
) -> None:
    if target not in choices.values:
        raise TransitionError(_("Unknown status “%(status)s”.") % {"status": target})
    allowed = allowed_moves(table, current)
    if target in allowed:
        return
    labels = {value: str(label) for value, label in choices.choices}
    if allowed:
        names = ", ".join(sorted(labels[s] for s in allowed))
        message = _("Cannot move from “%(current)s” to “%(target)s”. Allowed: %(allowed)s.")
    else:
        names = ""
        message = _("Cannot move from “%(current)s” to “%(target)s”: it is a final status.")
    raise TransitionError(
        message
        % {"current": labels.get(current, current), "target": labels[target], "allowed": names},
        code="transition_not_allowed",
        field="status",
    )


def _history_link(history: type[models.Model], owner: type[models.Model]) -> str:
    for field in history._meta.get_fields():
        if isinstance(field, models.ForeignKey) and field.related_model is owner:
            return field.name
    raise LookupError(f"{history.__name__} has no foreign key to {owner.__name__}")


def apply_transition(
    obj: models.Model,
    to: str,
    *,
    table: TransitionTable,
    choices: type[models.TextChoices],
    history: type[models.Model],
    actor: User | None,
    action: str,
    reason: str = "",
) -> str:
    """Move ``obj.status`` to ``to`` through ``table``: check the move, save the status
    (and ``status_changed_at`` where the model keeps it), write a ``history`` row
    (``from_status``, ``to_status``, ``actor``, ``reason``) and an audit event ``action``.

    The caller holds the row lock and runs inside its own transaction. Returns the status
    the object left.
    """
    current = obj.status  # type: ignore[attr-defined]
    check_transition(table, choices, current, to)
    obj.status = to  # type: ignore[attr-defined]
    fields = ["status"]
    if hasattr(obj, "status_changed_at"):
        obj.status_changed_at = timezone.now()
        fields.append("status_changed_at")
    obj.save(update_fields=fields)
    limit = getattr(history._meta.get_field("reason"), "max_length", None) or len(reason)
    history.objects.create(  # type: ignore[attr-defined]
        **{_history_link(history, type(obj)): obj},
        from_status=current,
        to_status=to,
        actor=actor,
        reason=reason[:limit],
    )
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        changes={"status": [current, to]},
        extra={"reason": reason},
    )
    return str(current)
