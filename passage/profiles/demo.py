"""Demo data of destination profiles: the shipped profiles come with the migrations;
the demo fills the holiday calendars for this year and the next two."""

from __future__ import annotations

from django.core.management.base import OutputWrapper
from django.utils import timezone

from passage.profiles import actions
from passage.profiles.management.commands.seed_holidays import profile_countries


def load(stdout: OutputWrapper) -> int:
    year = timezone.localdate().year
    added = actions.seed_holidays(
        actor=None, countries=[*profile_countries(), "KG"], years=range(year, year + 3)
    )
    stdout.write(f"  holidays added: {added}")
    return added
