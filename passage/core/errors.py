"""Errors that actions raise, with a machine code and a message for people."""

from __future__ import annotations

from django.utils.functional import Promise


class ActionError(Exception):
    """An action refused: nothing was written.

    ``field`` names the form field or import column the message is about, when
    there is one; ``errors`` carries several messages at once (an import's rows).
    """

    status = 400

    def __init__(
        self,
        message: str | Promise,
        *,
        code: str = "invalid",
        field: str | None = None,
        errors: list[dict[str, object]] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.code = code
        self.field = field
        self.errors = errors or []

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"code": self.code, "message": self.message}
        if self.field:
            data["field"] = self.field
        if self.errors:
            data["errors"] = self.errors
        return data


class ConflictError(ActionError):
    """The action clashes with the current state (a seat taken, a slot full)."""

    status = 409


class TransitionError(ConflictError):
    """A status move that the transition table does not allow."""
