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
NUL = "\x00"


class _OutOfRange(ValueError):
    pass


def _check_int(text: str) -> int:
    number = int(text)
    if abs(number) > INT64:
        raise _OutOfRange(text)
    return number


def _has_nul(value: object) -> bool:
    """Whether a parsed JSON value holds a NUL character in any key or string."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _refusal(request: HttpRequest) -> tuple[str, str] | None:
    """The first input no database column can hold, as (field, message), or None.

    Numbers past 64 bits and NUL characters both make the database raise in the middle
    of a query (PostgreSQL stores no NUL in text); they are refused up front instead.
    """
    big, nul = "A number is out of range.", "Text may not contain NUL characters."
    if NUL in request.path:
        return "path", nul
    for name, values in request.GET.lists():
        for value in values:
            if NUL in name or NUL in value:
                return name, nul
            number = value.strip()  # str.strip takes more than int() does ("\x1d9")
            if _INTEGER.fullmatch(number) and abs(int(number)) > INT64:
                return name, big
    for segment in request.path.split("/"):
        if segment.isascii() and segment.isdigit() and int(segment) > INT64:
            return "path", big
    if request.content_type == "application/json" and request.body:
        try:
            data = json.loads(request.body, parse_int=_check_int)
        except _OutOfRange:
            return "body", big
        except ValueError:
            return None  # not JSON: the API answers that itself
        if _has_nul(data):
            return "body", nul
    elif request.method == "POST" and request.content_type in (
        "multipart/form-data",
        "application/x-www-form-urlencoded",
    ):
        for name, values in request.POST.lists():
            if NUL in name or any(NUL in value for value in values):
                return name, nul
    return None


class ApiInputGuard:
    """Refuse API requests carrying input that no database column can hold.

    Every id and count the API reads ends up in a 64-bit integer column and every text
    in a text column; a larger number, or a NUL character in a text, would make SQLite or
    PostgreSQL raise in the middle of a query. Refusing it up front gives the caller a
    clear 422 naming the parameter.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            refusal = _refusal(request)
            if refusal is not None:
                field, message = refusal
                return JsonResponse(
                    {"code": "invalid", "message": message, "field": field}, status=422
                )
        return self.get_response(request)
