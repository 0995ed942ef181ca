"""The one permission policy: who may do what, and which objects they see.

Two directions, one source of truth:

* :func:`visible_to` narrows a queryset to what a user may see (lists, exports);
* :func:`get_object_for` fetches one object for a user and a permission, and
  refuses with 404 when the user may not see it, 403 when they may see it but
  not do that.

Each app registers its permissions (a permission name and the roles that hold
it) and, for each model it exposes, the permission needed to see it and how a
partner organisation's view is narrowed. Pages, the API, exports and the admin
all call these functions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404

from passage.core.choices import Role
from passage.core.models import User

M = TypeVar("M", bound=models.Model)
Scope = Callable[[models.QuerySet[Any], User], models.QuerySet[Any]]
AnyUser = User | AnonymousUser

_permissions: dict[str, frozenset[str]] = {}


@dataclass(frozen=True)
class ModelRule:
    view: str
    partner_scope: Scope | None = None
    staff_scope: Scope | None = None


_models: dict[type[models.Model], ModelRule] = {}


def register_permissions(table: Mapping[str, Iterable[str]]) -> None:
    """Add permissions: ``{"case.view": {Role.CASE_WORKER, ...}}``."""
    for name, roles in table.items():
        unknown = set(roles) - set(Role.values)
        if unknown:
            raise ValueError(f"permission {name}: unknown roles {sorted(unknown)}")
        _permissions[name] = frozenset(roles)


def register_model(
    model: type[models.Model],
    *,
    view: str,
    partner_scope: Scope | None = None,
    staff_scope: Scope | None = None,
) -> None:
    """Say which permission lets a user see ``model`` and how partners are narrowed.

    Without ``partner_scope`` partners see none of the model. ``staff_scope``
    narrows mission staff too (a trainer's own sessions, say); without it they
    see every row once they hold the permission.
    """
    _models[model] = ModelRule(view=view, partner_scope=partner_scope, staff_scope=staff_scope)


def permissions() -> dict[str, frozenset[str]]:
    return dict(_permissions)


def roles_with(permission: str) -> frozenset[str]:
    try:
        return _permissions[permission]
    except KeyError:
        raise KeyError(f"unknown permission {permission!r}") from None


def _active_role(user: AnyUser) -> str | None:
    if not user.is_authenticated or not isinstance(user, User) or not user.is_active:
        return None
    if user.is_mission_staff or user.is_partner:
        return user.role
    return None


def has_permission(user: AnyUser, permission: str) -> bool:
    """Whether the user's role holds the permission, before looking at any object."""
    role = _active_role(user)
    return role is not None and role in roles_with(permission)


def rule_for(model: type[models.Model]) -> ModelRule:
    for klass in model.__mro__:
        if klass in _models:
            return _models[klass]
    raise KeyError(f"{model.__name__} is not registered with the policy")


def visible_to(
    queryset: models.QuerySet[M], user: AnyUser, permission: str | None = None
) -> models.QuerySet[M]:
    """The rows of ``queryset`` the user may see (under ``permission``, or the model's view)."""
    rule = rule_for(queryset.model)
    if not has_permission(user, permission or rule.view):
        return queryset.none()
    assert isinstance(user, User)
    if user.is_partner:
        if rule.partner_scope is None:
            return queryset.none()
        return rule.partner_scope(queryset, user)
    if rule.staff_scope is not None:
        return rule.staff_scope(queryset, user)
    return queryset


def can(user: AnyUser, permission: str, obj: models.Model | None = None) -> bool:
    """Whether the user may do ``permission``, on ``obj`` when given."""
    if not has_permission(user, permission):
        return False
    if obj is None:
        return True
    model = type(obj)
    return visible_to(model._default_manager.filter(pk=obj.pk), user, permission).exists()


def get_object_for(
    user: AnyUser,
    source: type[M] | models.QuerySet[M],
    pk: Any,
    permission: str | None = None,
) -> M:
    """Fetch one object, or refuse: 404 if the user may not see it, 403 if not do it."""
    queryset = source if isinstance(source, models.QuerySet) else source._default_manager.all()
    rule = rule_for(queryset.model)
    try:
        obj = visible_to(queryset, user, rule.view).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404(f"No {queryset.model._meta.verbose_name} matches the given query.") from None
    if permission and permission != rule.view and not can(user, permission, obj):
        raise PermissionDenied(permission)
    return obj


def require(user: AnyUser, permission: str) -> None:
    """Refuse with 403 unless the user holds the permission."""
    if not has_permission(user, permission):
        raise PermissionDenied(permission)


class PolicyQuerySet(models.QuerySet[M]):
    """A queryset with ``.visible_to(user)``, for models registered with the policy."""

    def visible_to(self, user: AnyUser, permission: str | None = None) -> models.QuerySet[M]:
        return visible_to(self, user, permission)
