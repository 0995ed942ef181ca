"""``passage worker``: run background jobs (the django-tasks database worker) and,
beside them, the outbox sweep that delivers due and retried messages (and, every ten
minutes, queues the reminders of overdue document applications)."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection

log = logging.getLogger(__name__)


def sweep_outbox() -> None:
    from passage.outbox.delivery import deliver_due

    try:
        deliver_due()
    except Exception:
        log.exception("outbox sweep failed")
    finally:
        close_old_connections()


REMINDER_EVERY = 600.0  # seconds between overdue-application reminder sweeps


def sweep_reminders() -> None:
    """Overdue document applications: one e-mail each (idempotent, see documents.reminders)."""
    try:
        from passage.documents.reminders import remind_overdue
    except ImportError:
        return
    try:
        remind_overdue()
    except Exception:
        log.exception("reminder sweep failed")
    finally:
        close_old_connections()


def _sweep_loop(stop: threading.Event, interval: float) -> None:
    last_reminders = 0.0
    while not stop.wait(interval):
        if time.monotonic() - last_reminders >= REMINDER_EVERY:
            sweep_reminders()
            last_reminders = time.monotonic()
        sweep_outbox()
    connection.close()


class Command(BaseCommand):
    help = "Run background jobs and outbox deliveries until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")
        parser.add_argument(
            "--sweep-interval",
            type=float,
            default=5.0,
            help="seconds between outbox sweeps (default 5)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch"]:
            sweep_reminders()
            sweep_outbox()
            call_command("db_worker", "--batch", "--interval", "1")
            sweep_outbox()
            return
        stop = threading.Event()
        sweeper = threading.Thread(
            target=_sweep_loop,
            args=(stop, options["sweep_interval"]),
            name="outbox-sweep",
            daemon=True,
        )
        sweeper.start()
        try:
            call_command("db_worker", "--interval", "1")
        finally:
            stop.set()
