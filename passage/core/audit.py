"""The explicit audit log.

Actions call :func:`record` inside their transaction. The request's address
and browser come from a context variable that the middleware sets, so actions
do not need the request passed to them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import models

from passage.core.models import AuditEvent, User


@dataclass(frozen=True)
class RequestInfo:
    ip: str | None = None
    user_agent: str = ""


_request_info: ContextVar[RequestInfo | None] = ContextVar("passage_request_info", default=None)


@contextlib.contextmanager
def request_context(info: RequestInfo) -> Iterator[None]:
    token = _request_info.set(info)
    try:
        yield
    finally:
        _request_info.reset(token)


def current_request_info() -> RequestInfo:
    return _request_info.get() or RequestInfo()


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "name") and hasattr(value, "url"):  # a file field
        return getattr(value, "name", "") or ""
    return value


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The audited fields of an object, as plain values."""
    names = (
        list(fields)
        if fields is not None
        else [f.attname for f in obj._meta.concrete_fields if f.attname != "id"]
    )
    return {name: _plain(getattr(obj, name)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Changed fields as ``{field: [before, after]}``."""
    keys = list(dict.fromkeys([*before, *after]))
    return {
        key: [before.get(key), after.get(key)] for key in keys if before.get(key) != after.get(key)
    }


def record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    changes: dict[str, list[Any]] | None = None,
    extra: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit event. Call it inside the action's transaction."""
    if changes is None:
        changes = diff(before or {}, after or {}) if (before or after) else {}
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    info = current_request_info()
    actor_user = actor if actor is not None and actor.pk else None
    event = AuditEvent(
        actor=actor_user,
        actor_repr=actor_user.get_username() if actor_user else "system",
        organisation_id=getattr(actor_user, "organisation_id", None),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        changes=_plain(changes),
        extra=_plain(extra or {}),
        ip=info.ip,
        user_agent=info.user_agent[:300],
    )
    event.save(force_insert=True)
    return event
