from __future__ import annotations

import pytest
from django.core.cache import caches

from passage.vac.tests.factories import CentreRulesFactory, FeeProfileFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    caches["shared"].clear()
    yield
    caches["shared"].clear()


@pytest.fixture
def centre(db):
    """The rules in force: the canada.ca fee profile and the booking rules."""
    return FeeProfileFactory(), CentreRulesFactory()
