"""Status transitions: one table per status field, one function that applies it.

A table maps each status to the statuses it may move to. :func:`check_transition`
refuses a move the table does not allow, naming the moves that are allowed.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import models
from django.utils.translation import gettext as _

from passage.core.errors import TransitionError

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
