"""Shared fixtures: personas and the permission-matrix helper, for every app's tests."""

from __future__ import annotations

import os

import pytest

pytest_plugins = ["passage.testing.browser"]

POSTGRES_ENGINES = {"django.db.backends.postgresql", "passage.db.postgresql"}

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop


@pytest.fixture(autouse=True)
def _settings_for_tests(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def personas(db):
    from passage.testing.personas import make_personas

    return make_personas()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] in POSTGRES_ENGINES:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL for real concurrent transactions")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)
