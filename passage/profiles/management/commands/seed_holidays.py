"""``passage seed_holidays --years 2025-2028 [--country CA ...]``: statutory holidays."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from passage.core.errors import ActionError
from passage.profiles import actions
from passage.profiles.models import DestinationProfile


def parse_years(text: str) -> range:
    try:
        first, _sep, last = text.partition("-")
        start, end = int(first), int(last or first)
    except ValueError as exc:
        raise CommandError(f"--years: give a year or a range like 2025-2028, not {text!r}") from exc
    if end < start or end - start > 20:
        raise CommandError("--years: the range must go forward and span at most 20 years")
    return range(start, end + 1)


def profile_countries() -> list[str]:
    return sorted(set(DestinationProfile.objects.values_list("country", flat=True)))


class Command(BaseCommand):
    help = "Add statutory holidays from the holidays package to the holiday calendars."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--years", required=True, help="a year or a range: 2025-2028")
        parser.add_argument(
            "--country",
            action="append",
            default=[],
            help="ISO code; repeat it. Default: every profile's country and KG",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        years = parse_years(options["years"])
        countries = options["country"] or [*profile_countries(), "KG"]
        try:
            added = actions.seed_holidays(actor=None, countries=countries, years=years)
        except ActionError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"{added} holidays added for {', '.join(sorted(countries))} "
            f"({years.start}–{years.stop - 1})."
        )
