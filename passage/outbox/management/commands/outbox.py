"""``passage outbox deliver [--loop SECONDS]``: send every due outbox message."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from passage.outbox.delivery import deliver_due


class Command(BaseCommand):
    help = "Deliver due outbox messages (e-mail, SMS); retries follow their back-off."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["deliver"])
        parser.add_argument(
            "--loop",
            type=float,
            default=0,
            help="keep sweeping every this many seconds until stopped",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            result = deliver_due()
            self.stdout.write(
                f"sent {result.sent}, failed {result.failed}, "
                f"given up {result.dead}, recovered {result.recovered}"
            )
            if not options["loop"]:
                return
            close_old_connections()
            time.sleep(options["loop"])
