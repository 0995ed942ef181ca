"""Factories of the profiles app."""

from __future__ import annotations

from datetime import date
from typing import Any

import factory
from factory.django import DjangoModelFactory

from passage.profiles.models import DestinationProfile, Holiday


class DestinationProfileFactory(DjangoModelFactory[DestinationProfile]):
    class Meta:
        model = DestinationProfile

    country = "ZZ"
    programme = ""
    effective_from = date(2020, 1, 1)
    source_note = "test source"
    medical_validity_months = 12


class HolidayFactory(DjangoModelFactory[Holiday]):
    class Meta:
        model = Holiday

    country = "CA"
    date = factory.Sequence(lambda n: date(2030, 1, 1).replace(day=1 + n % 28))
    name = "Test holiday"


ALL_FACTORIES: list[type[DjangoModelFactory[Any]]] = [DestinationProfileFactory, HolidayFactory]
