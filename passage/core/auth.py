"""API authentication: per-user tokens for partner systems, the session for the browser."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from passage.core.models import ApiToken, User, hash_token
from passage.core.security import second_factor_state


class TokenAuth(HttpBearer):
    openapi_description = "A personal API token: `Authorization: Bearer psg_…`."

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        try:
            row = ApiToken.objects.select_related("user", "user__organisation").get(
                key_hash=hash_token(token)
            )
        except ApiToken.DoesNotExist:
            return None
        if not row.is_active or not (row.user.is_mission_staff or row.user.is_partner):
            return None
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            # Usage bookkeeping, not a domain write: kept coarse to spare the database.
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


class SessionAuth(NinjaSessionAuth):
    """The browser's session, with CSRF, and the second-factor rule of the pages."""

    openapi_description = "The signed-in browser session (CSRF token required for writes)."

    def _get_key(self, request: HttpRequest) -> str | None:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None  # no session: let the caller see 401, not a CSRF failure
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if not isinstance(user, User) or not (user.is_mission_staff or user.is_partner):
            return None
        if second_factor_state(request) != "ok":
            return None
        return user
