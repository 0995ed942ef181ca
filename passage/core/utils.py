from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from passage.core.models import User


def authed_user(request: HttpRequest) -> User:
    """The signed-in user as a Passage user (views are behind login_required)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def api_user(request: HttpRequest) -> User:
    """The user an API call authenticated as (a token's owner or the session's user)."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise PermissionDenied
    return user
