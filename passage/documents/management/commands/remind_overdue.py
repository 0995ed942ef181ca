"""``passage remind_overdue``: e-mail a reminder for each overdue document application.

The worker's sweep does this every few minutes; run it from cron where no worker runs.
Each application is reminded about once per expected date.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from passage.documents.reminders import remind_overdue


class Command(BaseCommand):
    help = "Queue an e-mail reminder for each overdue document application (once each)."

    def handle(self, *args: Any, **options: Any) -> None:
        found = remind_overdue()
        self.stdout.write(f"sent {found['sent']}, without a recipient {found['no_recipient']}")
