"""``passage demo``: migrate, load demo data, print the demo users, serve on 127.0.0.1:8000."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from passage.core.models import DemoLoad


def demo_modules() -> list[str]:
    """Each app's demo.py, in the order of PASSAGE_APPS; each has load(stdout)."""
    return [f"{name}.demo" for name in settings.PASSAGE_APPS if find_spec(f"{name}.demo")]


class Command(BaseCommand):
    help = "Set up the demo database with demo data and users, then serve the site."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="set up, but do not serve")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start a background worker beside the server",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        self.stdout.write(f"Data folder: {settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database migrated.")
        from passage.core import demo as core_demo
        from passage.core.demo import DEMO_PASSWORD

        # The demo users are checked on every run (their passwords reset to the demo one).
        with transaction.atomic():
            users: list[tuple[str, str, str]] = core_demo.load(self.stdout)
        for name in demo_modules():
            if name == "passage.core.demo":
                continue
            label = name.rsplit(".", 2)[-2]
            if DemoLoad.objects.filter(module=name).exists():
                self.stdout.write(f"Demo data present: {label}")
                continue
            with transaction.atomic():
                import_module(name).load(self.stdout)
                DemoLoad.objects.create(module=name)
            self.stdout.write(f"Demo data loaded: {label}")

        self.stdout.write(
            self.style.SUCCESS(f"\nDemo users (demo only; every password is {DEMO_PASSWORD!r}):")
        )
        width = max(len(u[0]) for u in users)
        for username, role, org in users:
            self.stdout.write(f"  {username.ljust(width)}  {DEMO_PASSWORD}  {role} — {org}")
        if options["no_serve"]:
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        worker = None
        if not options["no_worker"]:
            worker = subprocess.Popen(
                [sys.executable, "-m", "passage", "worker"], env=os.environ.copy()
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"\nServing on http://127.0.0.1:{options['port']}/  (Ctrl+C to stop)"
            )
        )
        try:
            call_command(
                "runserver",
                f"127.0.0.1:{options['port']}",
                use_reloader=False,
                insecure_serving=True,
            )
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
