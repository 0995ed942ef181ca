"""Run the benchmarks: ``./dev bench [topic ...] [--scale N]``.

Each topic is a module ``bench/<topic>.py`` with ``run(table, args)``. The runner sets up
Django on the database named by ``DATABASE_URL`` (a throw-away SQLite file by default),
migrates a fresh benchmark database, and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
import tempfile
from pathlib import Path

import bench
from bench.common import Table


def topics() -> list[str]:
    return sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if m.name not in {"common", "__main__"}
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("topics", nargs="*", help=f"some of: {', '.join(topics())}")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="multiply the data sizes (use <1 for a quick look)"
    )
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="passage-bench-"))
    os.environ.setdefault("PASSAGE_DATA_DIR", str(tmp))
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passage.settings")
    os.environ.setdefault("TASKS_BACKEND", "immediate")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        # A database of its own, dropped afterwards.
        from django.test.utils import setup_databases, teardown_databases

        old = setup_databases(verbosity=0, interactive=False)
    else:
        old = None
        call_command("migrate", verbosity=0)
    table = Table()
    print(f"Database: {connection.vendor}; scale {args.scale}\n")
    print(Table.header())
    try:
        for topic in args.topics or topics():
            module = importlib.import_module(f"bench.{topic}")
            module.run(table, args)
    finally:
        if old is not None:
            from django.test.utils import teardown_databases

            teardown_databases(old, verbosity=0)
    if not table.rows:
        print("no benchmark ran", file=sys.stderr)


if __name__ == "__main__":
    main()
