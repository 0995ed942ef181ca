"""``passage stats departures``: the departures statistics for people who schedule reports.

    passage stats departures --from 2005-01-01 --to 2010-12-31 --by destination,stream --format csv

prints one row per group: the ``--by`` columns, then ``persons``. ``--format``
is csv (default), xlsx or hxl (CSV with a row of HXL hashtags under the header);
``--output FILE`` writes to a file instead of standard output. A bad date, an
unknown ``--by`` key or an empty period (``--from`` after ``--to``, or no
departures in it) prints a message and exits with a non-zero status.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from passage.core.errors import ActionError
from passage.stats import exports
from passage.stats.departures import GROUP_KEYS, departure_figures
from passage.stats.queries import read_params

EXIT_USAGE = 2  # bad input
EXIT_EMPTY = 3  # nobody departed in the period


class Command(BaseCommand):
    help = "Statistics: `passage stats departures --from … --to … --by … --format csv|xlsx|hxl`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="report", required=True, title="reports")
        dep = sub.add_parser("departures", help="persons who departed, by group")
        dep.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        dep.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD")
        dep.add_argument("--by", default="", help=f"comma-separated: {','.join(GROUP_KEYS)}")
        dep.add_argument("--format", choices=exports.FORMATS, default="csv")
        dep.add_argument("--output", help="write to this file instead of standard output")
        dep.add_argument(
            "--fiscal-year", action="store_true", help="years are US fiscal years (from 1 October)"
        )
        dep.add_argument(
            "--destination", default="", help="ISO 3166 alpha-2 codes, comma-separated"
        )
        dep.add_argument("--programme", default="", help="programme codes, comma-separated")
        dep.add_argument("--stream", default="", help="stream codes, comma-separated")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            params = read_params(
                start=options["start"], end=options["end"], by=options["by"],
                year_kind="fiscal" if options["fiscal_year"] else "calendar",
                destination=options["destination"], programme=options["programme"],
                stream=options["stream"],
            )  # fmt: skip
        except ActionError as exc:
            raise CommandError(f"--{exc.field}: {exc.message}", returncode=EXIT_USAGE) from None
        rows = departure_figures(params.filters, params.by)
        if not rows:
            f = params.filters
            raise CommandError(
                f"No departures between {f.start.isoformat()} and {f.end.isoformat()}"
                " with these filters; nothing written.",
                returncode=EXIT_EMPTY,
            )
        data = exports.render(rows, params.by, options["format"], params.filters.year_kind)
        if options["output"]:
            Path(options["output"]).write_bytes(data)
            self.stderr.write(f"{len(rows)} rows written to {options['output']}")
        else:
            self.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
