"""Request context for the audit log, and the second-factor rule."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
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


INT64 = 2**63 - 1
_INTEGER = re.compile(r"-?\d+")


class _OutOfRange(ValueError):
    pass


def _check_int(text: str) -> int:
    number = int(text)
    if abs(number) > INT64:
        raise _OutOfRange(text)
    return number


def _out_of_range_field(request: HttpRequest) -> str | None:
    """The first query value, path segment or JSON number too large for the database."""
    for name, values in request.GET.lists():
        for value in values:
            if _INTEGER.fullmatch(value.strip()) and abs(int(value)) > INT64:
                return name
    for segment in request.path.split("/"):
        if segment.isascii() and segment.isdigit() and int(segment) > INT64:
            return "path"
    if request.content_type == "application/json" and request.body:
        try:
            json.loads(request.body, parse_int=_check_int)
        except _OutOfRange:
            return "body"
        except ValueError:
            return None  # not JSON: the API answers that itself
    return None


class ApiNumberGuard:
    """Refuse API requests whose numbers no database column can hold.

    Every id and count the API reads ends up in a 64-bit integer column; a larger
    number would make SQLite or PostgreSQL raise in the middle of a query. Refusing
    it up front gives the caller a clear 422 naming the parameter.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            field = _out_of_range_field(request)
            if field is not None:
                return JsonResponse(
                    {"code": "invalid", "message": "A number is out of range.", "field": field},
                    status=422,
                )
        return self.get_response(request)
