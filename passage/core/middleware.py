"""Request context for the audit log, and the second-factor rule."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from passage.core.audit import RequestInfo, request_context
from passage.core.security import second_factor_state


def client_ip(request: HttpRequest) -> str | None:
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        info = RequestInfo(
            ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:300]
        )
        with request_context(info):
            return self.get_response(request)


EXEMPT_PREFIXES = ("/static/", "/i18n/", "/account/", "/api/", "/vac/")
# The liveness probe only: "/health/..." holds medical pages, which need the second factor.
EXEMPT_PATHS = frozenset({"/health"})


class SecondFactorMiddleware:
    """Staff whose role needs a second factor, or who set one up, must pass it.

    The API is exempt here because it checks the same rule in its own
    authentication (tokens are their own factor).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and request.path not in EXEMPT_PATHS
        ):
            state = second_factor_state(request)
            if state != "ok":
                target = "core:totp_verify" if state == "verify" else "core:totp_setup"
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse(target)}?{query}")
        return self.get_response(request)
