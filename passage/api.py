"""The REST API under /api/v1: one NinjaAPI, a router per app, JSON errors."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from passage.core.auth import SessionAuth, TokenAuth
from passage.core.errors import ActionError

api = NinjaAPI(
    title="Passage API",
    version="1",
    description=(
        "Cases, migration health, orientation, documents, movements, tickets, the visa "
        "application centre and statistics. Authenticate with a personal API token "
        "(`Authorization: Bearer …`) or the browser session. Every list is narrowed to "
        'what the caller may see. Errors are JSON: `{"code": …, "message": …}`.'
    ),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
)

# Every app in PASSAGE_APPS with an api.py that defines ``router`` is mounted at
# the root of /api/v1; its paths name their own resources (/cases, /vac/...).
for app_name in settings.PASSAGE_APPS:
    if find_spec(f"{app_name}.api") is None:
        continue
    module = import_module(f"{app_name}.api")
    api.add_router("/", module.router, tags=[getattr(module, "TAG", app_name.rsplit(".", 1)[-1])])


def _error(
    request: HttpRequest, status: int, code: str, message: str, **extra: object
) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(ActionError)
def on_action_error(request: HttpRequest, exc: ActionError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "Not found.")


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, "forbidden", "You may not do this.")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", "Sign in or send a valid API token.")


@api.exception_handler(NinjaValidationError)
def on_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {
            "field": ".".join(
                str(p) for p in err.get("loc", ()) if p not in {"body", "query", "path", "payload"}
            ),
            "message": err.get("msg", ""),
        }
        for err in exc.errors
    ]
    return _error(request, 422, "invalid", "The request is not valid.", errors=errors)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {403: "forbidden", 404: "not_found", 401: "unauthenticated"}.get(
        exc.status_code, "error"
    )
    return _error(request, exc.status_code, code, str(exc))
