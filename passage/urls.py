"""URL map: pages per app, the API under /api/v1, sign-in, language, admin."""

from __future__ import annotations

from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from passage.api import api
from passage.core import account_views, views
from passage.core.admin import site as admin_site


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("", views.home, name="home"),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", account_views.logout, name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("i18n/js/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("health", health, name="health"),
    path("api/v1/", api.urls),
    path("admin/", admin_site.urls),
    path("", include("passage.core.urls")),
]

# Every other app in PASSAGE_APPS with a urls.py is mounted at /<its label>/.
for _app in apps.get_app_configs():
    if (
        _app.name in settings.PASSAGE_APPS
        and _app.name != "passage.core"
        and find_spec(f"{_app.name}.urls") is not None
    ):
        urlpatterns.append(path(f"{_app.label}/", include(f"{_app.name}.urls")))
