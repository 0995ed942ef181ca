"""``passage sync_readiness``: move cases to travel-ready and back as readiness says.

Run it daily (cron or a systemd timer): validities end with time, not only with edits.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from passage.core import jobs
from passage.core.models import User
from passage.documents.status import SYNC_KIND


class Command(BaseCommand):
    help = "Move cases to travel-ready and back as their readiness says."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--as-user", required=True, help="user name the moves are made as")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.get(username=options["as_user"])
        job = jobs.start_job(actor=actor, kind=SYNC_KIND, title="Readiness status sync")
        job = jobs.execute(job.pk)
        self.stdout.write(f"{job.get_status_display()}: {job.result}")
